import { DEMO_TOWNS, type DemoCredential } from '../../../server/services/demo-seed-service';
import { databaseKinds } from '../../helpers/databases';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

describe.each(databaseKinds())('demo data on %s', (kind) => {
  let env: TestEnv;
  let credentials: DemoCredential[];
  beforeAll(async () => {
    env = await createTestEnv(kind);
    credentials = (await env.container.services.demoSeed.seedIfEmpty())!;
  }, 240_000);
  afterAll(async () => env.close());

  test('an empty database gets two towns, their villages, and one account per village, town and admin', async () => {
    const towns = await env.container.services.directory.listTowns();
    expect(towns.map((t) => [t.name, t.villages.length])).toEqual([['新街镇', 8], ['张铺镇', 3]]);
    const users = await env.container.services.users.listUsers();
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
    expect(users.filter((u) => u.role === 'official').map((u) => u.townId).sort()).toEqual(towns.map((t) => t.id).sort());
    const villageIds = towns.flatMap((t) => t.villages.map((v) => v.id)).sort();
    expect(users.filter((u) => u.role === 'accountant').map((u) => u.villageId).sort()).toEqual(villageIds);
    expect(credentials).toHaveLength(1 + DEMO_TOWNS.length + 11);
    expect(new Set(credentials.map((c) => c.password)).size).toBe(credentials.length);
  });

  test('every printed password works, and only its hash is stored', async () => {
    for (const c of credentials.slice(0, 3)) {
      const login = await env.container.services.auth.login(c.username, c.password);
      expect(login.user.username).toBe(c.username);
      const stored = (await env.container.repositories.users.findByUsername(c.username))!;
      expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
      expect(stored.passwordHash).not.toContain(c.password);
    }
  });

  test('the demo accounts did the work on the demo months: uploads by accountants, approvals by officials', async () => {
    const { models } = env.container;
    const accountants = new Set((await env.container.services.users.listUsers()).filter((u) => u.role === 'accountant').map((u) => u.id));
    const uploaders = (await models.Voucher.findAll({ attributes: ['uploadedBy'] })).map((v) => v.uploadedBy);
    expect(uploaders.length).toBeGreaterThan(50);
    expect(uploaders.every((id) => id !== null && accountants.has(id))).toBe(true);
    const approvals = await models.AuditEvent.findAll({ where: { action: 'month.approved' } });
    expect(approvals.length).toBeGreaterThan(0);
    expect(approvals.every((a) => a.actorRole === 'official')).toBe(true);
  });

  test('a database that already has data is left alone: no second set of accounts or months', async () => {
    const { models } = env.container;
    const counts = async () => [await models.Town.count(), await models.User.count(), await models.Voucher.count(), await models.ChainEntry.count()];
    const before = await counts();
    expect(await env.container.services.demoSeed.seedIfEmpty()).toBeNull();
    expect(await counts()).toEqual(before);
  });
});
