import { DEMO_TOWNS } from '../../../server/services/demo-seed-service';
import { databaseKinds } from '../../helpers/databases';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

describe.each(databaseKinds())('demo data on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind);
  });
  afterAll(async () => env.close());

  test('an empty database gets two towns, their villages, and one account per village, town and admin', async () => {
    const credentials = (await env.container.services.demoSeed.seedIfEmpty())!;
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
    // Seeding twice does nothing, so run the check on a second fresh database.
    const other = await createTestEnv(kind);
    try {
      const credentials = (await other.container.services.demoSeed.seedIfEmpty())!;
      for (const c of credentials.slice(0, 3)) {
        const login = await other.container.services.auth.login(c.username, c.password);
        expect(login.user.username).toBe(c.username);
        const stored = (await other.container.repositories.users.findByUsername(c.username))!;
        expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
        expect(stored.passwordHash).not.toContain(c.password);
      }
    } finally {
      await other.close();
    }
  });

  test('a database that already has data is left alone', async () => {
    expect(await env.container.services.demoSeed.seedIfEmpty()).toBeNull();
    expect((await env.container.services.directory.listTowns()).length).toBe(2);
  });
});
