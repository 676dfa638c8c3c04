import fs from 'node:fs';
import path from 'node:path';
import { appPages, buildWeapp, BUILD_HOOK_TIMEOUT_MS, listFiles, readAppJson, type WeappAppJson } from '../helpers/weapp-build';

/** WeChat's main-package limit is 2 MB; we keep villagers' first download small. */
const MAIN_PACKAGE_BUDGET = 500 * 1024;
/** WeChat's own limit for each subpackage. */
const SUBPACKAGE_LIMIT = 2 * 1024 * 1024;

/**
 * Extensions WeChat uploads (miniprogram-ci's built-in `MiniProgramWhiteList`); anything else, like webpack's
 * *.LICENSE.txt, never reaches the phone. project.config.json is the tools' file, not the package's.
 */
const UPLOADED_EXTS = new Set(
  '.wxml .wxss .wxs .png .jpg .jpeg .gif .svg .js .json .cer .mp3 .aac .m4a .mp4 .wav .ogg .silk .wasm .br .cur .ico .skel .crt .cert'.split(' '),
);

function packageSizes(out: string, app: WeappAppJson): { main: number; subpackages: Record<string, number>; skipped: number } {
  const roots = (app.subPackages ?? app.subpackages ?? []).map((sub) => sub.root.replace(/^\/+|\/+$/g, ''));
  const sizes = { main: 0, subpackages: Object.fromEntries(roots.map((root) => [root, 0])) as Record<string, number>, skipped: 0 };
  for (const file of listFiles(out)) {
    const size = fs.statSync(path.join(out, file)).size;
    if (!UPLOADED_EXTS.has(path.extname(file)) || file === 'project.config.json') {
      sizes.skipped += size;
      continue;
    }
    const root = roots.find((r) => file.startsWith(`${r}/`));
    if (root) sizes.subpackages[root] += size;
    else sizes.main += size;
  }
  return sizes;
}

const kb = (bytes: number) => `${bytes} bytes (${(bytes / 1024).toFixed(1)} KB)`;

/** The WeChat build of the same code: a folder WeChat DevTools can open. */
describe('the WeChat mini-program build', () => {
  let out: string;
  let app: WeappAppJson;

  beforeAll(async () => {
    out = await buildWeapp();
    app = readAppJson(out);
  }, BUILD_HOOK_TIMEOUT_MS);

  test('every page of app.json, subpackages included, is in the output', () => {
    const pages = appPages(app);
    expect(pages.map((p) => p.page)).toContain('pages/index/index');
    const missing = pages.flatMap(({ page }) =>
      ['.js', '.json', '.wxml'].filter((ext) => !fs.existsSync(path.join(out, page + ext))).map((ext) => page + ext),
    );
    expect(missing).toEqual([]);
  });

  test('has a project.config.json that opens this folder, with the AppID from WEAPP_APPID', () => {
    const project = JSON.parse(fs.readFileSync(path.join(out, 'project.config.json'), 'utf8'));
    expect(project.compileType).toBe('miniprogram');
    expect(project.miniprogramRoot).toBe('./');
    expect(project.appid).toBe(process.env.WEAPP_APPID?.trim() || 'touristappid');
  });

  test(`the main package stays within ${MAIN_PACKAGE_BUDGET / 1024} KB (subpackages reported separately)`, () => {
    const sizes = packageSizes(out, app);
    const subs = Object.entries(sizes.subpackages).map(([root, size]) => `\n  subpackage ${root}: ${kb(size)}`);
    console.info(`weapp main package: ${kb(sizes.main)}${subs.join('')}\n  not uploaded (licences, project.config.json): ${kb(sizes.skipped)}`);
    expect(sizes.main).toBeLessThanOrEqual(MAIN_PACKAGE_BUDGET);
    for (const [root, size] of Object.entries(sizes.subpackages)) expect({ root, size: size <= SUBPACKAGE_LIMIT }).toEqual({ root, size: true });
  });
});
