import { DataTypes, Model, type Sequelize } from 'sequelize';

export class AmendmentModel extends Model {
  declare id: number;
  declare voucherId: number;
  declare villageId: number;
  declare month: string;
  declare status: string;
  /** JSON, kept as text like the voucher's JSON columns. */
  declare changes: string;
  declare reason: string;
  declare voucherVersion: number;
  declare requestedBy: number | null;
  declare requestedAt: Date;
  declare decidedBy: number | null;
  declare decidedAt: Date | null;
  declare rejectionReason: string | null;
  declare chainDigest: string | null;
  declare version: number;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export function defineAmendmentModel(sequelize: Sequelize): typeof AmendmentModel {
  class Bound extends AmendmentModel {}
  Bound.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      voucherId: DataTypes.INTEGER,
      villageId: DataTypes.INTEGER,
      month: DataTypes.STRING(7),
      status: DataTypes.STRING(16),
      changes: DataTypes.TEXT,
      reason: DataTypes.TEXT,
      voucherVersion: DataTypes.INTEGER,
      requestedBy: DataTypes.INTEGER,
      requestedAt: DataTypes.DATE(3),
      decidedBy: DataTypes.INTEGER,
      decidedAt: DataTypes.DATE(3),
      rejectionReason: DataTypes.TEXT,
      chainDigest: DataTypes.CHAR(64),
      version: { type: DataTypes.INTEGER, defaultValue: 1 },
    },
    { sequelize, modelName: 'Amendment', tableName: 'amendments' },
  );
  return Bound;
}
