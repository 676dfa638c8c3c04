import { DataTypes, Model, type Sequelize } from 'sequelize';

export class AppSettingModel extends Model {
  declare key: string;
  declare value: string;
  declare createdAt: Date;
}

export function defineAppSettingModel(sequelize: Sequelize): typeof AppSettingModel {
  class Bound extends AppSettingModel {}
  Bound.init(
    { key: { type: DataTypes.STRING(64), primaryKey: true }, value: DataTypes.TEXT },
    { sequelize, modelName: 'AppSetting', tableName: 'app_settings', updatedAt: false },
  );
  return Bound;
}
