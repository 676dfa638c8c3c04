import { DataTypes, Model, type Sequelize } from 'sequelize';

export class ChainEntryModel extends Model {
  declare id: number;
  declare villageId: number;
  declare seq: number;
  declare kind: string;
  declare month: string;
  declare digest: string;
  declare prev: string | null;
  declare manifest: string;
  declare createdAt: Date;
}

export function defineChainEntryModel(sequelize: Sequelize): typeof ChainEntryModel {
  class Bound extends ChainEntryModel {}
  Bound.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      villageId: DataTypes.INTEGER,
      seq: DataTypes.INTEGER,
      kind: DataTypes.STRING(16),
      month: DataTypes.STRING(7),
      digest: DataTypes.CHAR(64),
      prev: DataTypes.CHAR(64),
      manifest: DataTypes.TEXT('long'),
    },
    { sequelize, modelName: 'ChainEntry', tableName: 'chain_entries', updatedAt: false },
  );
  return Bound;
}
