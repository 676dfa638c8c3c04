import fs from 'node:fs';
import path from 'node:path';
import type { TestEnv } from './test-env';

/** A multipart body with the given files under the field `files`. */
export function filesForm(files: Array<{ name: string; data: Buffer; type?: string }>, field = 'files'): FormData {
  const form = new FormData();
  for (const f of files) form.append(field, new Blob([new Uint8Array(f.data)], { type: f.type ?? 'image/jpeg' }), f.name);
  return form;
}

/** Everything an upload could leave behind: rows, stored files, temp files. */
export async function footprint(env: TestEnv) {
  const { models } = env.container;
  const tmpEntries = fs.existsSync(env.config.tmpDir) ? fs.readdirSync(env.config.tmpDir) : [];
  const storageKeys = await env.container.storage.list('');
  const storageTmp = fs.existsSync(path.join(env.config.storageDir, '.tmp')) ? fs.readdirSync(path.join(env.config.storageDir, '.tmp')) : [];
  return {
    vouchers: await models.Voucher.count(),
    jobs: await models.Job.count(),
    audit: await models.AuditEvent.count(),
    storageKeys,
    storageTmp,
    tmpEntries,
  };
}
