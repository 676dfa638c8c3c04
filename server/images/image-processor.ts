import fs from 'node:fs';
import sharp, { type Sharp } from 'sharp';
import type { Box } from '../ocr/ocr-engine';
import { decodeHeicToRgba, heicDeclaredSize } from './heic';
import type { ImageFormat } from './sniff';

/** Decompression bombs are refused before decoding. */
export const MAX_PIXELS = 50_000_000;
export const DISPLAY_LONG_SIDE = 1600;
export const THUMB_LONG_SIDE = 320;
/** The copy handed to OCR; engines scale it down further to what they need. */
const OCR_LONG_SIDE = 2400;

export class ImageRejectedError extends Error {
  constructor(
    readonly reason: 'unreadable' | 'too_many_pixels',
    detail: string,
  ) {
    super(detail);
    this.name = 'ImageRejectedError';
  }
}

export interface UprightImage {
  /** Upright, metadata-free pixels: every derived image is made from these. */
  pixels: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

export interface DerivedImages {
  display: Buffer;
  thumb: Buffer;
  publicDisplay: Buffer;
  publicThumb: Buffer;
  /** Upright JPEG for OCR; boxes found on it scale by `width / ocrWidth`. */
  ocrInput: Buffer;
  ocrWidth: number;
}

function fromPixels(image: UprightImage): Sharp {
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

/** Opaque black boxes over personal data, clipped to the image. */
function redact(image: UprightImage, boxes: Box[]): Sharp {
  const overlays = boxes
    .map(([x, y, w, h]) => {
      const left = Math.max(0, Math.floor(x));
      const top = Math.max(0, Math.floor(y));
      const width = Math.min(image.width - left, Math.ceil(x + w) - left);
      const height = Math.min(image.height - top, Math.ceil(y + h) - top);
      return { left, top, width, height };
    })
    .filter((b) => b.width > 0 && b.height > 0)
    .map(({ left, top, width, height }) => ({
      input: { create: { width, height, channels: 4 as const, background: { r: 0, g: 0, b: 0, alpha: 1 } } },
      left,
      top,
    }));
  return overlays.length ? fromPixels(image).composite(overlays) : fromPixels(image);
}

/** Sharp output carries no EXIF, GPS or ICC unless asked to; these never ask. */
async function encodeDisplay(pipeline: Sharp): Promise<Buffer> {
  return pipeline
    .resize({ width: DISPLAY_LONG_SIDE, height: DISPLAY_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();
}

async function encodeThumb(pipeline: Sharp): Promise<Buffer> {
  return pipeline.resize({ width: THUMB_LONG_SIDE, height: THUMB_LONG_SIDE, fit: 'inside', withoutEnlargement: true }).webp({ quality: 72 }).toBuffer();
}

export const imageProcessor = {
  /**
   * Checks an upload without fully decoding it: declared size first (bombs), then a cheap
   * shrink-on-load decode that still reads every byte, so truncated files are caught.
   */
  async inspect(source: Buffer | string, format: ImageFormat): Promise<{ width: number; height: number }> {
    if (format === 'heic') {
      // The HEIF decoder needs the whole file in memory; uploads are bounded in size.
      const file = typeof source === 'string' ? await fs.promises.readFile(source) : source;
      if (file.length === 0) throw new ImageRejectedError('unreadable', 'empty file');
      const declared = heicDeclaredSize(file);
      if (!declared) throw new ImageRejectedError('unreadable', 'HEIF without image size');
      if (declared.width * declared.height > MAX_PIXELS) throw new ImageRejectedError('too_many_pixels', `${declared.width}x${declared.height}`);
      try {
        const decoded = await decodeHeicToRgba(file);
        return { width: decoded.width, height: decoded.height };
      } catch (error) {
        throw new ImageRejectedError('unreadable', `HEIC decode failed: ${(error as Error).message}`);
      }
    }
    let meta;
    try {
      meta = await sharp(source, { limitInputPixels: false }).metadata();
    } catch (error) {
      throw new ImageRejectedError('unreadable', (error as Error).message);
    }
    if (!meta.width || !meta.height) throw new ImageRejectedError('unreadable', 'no image size');
    if (meta.width * meta.height > MAX_PIXELS) throw new ImageRejectedError('too_many_pixels', `${meta.width}x${meta.height}`);
    if ((meta.pages ?? 1) > 1) throw new ImageRejectedError('unreadable', 'animated or multi-page image');
    try {
      await sharp(source, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
    } catch (error) {
      throw new ImageRejectedError('unreadable', (error as Error).message);
    }
    return { width: meta.width, height: meta.height };
  },

  /** Decodes a stored original and turns it upright by its EXIF orientation. */
  async upright(file: Buffer, format: ImageFormat): Promise<UprightImage> {
    const source =
      format === 'heic'
        ? await decodeHeicToRgba(file).then((d) => sharp(d.data, { raw: { width: d.width, height: d.height, channels: 4 } }))
        : sharp(file, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' }).autoOrient();
    const { data, info } = await source.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { pixels: data, width: info.width, height: info.height, channels: info.channels as 3 };
  },

  async ocrInput(image: UprightImage): Promise<{ data: Buffer; width: number }> {
    const { data, info } = await fromPixels(image)
      .resize({ width: OCR_LONG_SIDE, height: OCR_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 92 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width };
  },

  /** Display copy and thumbnail, plus their public twins with `boxes` (upright pixels) blacked out. */
  async derive(image: UprightImage, boxes: Box[]): Promise<Omit<DerivedImages, 'ocrInput' | 'ocrWidth'>> {
    if (boxes.length === 0) {
      // Nothing to black out: the public twins are the same bytes, so encode once.
      const [display, thumb] = await Promise.all([encodeDisplay(fromPixels(image)), encodeThumb(fromPixels(image))]);
      return { display, thumb, publicDisplay: display, publicThumb: thumb };
    }
    // Compositing adds an alpha channel: keep whatever channel count comes back.
    const { data, info } = await redact(image, boxes).raw().toBuffer({ resolveWithObject: true });
    const redactedImage: UprightImage = { ...image, pixels: data, channels: info.channels as 3 | 4 };
    const [display, thumb, publicDisplay, publicThumb] = await Promise.all([
      encodeDisplay(fromPixels(image)),
      encodeThumb(fromPixels(image)),
      encodeDisplay(fromPixels(redactedImage)),
      encodeThumb(fromPixels(redactedImage)),
    ]);
    return { display, thumb, publicDisplay, publicThumb };
  },
};

export type ImageProcessor = typeof imageProcessor;
