import { DataTypes, Model, type Sequelize } from 'sequelize';

/** When a job claim last served a village (migration 0005); villageId 0 stands for jobs without a village. */
export class JobVillageTurnModel extends Model {
  declare villageId: number;
  declare lastServedAt: Date | null;
}

export function defineJobVillageTurnModel(sequelize: Sequelize): typeof JobVillageTurnModel {
  class Bound extends JobVillageTurnModel {}
  Bound.init(
    {
      villageId: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: false },
      lastServedAt: DataTypes.DATE(3),
    },
    { sequelize, modelName: 'JobVillageTurn', tableName: 'job_village_turns', timestamps: false },
  );
  return Bound;
}
