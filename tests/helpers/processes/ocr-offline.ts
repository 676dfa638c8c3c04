/**
 * Runs each named OCR engine on one image through `analyzeImage` and prints one JSON line per
 * engine: { engine, lines, text }. Used under the deny-network preload.
 *
 *   node --require ./deny-network.cjs --import tsx ocr-offline.ts IMAGE paddle tesseract
 */
import fs from 'node:fs';
import { createOcrEngine } from '../../../server/ocr/create-engine';
import type { OcrEngineName } from '../../../server/ocr/ocr-engine';
import { analyzeImage } from '../../../server/pipeline/analyze';

async function main() {
  const [image, ...engines] = process.argv.slice(2);
  for (const name of engines as OcrEngineName[]) {
    const engine = await createOcrEngine(name);
    try {
      const analysis = await analyzeImage(fs.readFileSync(image), engine);
      const text = analysis.ocr.lines.map((l) => l.text).join('\n');
      console.log(JSON.stringify({ engine: name, lines: analysis.ocr.lines.length, text }));
    } finally {
      await engine.close();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
