import { DataTypes, type QueryInterface } from 'sequelize';
import { time } from './columns';

/**
 * Fair job claims: a claimer serves the village whose turn is oldest, so one village's big
 * upload cannot starve another's few jobs queued after it (server/db/repositories/job-repository.ts).
 * `job_village_turns` holds one row per village that ever had a job: when a claim last served
 * it. `village_id` is the job's village, 0 for jobs without one, so it has no foreign key.
 * The index finds a village's oldest due job without sorting, and the villages with due jobs
 * without reading done ones.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('job_village_turns', {
    village_id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
    last_served_at: time(true),
  });
  await qi.addIndex('jobs', ['status', 'village_id', 'run_after', 'id'], { name: 'jobs_status_village_run_after' });
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.removeIndex('jobs', 'jobs_status_village_run_after');
  await qi.dropTable('job_village_turns');
}
