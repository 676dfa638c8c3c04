import { DataTypes, Model, type Sequelize } from 'sequelize';

export class VoucherModel extends Model {
  declare id: number;
  declare villageId: number;
  declare month: string;
  declare status: string;
  declare sha256: string;
  declare originalKey: string;
  declare originalName: string | null;
  declare originalMime: string | null;
  declare originalBytes: number | null;
  declare width: number | null;
  declare height: number | null;
  declare displayKey: string | null;
  declare thumbKey: string | null;
  declare publicDisplayKey: string | null;
  declare publicThumbKey: string | null;
  declare ocrEngine: string | null;
  declare ocrText: string | null;
  declare ocrLines: string | null;
  declare amountFen: number | null;
  declare date: string | null;
  declare invoiceCode: string | null;
  declare invoiceNumber: string | null;
  declare payee: string | null;
  declare description: string | null;
  declare category: string | null;
  /** JSON arrays kept as text so both databases store them the same way. */
  declare flags: string;
  declare redactions: string;
  declare processingError: string | null;
  declare uploadedBy: number | null;
  declare withdrawnAt: Date | null;
  declare withdrawnReason: string | null;
  declare version: number;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export function defineVoucherModel(sequelize: Sequelize): typeof VoucherModel {
  class Bound extends VoucherModel {}
  const str = (n: number) => DataTypes.STRING(n);
  Bound.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      villageId: DataTypes.INTEGER,
      month: str(7),
      status: str(16),
      sha256: DataTypes.CHAR(64),
      originalKey: str(128),
      originalName: str(255),
      originalMime: str(64),
      originalBytes: DataTypes.INTEGER,
      width: DataTypes.INTEGER,
      height: DataTypes.INTEGER,
      displayKey: str(128),
      thumbKey: str(128),
      publicDisplayKey: str(128),
      publicThumbKey: str(128),
      ocrEngine: str(32),
      ocrText: DataTypes.TEXT,
      ocrLines: DataTypes.TEXT,
      amountFen: DataTypes.BIGINT,
      date: str(10),
      invoiceCode: str(32),
      invoiceNumber: str(32),
      payee: str(200),
      description: str(500),
      category: str(32),
      flags: { type: DataTypes.TEXT, defaultValue: '[]' },
      redactions: { type: DataTypes.TEXT, defaultValue: '[]' },
      processingError: DataTypes.TEXT,
      uploadedBy: DataTypes.INTEGER,
      withdrawnAt: DataTypes.DATE(3),
      withdrawnReason: DataTypes.TEXT,
      version: { type: DataTypes.INTEGER, defaultValue: 1 },
    },
    { sequelize, modelName: 'Voucher', tableName: 'vouchers' },
  );
  return Bound;
}
