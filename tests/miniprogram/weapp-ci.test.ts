import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { appPages, buildWeapp, BUILD_HOOK_TIMEOUT_MS, readAppJson } from '../helpers/weapp-build';
import type { CiCheckOutput } from '../helpers/weapp-ci-check';
import { ROOT } from '../helpers/processes';

const CHECK_TIMEOUT_MS = 90_000;
const TSX = pathToFileURL(require.resolve('tsx')).href;
const DENY_NETWORK = path.join(ROOT, 'tests', 'helpers', 'processes', 'deny-network.cjs');

/**
 * Runs tests/helpers/weapp-ci-check.ts on `dirs` in a child process with every Node network entry point
 * denied (and logged), so a network attempt fails the test instead of hanging it; the child is killed on timeout.
 * Absolute preload paths: miniprogram-ci forks its compiler with our execArgv from the project folder.
 */
async function runCiCheck(dirs: string[], scratch: string): Promise<{ output: CiCheckOutput; networkAttempts: string[] }> {
  const networkLog = path.join(scratch, 'network.log');
  // Its own process group: miniprogram-ci's forked compiler and workers go down with it (and release our pipes).
  const child = spawn(process.execPath, ['--require', DENY_NETWORK, '--import', TSX, path.join(ROOT, 'tests', 'helpers', 'weapp-ci-check.ts'), ...dirs], {
    cwd: ROOT,
    env: { ...process.env, NETWORK_LOG: networkLog, WEAPP_CI_SCRATCH: scratch },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(killGroup, CHECK_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  killGroup();
  child.stdout.destroy();
  child.stderr.destroy();

  const networkAttempts = fs
    .readFileSync(networkLog, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('attempt'));
  const line = output.match(/^CI-RESULT (.*)$/m);
  if (code !== 0 || !line)
    throw new Error(`weapp-ci-check exited ${code}${code === null ? ' (killed after timeout)' : ''}:\n${output.slice(-4000)}\nnetwork: ${networkAttempts.join('\n')}`);
  return { output: JSON.parse(line[1]) as CiCheckOutput, networkAttempts };
}

/**
 * miniprogram-ci (WeChat's CI SDK) compiles and analyses the build locally, offline: `getCompiledResult` catches
 * missing page files, app.json schema errors, missing `usingComponents` targets, JSON and JS syntax errors;
 * `analyseCode` reports unresolvable requires and components. A broken copy of the build shows both can fail.
 */
describe("the WeChat build passes miniprogram-ci's local checks, offline", () => {
  let scratch: string;
  let out: string;
  let broken: string;
  let check: { output: CiCheckOutput; networkAttempts: string[] };

  beforeAll(async () => {
    out = await buildWeapp();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-weapp-ci-'));
    broken = path.join(scratch, 'broken');
    fs.cpSync(out, broken, { recursive: true });
    const pageJson = path.join(broken, 'pages', 'index', 'index.json');
    const json = JSON.parse(fs.readFileSync(pageJson, 'utf8'));
    json.usingComponents = { ...json.usingComponents, 'missing-thing': './missing-thing' };
    fs.writeFileSync(pageJson, JSON.stringify(json));
    fs.appendFileSync(path.join(broken, 'pages', 'index', 'index.js'), '\nrequire("./no-such-module.js");\n');
    check = await runCiCheck([out, broken], scratch);
  }, BUILD_HOOK_TIMEOUT_MS + CHECK_TIMEOUT_MS);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('nothing reached for the network; miniprogram-ci only asked its HTTP helper for the upload extension list', () => {
    expect(check.networkAttempts).toEqual([]);
    // getWhiteExtList: refused, so it uses the list built into the package.
    for (const { url } of check.output.requests) expect(url).toMatch(/^https:\/\/servicewechat\.com\/wxa\/ci\/getwhiteextlist\b/);
  });

  test('getCompiledResult compiles the app and every page without error', () => {
    const result = check.output.results.find((r) => r.dir === out)!;
    expect(result.compileError).toBeNull();
    const pageFiles = appPages(readAppJson(out)).flatMap(({ page }) => ['.js', '.json', '.wxml'].map((ext) => page + ext));
    expect(result.compiledFiles).toEqual(expect.arrayContaining(['app.js', 'app.json', ...pageFiles]));
  });

  test('analyseCode finds no module or dependency error', () => {
    const result = check.output.results.find((r) => r.dir === out)!;
    expect(result.analysedModules).toBeGreaterThan(0);
    expect(result.analyseErrors).toEqual([]);
  });

  test('both checks fail on a broken copy (missing component, missing require)', () => {
    const result = check.output.results.find((r) => r.dir === broken)!;
    expect(result.compileError?.message).toMatch(/missing-thing.*component not found/);
    expect(result.analyseErrors).toEqual(
      expect.arrayContaining([expect.stringMatching(/no-such-module\.js/), expect.stringMatching(/Couldn't resolve the Component "\.\/missing-thing"/)]),
    );
  });
});
