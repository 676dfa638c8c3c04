import path from 'node:path';
import { runCli } from '../../../server/cli/index';
import { createTestDatabase, databaseKinds } from '../../helpers/databases';
import { NODE_TS, ROOT, spawnProcess } from '../../helpers/processes';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

describe.each(databaseKinds())('the command line on %s', (kind) => {
  let env: TestEnv;
  let cliEnv: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = await createTestEnv(kind);
    cliEnv = { DATABASE_URL: env.database.url, STORAGE_DIR: path.join(env.tmpDir, 'files'), LOG_LEVEL: 'silent' };
  });
  afterAll(async () => env.close());

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, cliEnv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('adds a town, a village in it and its accountant, who can then log in', async () => {
    expect(await cli('town:add', '--name', '清河镇')).toMatchObject({ code: 0, out: expect.stringContaining('清河镇') });
    expect((await cli('village:add', '--town', '清河镇', '--name', '上湾村')).code).toBe(0);
    const added = await cli('user:add', '--username', 'shangwan', '--password', 'first-password', '--role', 'accountant', '--village', '清河镇/上湾村', '--name', '钱会计');
    expect(added).toMatchObject({ code: 0, out: expect.stringContaining('accountant shangwan') });
    const login = await env.container.services.auth.login('shangwan', 'first-password');
    expect(login.user).toMatchObject({ role: 'accountant', displayName: '钱会计' });
  });

  test('changes a password; the old one stops working', async () => {
    expect((await cli('user:passwd', '--username', 'shangwan', '--password', 'second-password')).code).toBe(0);
    await expect(env.container.services.auth.login('shangwan', 'first-password')).rejects.toThrow();
    await expect(env.container.services.auth.login('shangwan', 'second-password')).resolves.toBeTruthy();
  });

  test('an official needs a town, given by name or id', async () => {
    const town = (await env.container.services.directory.resolveTown('清河镇')).id;
    expect((await cli('user:add', '--username', 'qinghe-gov', '--password', 'long-password', '--role', 'official', '--town', String(town))).code).toBe(0);
    const noTown = await cli('user:add', '--username', 'qinghe-gov2', '--password', 'long-password', '--role', 'official');
    expect(noTown.code).toBe(1);
    expect(noTown.err).toContain('townId');
  });

  test.each([
    [['user:add', '--username', 'x1'], '--password is required'],
    [['user:add', '--username', 'abc', '--password', 'long-password', '--role', 'mayor'], '--role must be one of'],
    [['town:add', '--name', '某镇', '--colour', 'red'], "Unknown option '--colour'"],
    [['town:add'], '--name is required'],
    [['frobnicate'], 'unknown command'],
    [[], 'usage:'],
  ])('bad arguments %j exit with 2 and say why', async (argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.err + result.out).toContain(message);
  });

  test.each([
    [['town:add', '--name', '清河镇'], '已经有一个叫“清河镇”的镇'],
    [['village:add', '--town', '没有这个镇', '--name', '某村'], '找不到镇'],
    [['user:add', '--username', 'ghost', '--password', 'long-password', '--role', 'accountant', '--village', '不存在村'], '找不到村'],
    [['user:add', '--username', 'shangwan', '--password', 'long-password', '--role', 'admin'], '已经有人用了'],
    [['user:passwd', '--username', 'nobody', '--password', 'long-password'], '没有用户'],
    [['user:passwd', '--username', 'shangwan', '--password', 'short'], '至少 8 个字符'],
  ])('refused commands %j exit with 1 and a plain message', async (argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(1);
    expect(result.err).toContain(message);
  });

  test('migrate reports an up-to-date schema; demo:seed refuses a database that has data', async () => {
    expect(await cli('migrate')).toMatchObject({ code: 0, out: 'the schema is up to date' });
    expect((await cli('demo:seed')).code).toBe(1);
  });

  test('migrate gives a new, empty database the whole schema, then has nothing left to do', async () => {
    const fresh = await createTestDatabase(kind);
    try {
      const freshEnv = { ...cliEnv, DATABASE_URL: fresh.url };
      const first = await runCli(['migrate'], { out: () => undefined, err: () => undefined }, freshEnv);
      expect(first).toBe(0);
      const out: string[] = [];
      expect(await runCli(['migrate'], { out: (l) => out.push(l), err: () => undefined }, freshEnv)).toBe(0);
      expect(out).toEqual(['the schema is up to date']);
      // The schema is complete: a command that needs every table works on it.
      expect(await runCli(['town:add', '--name', '新建镇'], { out: () => undefined, err: () => undefined }, freshEnv)).toBe(0);
    } finally {
      await fresh.drop();
    }
  });

  test('`npm run -s cli` is wired to this command line', async () => {
    const help = spawnProcess('npm', ['run', '-s', 'cli', '--', 'help'], {}, ROOT);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain('user:add --username');
  });

  test('the worker takes jobs from the shared database and stops cleanly on SIGTERM', async () => {
    const job = await env.container.repositories.jobs.enqueue({ type: 'no.such.job', payload: {} });
    // What `npm run -s cli -- worker` runs, without npm in between so the signal reaches it directly.
    const worker = spawnProcess(NODE_TS[0], [...NODE_TS.slice(1), 'server/cli/index.ts', 'worker'], { ...cliEnv, LOG_LEVEL: 'info', JOB_POLL_MS: '50' } as Record<string, string>, ROOT);
    await worker.waitForOutput(/jobs\.runner:start/);
    const deadline = Date.now() + 20_000;
    while ((await env.container.repositories.jobs.get(job.id))!.status !== 'failed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await env.container.repositories.jobs.get(job.id)).toMatchObject({ status: 'failed', lastError: expect.stringContaining('no handler') });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('jobs.runner:stopped');
  });

  test('the worker refuses a bad --concurrency', async () => {
    const result = await cli('worker', '--concurrency', 'lots');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--concurrency must be an integer');
  });
});
