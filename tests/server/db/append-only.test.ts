import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../helpers/processes';

/** The chain and the audit log are append-only: no server code may update or delete their rows. */
function serverSources(dir = path.join(ROOT, 'server')): Array<{ file: string; text: string }> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverSources(full);
    return entry.name.endsWith('.ts') ? [{ file: path.relative(ROOT, full), text: fs.readFileSync(full, 'utf8') }] : [];
  });
}

describe('append-only tables', () => {
  test.each([
    ['chain entries', /ChainEntry\.(update|destroy|upsert|truncate)\b|(UPDATE|DELETE FROM)\s+chain_entries/i],
    ['published images', /PublishedImage\.(update|destroy|upsert|truncate)\b|(UPDATE|DELETE FROM)\s+published_images/i],
    ['audit events', /AuditEvent\.(update|destroy|upsert|truncate)\b|(UPDATE|DELETE FROM)\s+audit_events/i],
  ])('nothing in server/ changes or removes %s', (_name, pattern) => {
    const offenders = serverSources()
      .filter(({ file }) => !file.includes(`${path.sep}migrations${path.sep}`))
      .filter(({ text }) => pattern.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
