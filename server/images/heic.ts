// heic-decode ships no types; it returns RGBA pixels.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const decodeHeic: (input: { buffer: Buffer }) => Promise<{ width: number; height: number; data: Uint8ClampedArray }> = require('heic-decode');

/**
 * The largest image size declared in a HEIF file's `ispe` boxes, read without decoding,
 * so a decompression bomb is refused before any pixel is made.
 */
export function heicDeclaredSize(file: Buffer): { width: number; height: number } | null {
  let best: { width: number; height: number } | null = null;
  for (let at = file.indexOf('ispe'); at !== -1 && at + 16 <= file.length; at = file.indexOf('ispe', at + 4)) {
    const width = file.readUInt32BE(at + 8);
    const height = file.readUInt32BE(at + 12);
    if (!best || width * height > best.width * best.height) best = { width, height };
  }
  return best;
}

/** Decodes a HEIC/HEIF still (iPhone photo): libvips as shipped with sharp has no HEVC decoder. */
export async function decodeHeicToRgba(file: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const image = await decodeHeic({ buffer: file });
  return { data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), width: image.width, height: image.height };
}
