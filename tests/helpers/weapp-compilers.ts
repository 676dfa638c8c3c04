/**
 * WeChat's own WXML/WXS (`wcc`) and WXSS (`wcsc`) compilers from the `miniprogram-compiler` package, run offline.
 * The package ships them without the execute bit and its JS wrapper chmods them inside node_modules (and loses
 * wcsc's error text), so we run our own executable copies and keep the compilers' file:line:col messages.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes';

const BIN_DIR = path.join(ROOT, 'node_modules', 'miniprogram-compiler', 'bin', 'linux');

export interface CompileResult {
  code: number | null;
  /** stdout (the generated JS on success) */
  stdout: string;
  /** stderr and stdout together, for error messages */
  output: string;
}

/** Executable copies live in the gitignored test-output/, reused across runs; refreshed when the package's binary changes. */
const COPY_DIR = path.join(ROOT, 'test-output', 'wechat-compilers');

/** Paths of executable copies of wcc and wcsc. */
export function compilerBinaries(): { wcc: string; wcsc: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`WeChat's compilers are only wired up for linux-x64 here (this is ${process.platform}-${process.arch})`);
  fs.mkdirSync(COPY_DIR, { recursive: true });
  for (const name of ['wcc', 'wcsc']) {
    const source = path.join(BIN_DIR, name);
    const copy = path.join(COPY_DIR, name);
    const current = fs.statSync(copy, { throwIfNoEntry: false });
    if (current && current.size === fs.statSync(source).size && current.mtimeMs >= fs.statSync(source).mtimeMs) continue;
    // Parallel jest workers: copy to a private name, then rename over (atomic).
    const temp = `${copy}.${process.pid}`;
    fs.copyFileSync(source, temp);
    fs.chmodSync(temp, 0o755);
    fs.renameSync(temp, copy);
  }
  return { wcc: path.join(COPY_DIR, 'wcc'), wcsc: path.join(COPY_DIR, 'wcsc') };
}

function run(bin: string, args: string[], cwd: string): CompileResult {
  const result = spawnSync(bin, args, { cwd, timeout: 30_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, output: `${result.stderr}${result.stdout}`.trim() };
}

/**
 * wcc's custom-component argument, as WeChat's tools pass it: how many WXML files have a usingComponents
 * JSON, then for each its path, the count and the tag names.
 */
function componentArgs(root: string, wxmlFiles: string[]): string {
  const args: (string | number)[] = [];
  let count = 0;
  for (const file of wxmlFiles) {
    const jsonPath = path.join(root, file.replace(/\.wxml$/, '.json'));
    let json: { usingComponents?: Record<string, string> } = {};
    try {
      json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    } catch {
      continue; // a WXML without a JSON (an imported template) has no components
    }
    if (!json.usingComponents) continue;
    const tags = Object.keys(json.usingComponents);
    args.push(file, tags.length, ...tags);
    count++;
  }
  return [count, ...args].join(' ');
}

/** Files of `root` with one of `exts`, relative, forward slashes, sorted (node_modules left out as WeChat does). */
export function filesWithExt(root: string, exts: string[], prefix = ''): string[] {
  return fs
    .readdirSync(path.join(root, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesWithExt(root, exts, rel);
      return exts.includes(path.extname(entry.name)) ? [rel] : [];
    })
    .sort();
}

/** Compiles all WXML and WXS files of `root` together (imports resolve across them); stdout defines `$gwx`. */
export function compileWxml(root: string, wxmlFiles = filesWithExt(root, ['.wxml']), wxsFiles = filesWithExt(root, ['.wxs'])): CompileResult {
  const { wcc } = compilerBinaries();
  return run(wcc, ['-d', '-cc', componentArgs(root, wxmlFiles), ...wxmlFiles, ...wxsFiles, '-gn', '$gwx'], root);
}

/** Compiles one WXSS file (`file` relative to `root`). */
export function compileWxss(root: string, file: string): CompileResult {
  const { wcsc } = compilerBinaries();
  // wcsc resolves @import only among the files it is given (subpackage pages import their sub-vendors.wxss).
  return run(wcsc, ['-db', file, ...wxssImports(root, file)], root);
}

/** Files `file` imports, directly or not, relative to `root`. */
function wxssImports(root: string, file: string, seen = new Set<string>([file])): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/@import\s+["']([^"']+)["']/g)) {
    const target = path.relative(root, path.resolve(root, path.dirname(file), match[1]));
    if (seen.has(target) || !fs.existsSync(path.join(root, target))) continue;
    seen.add(target);
    found.push(target, ...wxssImports(root, target, seen));
  }
  return found;
}

/**
 * Stand-in for `miniprogram-compiler`'s JS API as miniprogram-simulate uses it (`wxmlToJs` only),
 * backed by the binaries above so simulate's rendering goes through the same wcc with a readable error.
 */
export const simulateCompiler = {
  wxmlToJs(rootPath: string): string {
    const result = compileWxml(rootPath);
    if (result.code !== 0) throw new Error(`wcc failed in ${rootPath}:\n${result.output}`);
    return `${result.stdout};\nreturn $gwx;`;
  },
  wxssToJs(): string {
    throw new Error('wxssToJs is not used by miniprogram-simulate');
  },
};
