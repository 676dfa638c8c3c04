import { DataTypes, Model, type Sequelize } from 'sequelize';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export class JobModel extends Model {
  declare id: number;
  declare type: string;
  declare payload: string;
  declare status: JobStatus;
  declare attempts: number;
  declare maxAttempts: number;
  declare runAfter: Date;
  declare leaseOwner: string | null;
  declare leaseExpiresAt: Date | null;
  declare lastError: string | null;
  declare villageId: number | null;
  declare finishedAt: Date | null;
  declare createdAt: Date;
  declare updatedAt: Date;
}

export function defineJobModel(sequelize: Sequelize): typeof JobModel {
  class Bound extends JobModel {}
  Bound.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      type: DataTypes.STRING(64),
      payload: DataTypes.TEXT,
      status: DataTypes.STRING(16),
      attempts: { type: DataTypes.INTEGER, defaultValue: 0 },
      maxAttempts: { type: DataTypes.INTEGER, defaultValue: 5 },
      runAfter: DataTypes.DATE(3),
      leaseOwner: DataTypes.STRING(64),
      leaseExpiresAt: DataTypes.DATE(3),
      lastError: DataTypes.TEXT,
      villageId: DataTypes.INTEGER,
      finishedAt: DataTypes.DATE(3),
    },
    { sequelize, modelName: 'Job', tableName: 'jobs' },
  );
  return Bound;
}
