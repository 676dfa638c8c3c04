/**
 * tesseract.js reads every language from one `langPath` folder, while the npm packages keep
 * each language in its own package. This builds that folder under os.tmpdir() from the
 * package files (never from the network), once per machine.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export type TessdataVariant = '4.0.0' | '4.0.0_best_int';
export const TESSERACT_LANGS = ['chi_sim', 'eng'] as const;

/**
 * best_int chi_sim's embedded config starts with `tessedit_load_sublangs chi_sim_vert`. The wasm
 * build fails to load that sub-language and then silently drops `eng` from `chi_sim+eng`.
 * Turning the line into a comment (same length, so the file's offset table stays valid) fixes it.
 */
const SUBLANG_LINE = Buffer.from('tessedit_load_sublangs chi_sim_vert\n');

function packageFile(lang: string, variant: TessdataVariant): string {
  const dir = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  return path.join(dir, variant, `${lang}.traineddata.gz`);
}

export function patchTraineddata(data: Buffer): Buffer {
  const at = data.indexOf(SUBLANG_LINE);
  if (at < 0) return data;
  const patched = Buffer.from(data);
  patched[at] = '#'.charCodeAt(0);
  return patched;
}

/** Returns a folder holding `<lang>.traineddata` (uncompressed, patched) for each language. */
export function prepareTessdata(variant: TessdataVariant): string {
  const sources = TESSERACT_LANGS.map((lang) => packageFile(lang, variant));
  // The folder name depends on the source files, so an upgraded package never meets stale data.
  const hash = crypto.createHash('sha256');
  for (const file of sources) hash.update(`${file}:${fs.statSync(file).size}:${fs.statSync(file).mtimeMs}`);
  const dir = path.join(os.tmpdir(), `yiyanming-tessdata-${variant}-${hash.digest('hex').slice(0, 12)}`);
  fs.mkdirSync(dir, { recursive: true });
  TESSERACT_LANGS.forEach((lang, i) => {
    const target = path.join(dir, `${lang}.traineddata`);
    if (fs.existsSync(target)) return;
    // Write then rename: another process starting at the same time never reads half a file.
    const temp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temp, patchTraineddata(zlib.gunzipSync(fs.readFileSync(sources[i]))));
    fs.renameSync(temp, target);
  });
  return dir;
}
