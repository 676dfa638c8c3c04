import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { PublicationStatus } from '../../../shared/schemas/months';

export class PublicationModel extends Model {
  declare id: number;
  declare villageId: number;
  declare month: string;
  declare status: PublicationStatus;
  declare rejectionReason: string | null;
  declare submittedAt: Date | null;
  declare submittedBy: number | null;
  declare publishedAt: Date | null;
  declare publishedBy: number | null;
  declare version: number;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export function definePublicationModel(sequelize: Sequelize): typeof PublicationModel {
  class Bound extends PublicationModel {}
  Bound.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      villageId: DataTypes.INTEGER,
      month: DataTypes.STRING(7),
      status: DataTypes.STRING(16),
      rejectionReason: DataTypes.TEXT,
      submittedAt: DataTypes.DATE(3),
      submittedBy: DataTypes.INTEGER,
      publishedAt: DataTypes.DATE(3),
      publishedBy: DataTypes.INTEGER,
      version: { type: DataTypes.INTEGER, defaultValue: 1 },
    },
    { sequelize, modelName: 'Publication', tableName: 'publications' },
  );
  return Bound;
}
