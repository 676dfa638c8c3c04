import { DataTypes, Model, type Sequelize } from 'sequelize';

export class AuditEventModel extends Model {
  declare id: number;
  declare at: Date;
  declare actorUserId: number | null;
  declare actorRole: string | null;
  declare action: string;
  declare subjectType: string;
  declare subjectId: string;
  declare villageId: number | null;
  declare details: string;
  declare requestId: string | null;
}

export function defineAuditEventModel(sequelize: Sequelize): typeof AuditEventModel {
  class Bound extends AuditEventModel {}
  Bound.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      at: DataTypes.DATE(3),
      actorUserId: DataTypes.INTEGER,
      actorRole: DataTypes.STRING(16),
      action: DataTypes.STRING(64),
      subjectType: DataTypes.STRING(32),
      subjectId: DataTypes.STRING(64),
      villageId: DataTypes.INTEGER,
      details: DataTypes.TEXT,
      requestId: DataTypes.STRING(64),
    },
    { sequelize, modelName: 'AuditEvent', tableName: 'audit_events', timestamps: false },
  );
  return Bound;
}
