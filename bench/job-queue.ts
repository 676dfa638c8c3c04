/**
 * How fast the durable queue hands out jobs, against a named baseline measured in the same
 * run on the same database: the bare cost of one single-row UPDATE per job (no locking, no
 * transaction), which no queue built on that database can beat.
 *
 *   npm run -s bench -- job-queue            # SQLite in a temp folder
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306/test npm run -s bench -- job-queue
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { ensureDatabaseExists, openDatabase } from '../server/db/database';
import { migrateUp } from '../server/db/migrate';
import { defineModels } from '../server/db/models';
import { JobRepository } from '../server/db/repositories/job-repository';
import { systemClock } from '../server/adapters/clock';

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);

async function run(label: string, url: string) {
  await ensureDatabaseExists(url);
  const sequelize = await openDatabase(url);
  try {
    await migrateUp(sequelize);
    const jobs = new JobRepository(defineModels(sequelize), systemClock);
    for (let i = 0; i < JOBS; i++) await jobs.enqueue({ type: 'bench.noop', payload: { i } });
    const ids = (await sequelize.query<{ id: number }>("SELECT id FROM jobs WHERE type = 'bench.noop'", { type: QueryTypes.SELECT })).map((r) => r.id);

    let started = process.hrtime.bigint();
    for (const id of ids) await sequelize.query("UPDATE jobs SET lease_owner = 'baseline' WHERE id = ?", { replacements: [id] });
    const baselineMs = Number(process.hrtime.bigint() - started) / 1e6;

    started = process.hrtime.bigint();
    let claimed = 0;
    while (await jobs.claim('bench', 60_000)) claimed++;
    const claimMs = Number(process.hrtime.bigint() - started) / 1e6;

    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
    console.log(`${label}: ${JOBS} jobs`);
    console.log(`  baseline  single-row UPDATE      ${rate(ids.length, baselineMs)} /s  (${(baselineMs / ids.length).toFixed(2)} ms each)`);
    console.log(`  queue     JobRepository.claim    ${rate(claimed, claimMs)} /s  (${(claimMs / claimed).toFixed(2)} ms each, ${(claimMs / baselineMs).toFixed(1)}x baseline)`);
  } finally {
    await sequelize.close();
  }
}

export async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-bench-'));
  try {
    await run('SQLite', `sqlite:${path.join(dir, 'bench.sqlite')}`);
    if (process.env.BENCH_MYSQL_URL) {
      const url = new URL(process.env.BENCH_MYSQL_URL);
      url.pathname = `/yym_bench_${process.pid}`;
      await run('MariaDB', url.toString());
      const sequelize = await openDatabase(url.toString());
      await sequelize.query(`DROP DATABASE \`yym_bench_${process.pid}\``);
      await sequelize.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
