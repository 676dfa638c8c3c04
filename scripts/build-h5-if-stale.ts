/**
 * `npm start` calls this: builds the H5 mini-program only when its sources are newer than
 * the last build, so a restart takes seconds instead of half a minute.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const output = path.join(root, 'miniprogram', 'dist', 'h5', 'index.html');
const sources = ['miniprogram/src', 'miniprogram/config', 'miniprogram/babel.config.js', 'miniprogram/package.json', 'shared'].map((p) =>
  path.join(root, p),
);

function newestMtime(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
}

const built = fs.statSync(output, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...sources.map(newestMtime));
if (built > changed) {
  process.stdout.write('H5 mini-program is up to date (miniprogram/dist/h5)\n');
} else {
  process.stdout.write('building the H5 mini-program (about 20 s)…\n');
  const result = spawnSync('npm', ['run', '-s', 'build:h5'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
