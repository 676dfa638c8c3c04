import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWeapp, BUILD_HOOK_TIMEOUT_MS } from '../helpers/weapp-build';
import { compileWxml, compileWxss, filesWithExt } from '../helpers/weapp-compilers';

/**
 * WeChat's own WXML/WXS and WXSS compilers (the 2020 `wcc`/`wcsc` of `miniprogram-compiler`) accept the build.
 * They catch what Taro and webpack let through: unclosed tags, bad `{{ }}` expressions and syntax WeChat's
 * template engine lacks (`?.`, `??`, arrows), `*` selectors, `:is()`, `&` nesting, escaped class names.
 */
describe("the WeChat build passes WeChat's compilers", () => {
  let out: string;

  beforeAll(async () => {
    out = await buildWeapp();
  }, BUILD_HOOK_TIMEOUT_MS);

  test('wcc compiles every WXML and WXS file', () => {
    const wxml = filesWithExt(out, ['.wxml']);
    expect(wxml).toEqual(expect.arrayContaining(['pages/index/index.wxml']));
    const result = compileWxml(out, wxml, filesWithExt(out, ['.wxs']));
    if (result.code !== 0) throw new Error(`wcc exit ${result.code}:\n${result.output}`);
    expect(result.stdout).toContain('$gwx');
  });

  test('wcsc compiles every WXSS file', () => {
    const wxss = filesWithExt(out, ['.wxss']);
    expect(wxss).toEqual(expect.arrayContaining(['app.wxss']));
    const failures = wxss
      .map((file) => ({ file, result: compileWxss(out, file) }))
      .filter(({ result }) => result.code !== 0)
      .map(({ file, result }) => `${file}: wcsc exit ${result.code}: ${result.output}`);
    expect(failures).toEqual([]);
  });
});

/** The same calls on deliberately broken files: a non-zero exit and the compiler's location, so the checks above can fail. */
describe('the compiler checks can fail', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-broken-weapp-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['an unclosed tag', '<view>\n  <text>hi</text>\n', /broken\.wxml:1:1: end tag missing/],
    ['optional chaining in an expression', '<view>\n  <text>{{ town?.name }}</text>\n</view>\n', /broken\.wxml:2:\d+: Bad value/],
  ])('wcc rejects %s with file:line:col', (_name, source, message) => {
    fs.writeFileSync(path.join(dir, 'broken.wxml'), source);
    fs.writeFileSync(path.join(dir, 'fine.wxml'), '<view>ok</view>\n');
    const result = compileWxml(dir, ['fine.wxml', 'broken.wxml'], []);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(message);
  });

  test.each([
    ['a * selector', '.a { color: red; }\n* { margin: 0; }\n', /broken\.wxss\(2:1\): unexpected token `\*`/],
    [':is()', '.a { color: red; }\n\n:is(.b, .c) { color: blue; }\n', /broken\.wxss\(3:\d+\)/],
  ])('wcsc rejects %s with its location', (_name, source, message) => {
    fs.writeFileSync(path.join(dir, 'broken.wxss'), source);
    const result = compileWxss(dir, 'broken.wxss');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(message);
  });
});
