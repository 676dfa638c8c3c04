import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../server/cli/index';
import { databaseKinds } from '../../helpers/databases';
import { decodeQrOnPage, pdfPages, popplerAvailable } from '../../helpers/pdf-tools';
import { NODE_TS, ROOT, spawnProcess } from '../../helpers/processes';
import { seedReadyVoucher } from '../../helpers/review';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

const BASE = 'https://yiyanming.example.cn';

/** `board`: the bulletin-board sheet of a published month, written to a file from the command line. */
describe.each(databaseKinds())('the board command on %s', (kind) => {
  let env: TestEnv;
  let staff: StaffFixture;
  let cliEnv: Record<string, string>;
  let outDir: string;

  beforeAll(async () => {
    env = await createTestEnv(kind);
    staff = await createStaffFixture(env.container);
    cliEnv = { DATABASE_URL: env.database.url, STORAGE_DIR: env.config.storageDir, LOG_LEVEL: 'silent', PUBLIC_BASE_URL: BASE };
    outDir = path.join(env.tmpDir, 'out');
    fs.mkdirSync(outDir);
    const { review, auth } = env.container.services;
    const login = async (username: string) => auth.authenticate((await auth.login(username, PASSWORD)).token);
    await seedReadyVoucher(env, staff.villageA1, '2026-10', { amountFen: 12_345, payee: '新华书店' });
    await seedReadyVoucher(env, staff.villageA1, '2026-10', { amountFen: 50_000, payee: '村道修补工程队' });
    await review.submit(await login('acct-a1'), staff.villageA1, '2026-10');
    await review.approve(await login('official-a'), staff.villageA1, '2026-10', {});
    await seedReadyVoucher(env, staff.villageA1, '2026-11');
  });
  afterAll(async () => env.close());

  /** The command in this process, for the quick refusals. */
  async function cli(extraEnv: Record<string, string>, ...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['board', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l) }, { ...cliEnv, ...extraEnv });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('`npm run -s cli -- board` writes the PDF and says where its QR code leads', async () => {
    const file = path.join(outDir, 'board.pdf');
    const run = spawnProcess('npm', ['run', '-s', 'cli', '--', 'board', '--village', String(staff.villageA1), '--month', '2026-10', '--out', file], cliEnv, ROOT);
    expect(await run.exited).toBe(0);
    const link = `${BASE}/m/${staff.villageA1}/2026-10`;
    expect(run.output()).toContain(`wrote ${file}`);
    expect(run.output()).toContain(`QR code opens ${link}`);
    expect(run.output()).not.toContain('warning');
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(fs.readdirSync(outDir)).toEqual(['board.pdf']); // no partial file left behind
    if (popplerAvailable()) {
      const text = pdfPages(pdf).join('\n');
      expect(text).toContain('甲一村 2026年10月 小发票公开');
      expect(text).toContain('623.45');
      expect(text).toContain('陆佰贰拾叁元肆角伍分');
      expect(await decodeQrOnPage(pdf)).toBe(link);
    }
  });

  test('a month that is not published exits 1 with a plain message and writes nothing', async () => {
    const file = path.join(outDir, 'unpublished.pdf');
    const run = spawnProcess(NODE_TS[0], [...NODE_TS.slice(1), 'server/cli/index.ts', 'board', '--village', String(staff.villageA1), '--month', '2026-11', '--out', file], cliEnv, ROOT);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('board: 这个月还没有公开');
    expect(fs.existsSync(file)).toBe(false);
  });

  test('takes the village by name too; an unknown village exits 1', async () => {
    const file = path.join(outDir, 'by-name.pdf');
    expect(await cli({}, '--village', '甲镇/甲一村', '--month', '2026-10', '--out', file)).toMatchObject({ code: 0, err: '' });
    expect(fs.existsSync(file)).toBe(true);
    expect(await cli({}, '--village', '没有这个村', '--month', '2026-10', '--out', file)).toMatchObject({ code: 1, err: expect.stringContaining('找不到村') });
  });

  test("warns when the QR code would point at this machine, which villagers' phones cannot reach", async () => {
    const result = await cli({ PUBLIC_BASE_URL: '' }, '--village', String(staff.villageA1), '--month', '2026-10', '--out', path.join(outDir, 'local.pdf'));
    expect(result.code).toBe(0);
    expect(result.out).toContain('QR code opens http://127.0.0.1:3000/m/');
    expect(result.err).toContain('PUBLIC_BASE_URL');
  });

  test.each([
    [['--village', '1', '--month', '2026-10'], '--out is required'],
    [['--month', '2026-10', '--out', 'x.pdf'], '--village is required'],
    [['--village', '1', '--month', '2026-13', '--out', 'x.pdf'], '--month must be YYYY-MM'],
    [['--village', '1', '--month', '2026-10', '--out', 'sheet.txt'], '--out must name a .pdf file'],
    [['--village', '1', '--month', '2026-10', '--out', '/no/such/folder/x.pdf'], 'does not exist'],
    [['--village', '1', '--month', '2026-10', '--out', 'x.pdf', '--colour', 'red'], "Unknown option '--colour'"],
  ])('bad arguments %j exit with 2 and say why', async (argv, message) => {
    const result = await cli({}, ...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain('usage: npm run -s cli -- board --village');
  });
});
