import fs from 'node:fs';
import path from 'node:path';
import { ROOT, spawnProcess } from '../helpers/processes';

const OUT = path.join(ROOT, 'miniprogram', 'dist', 'weapp');

function sizeOf(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? sizeOf(full) : fs.statSync(full).size);
  }, 0);
}

/** The WeChat build of the same code: a folder WeChat DevTools can open. */
describe('the WeChat mini-program build', () => {
  beforeAll(async () => {
    const build = spawnProcess('npm', ['run', '-s', 'build:weapp'], {}, ROOT);
    const code = await build.exited;
    if (code !== 0) throw new Error(`weapp build failed:\n${build.output().slice(-4000)}`);
  }, 180_000);

  test('produces app.json listing pages that all exist', () => {
    const app = JSON.parse(fs.readFileSync(path.join(OUT, 'app.json'), 'utf8'));
    expect(app.pages).toContain('pages/index/index');
    for (const page of app.pages as string[])
      for (const ext of ['.js', '.json', '.wxml']) expect(fs.existsSync(path.join(OUT, page + ext))).toBe(true);
  });

  test('has a project.config.json that opens this folder, with the configured AppID', () => {
    const project = JSON.parse(fs.readFileSync(path.join(OUT, 'project.config.json'), 'utf8'));
    expect(project.compileType).toBe('miniprogram');
    expect(project.appid).toBe(process.env.WEAPP_APPID || 'touristappid');
  });

  test('the main package stays well inside WeChat\'s 2 MB limit (budget: 1 MB)', () => {
    expect(sizeOf(OUT)).toBeLessThan(1024 * 1024);
  });
});
