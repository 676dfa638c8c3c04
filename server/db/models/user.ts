import { DataTypes, Model, type Sequelize } from 'sequelize';
import type { Role } from '../../../shared/schemas/users';

export class UserModel extends Model {
  declare id: number;
  declare username: string;
  declare displayName: string;
  declare passwordHash: string;
  declare role: Role;
  declare villageId: number | null;
  declare townId: number | null;
  declare tokenVersion: number;
  declare disabled: boolean;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export function defineUserModel(sequelize: Sequelize): typeof UserModel {
  class Bound extends UserModel {}
  Bound.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      username: DataTypes.STRING(32),
      displayName: DataTypes.STRING(40),
      passwordHash: DataTypes.STRING(255),
      role: DataTypes.STRING(16),
      villageId: DataTypes.INTEGER,
      townId: DataTypes.INTEGER,
      tokenVersion: { type: DataTypes.INTEGER, defaultValue: 0 },
      disabled: { type: DataTypes.BOOLEAN, defaultValue: false },
    },
    { sequelize, modelName: 'User', tableName: 'users' },
  );
  return Bound;
}
