import { DataTypes, Model, type Sequelize } from 'sequelize';

export class LoginThrottleModel extends Model {
  declare key: string;
  declare failures: number;
  declare windowStartedAt: Date;
  declare lockedUntil: Date | null;
  declare updatedAt: Date;
}

export function defineLoginThrottleModel(sequelize: Sequelize): typeof LoginThrottleModel {
  class Bound extends LoginThrottleModel {}
  Bound.init(
    {
      key: { type: DataTypes.STRING(64), primaryKey: true },
      failures: DataTypes.INTEGER,
      windowStartedAt: DataTypes.DATE(3),
      lockedUntil: DataTypes.DATE(3),
    },
    { sequelize, modelName: 'LoginThrottle', tableName: 'login_throttles', createdAt: false },
  );
  return Bound;
}
