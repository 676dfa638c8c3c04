import sharp, { type OverlayOptions } from 'sharp';
import type { RawImage, TextRenderer } from './text-renderer';

export const STAMP_RED = '#d7262e';

export interface StampSpec {
  /** Written clockwise along the upper rim. */
  rim: string;
  /** In the middle: ★ on a round seal, the tax number on an invoice seal. */
  middle: string;
  /** Straight, below the middle: 财务专用章, 发票专用章. */
  bottom: string;
  /** Half width and half height: equal for a round seal, wider for the oval invoice seal. */
  rx: number;
  ry: number;
}

const transparent = { r: 0, g: 0, b: 0, alpha: 0 };

/**
 * A red seal as offices stamp receipts: the rim, the name along the upper arc with each character
 * turned to face outwards, something in the middle and a line below it.
 */
export async function drawStamp(spec: StampSpec, texts: TextRenderer): Promise<RawImage> {
  const { rx, ry } = spec;
  const width = Math.ceil(rx * 2 + 8);
  const height = Math.ceil(ry * 2 + 8);
  const cx = width / 2;
  const cy = height / 2;
  const ring = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<ellipse cx="${cx}" cy="${cy}" rx="${rx - 2}" ry="${ry - 2}" fill="none" stroke="${STAMP_RED}" stroke-width="${rx === ry ? 5 : 4}"/></svg>`,
  );
  const chars = [...spec.rim];
  const charSize = Math.round(Math.min(rx, ry) * (rx === ry ? 0.27 : 0.3));
  // Along the inside of the rim, over an arc that grows with the name, at most 250°.
  const span = Math.min(250, chars.length * (rx === ry ? 26 : 19)) * (Math.PI / 180);
  const px = rx - 9 - charSize / 2;
  const py = ry - 9 - charSize / 2;
  const overlays: OverlayOptions[] = [{ input: ring, left: 0, top: 0 }];
  for (const [i, char] of chars.entries()) {
    const t = (3 * Math.PI) / 2 - span / 2 + (chars.length === 1 ? span / 2 : (span * i) / (chars.length - 1));
    const x = cx + px * Math.cos(t);
    const y = cy + py * Math.sin(t);
    // The character's top faces along the rim's outward normal.
    const angle = (Math.atan2(Math.cos(t) / px, -Math.sin(t) / py) * 180) / Math.PI;
    const glyph = await texts.render(char, { size: charSize, color: STAMP_RED, bold: true });
    const turned = await sharp(glyph.data, { raw: { width: glyph.width, height: glyph.height, channels: 4 } })
      .rotate(angle, { background: transparent })
      .raw()
      .toBuffer({ resolveWithObject: true });
    overlays.push({
      input: turned.data,
      raw: { width: turned.info.width, height: turned.info.height, channels: 4 },
      left: Math.round(x - turned.info.width / 2),
      top: Math.round(y - turned.info.height / 2),
    });
  }
  const middle = await texts.render(spec.middle, { size: rx === ry ? Math.round(rx * 0.55) : 11, color: STAMP_RED, bold: rx === ry });
  overlays.push({ input: middle.data, raw: { width: middle.width, height: middle.height, channels: 4 }, left: Math.round(cx - middle.width / 2), top: Math.round(cy - middle.height / 2 + (rx === ry ? -2 : 4)) });
  const bottom = await texts.render(spec.bottom, { size: Math.round(ry * 0.2), color: STAMP_RED, bold: true });
  overlays.push({ input: bottom.data, raw: { width: bottom.width, height: bottom.height, channels: 4 }, left: Math.round(cx - bottom.width / 2), top: Math.round(cy + ry * 0.42 - bottom.height / 2) });
  const { data, info } = await sharp({ create: { width, height, channels: 4, background: transparent } })
    .composite(overlays)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
