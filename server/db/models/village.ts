import { DataTypes, Model, type Sequelize } from 'sequelize';

export class VillageModel extends Model {
  declare id: number;
  declare townId: number;
  declare name: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export function defineVillageModel(sequelize: Sequelize): typeof VillageModel {
  class Bound extends VillageModel {}
  Bound.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      townId: DataTypes.INTEGER,
      name: DataTypes.STRING(40),
    },
    { sequelize, modelName: 'Village', tableName: 'villages' },
  );
  return Bound;
}
