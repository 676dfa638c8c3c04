import { DataTypes, Model, type Sequelize } from 'sequelize';

export class TownModel extends Model {
  declare id: number;
  declare name: string;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export function defineTownModel(sequelize: Sequelize): typeof TownModel {
  class Bound extends TownModel {}
  Bound.init(
    { id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, name: DataTypes.STRING(40) },
    { sequelize, modelName: 'Town', tableName: 'towns' },
  );
  return Bound;
}
