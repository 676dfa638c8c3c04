/**
 * Writes each image's OCR result (as `analyzeImage` returns it: boxes in full-size upright
 * pixels) to OUTDIR/<file name>.json, for tuning field extraction without re-running OCR.
 *
 *   node --import tsx scripts/ocr-dump.ts paddle|tesseract OUTDIR FILE...
 */
import fs from 'node:fs';
import path from 'node:path';
import { OCR_ENGINES, type OcrEngineName } from '../server/ocr/ocr-engine';
import { createOcrEngine } from '../server/ocr/create-engine';
import { analyzeImage } from '../server/pipeline/analyze';

async function main() {
  const [name, outDir, ...files] = process.argv.slice(2);
  if (!OCR_ENGINES.includes(name as OcrEngineName) || !outDir || files.length === 0) {
    console.error(`usage: ocr-dump.ts <${OCR_ENGINES.join('|')}> OUTDIR FILE...`);
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  const engine = await createOcrEngine(name as OcrEngineName);
  try {
    for (const file of files) {
      const analysis = await analyzeImage(fs.readFileSync(file), engine);
      const target = path.join(outDir, `${path.basename(file)}.json`);
      // Write then rename, so a reader never sees half a file.
      const temp = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(analysis.ocr));
      fs.renameSync(temp, target);
      console.log(`${path.basename(file)}\t${analysis.ocr.lines.length} lines\t${Math.round(analysis.ocrMs)} ms`);
    }
  } finally {
    await engine.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
