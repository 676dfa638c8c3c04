import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, spawnProcess, type Spawned } from '../helpers/processes';

/** The README's first command, for real: `npm start` on an empty SQLite database. */
describe('npm start', () => {
  let dir: string;
  let server: Spawned;
  let baseUrl: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-start-'));
    server = spawnProcess('npm', ['start'], {
      PORT: '0',
      DATABASE_URL: `sqlite:${path.join(dir, 'yiyanming.sqlite')}`,
      STORAGE_DIR: path.join(dir, 'files'),
    }, ROOT);
    const [, url] = await server.waitForOutput(/"url":"(http:\/\/127\.0\.0\.1:\d+\/)"/, 120_000);
    baseUrl = url.replace(/\/$/, '');
  }, 150_000);

  afterAll(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('answers /readyz with the database up', async () => {
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: 'up' });
  });

  test('prints the demo accounts once, and the admin can log in with the printed password', async () => {
    const banner = server.output().match(/^\s+admin\s+admin\s+(\S+)/m);
    expect(banner).not.toBeNull();
    const password = banner![1];
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe('admin');
    // Only in the banner: not in any log line, and not in the database file.
    const logLines = server.output().split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.some((l) => l.includes(password))).toBe(false);
    for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('yiyanming.sqlite')))
      expect(fs.readFileSync(path.join(dir, file)).includes(Buffer.from(password))).toBe(false);
  });

  test('the demo towns are there: 新街镇 with eight villages and 张铺镇 with three', async () => {
    const { towns } = (await (await fetch(`${baseUrl}/api/towns`)).json()) as { towns: Array<{ name: string; villages: unknown[] }> };
    expect(towns.map((t: { name: string; villages: unknown[] }) => [t.name, t.villages.length])).toEqual([
      ['新街镇', 8],
      ['张铺镇', 3],
    ]);
  });

  test('the demo has published months of receipts, seeded before the server listened, with images to show', async () => {
    expect(server.output()).toMatch(/"published":\d+,"vouchers":\d+,"ms":\d+,"msg":"\[demo\.months:seeded\]"/);
    const { towns } = (await (await fetch(`${baseUrl}/api/towns`)).json()) as { towns: Array<{ villages: Array<{ id: number }> }> };
    const { months } = (await (await fetch(`${baseUrl}/api/villages/${towns[0].villages[0].id}`)).json()) as { months: Array<{ month: string; count: number }> };
    expect(months.length).toBeGreaterThanOrEqual(3);
    const month = (await (await fetch(`${baseUrl}/api/villages/${towns[0].villages[0].id}/months/${months[0].month}`)).json()) as {
      vouchers: Array<{ imageUrl: string; thumbUrl: string }>;
    };
    expect(month.vouchers.length).toBeGreaterThanOrEqual(4);
    const image = await fetch(baseUrl + month.vouchers[0].imageUrl);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    expect((await fetch(baseUrl + month.vouchers[0].thumbUrl)).headers.get('content-type')).toBe('image/webp');
  });

  test('serves the built H5 mini-program on the same port, with page routes falling back to it', async () => {
    const home = await fetch(`${baseUrl}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    const html = await home.text();
    const script = html.match(/src="(\/js\/[^"]+\.js)"/);
    expect(script).not.toBeNull();
    const asset = await fetch(baseUrl + script![1]);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const page = await fetch(`${baseUrl}/pages/index/index`, { headers: { Accept: 'text/html' } });
    expect(await page.text()).toBe(html);
    expect((await fetch(`${baseUrl}/js/missing.js`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  test('stops cleanly on SIGTERM', async () => {
    server.child.kill('SIGTERM');
    await server.waitForOutput(/server:stopped/, 30_000);
  });

  test('`verify` finds the demo chains and published images intact', async () => {
    const verify = spawnProcess('npm', ['run', '-s', 'cli', '--', 'verify'], {
      DATABASE_URL: `sqlite:${path.join(dir, 'yiyanming.sqlite')}`,
      STORAGE_DIR: path.join(dir, 'files'),
      LOG_LEVEL: 'silent',
    }, ROOT);
    expect(await verify.exited).toBe(0);
    expect(verify.output()).toContain('verify: everything matches');
    expect(verify.output()).toMatch(/[1-9]\d* published image\(s\) re-hashed from storage/);
  }, 60_000);
});
