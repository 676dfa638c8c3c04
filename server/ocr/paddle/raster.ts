import sharp from 'sharp';

/** Decoded pixels, 3 channels RGB, row-major. */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

export async function decodeRgb(image: Buffer): Promise<RgbImage> {
  // toColourspace('srgb') turns grayscale scans into 3 channels, so indexing below never branches.
  const { data, info } = await sharp(image).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (width === image.width && height === image.height) return image;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data, width, height };
}
