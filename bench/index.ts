/** `npm run -s bench -- NAME` runs bench/NAME.ts; with no name, lists them. */
import fs from 'node:fs';
import path from 'node:path';

const available = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.log(`usage: npm run -s bench -- <${available.join('|')}>`);
  process.exit(name ? 2 : 0);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require(path.join(__dirname, name)) as { main(): Promise<void> }).main().catch((error) => {
  console.error(error);
  process.exit(1);
});
