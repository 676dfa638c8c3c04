import sharp from 'sharp';

/**
 * Chinese text drawn with sharp (pango) from the Noto Sans SC files of the npm package the board
 * PDF uses, passed as `fontfile`: no system font is needed (librsvg's SVG text would need one).
 */
const FONT_FILES = {
  regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
} as const;

/** Decoded RGBA pixels, ready to composite. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

export interface TextStyle {
  /** Pixels (pango points at 72 dpi). */
  size: number;
  color: string;
  bold?: boolean;
}

const escapeMarkup = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders one line of text, cropped to its ink; each distinct text and style is rendered once per renderer. */
export class TextRenderer {
  private readonly cache = new Map<string, Promise<RawImage>>();

  render(text: string, style: TextStyle): Promise<RawImage> {
    const key = `${style.size}|${style.color}|${style.bold ? 'b' : 'r'}|${text}`;
    let image = this.cache.get(key);
    if (!image) {
      image = renderText(text, style);
      this.cache.set(key, image);
    }
    return image;
  }
}

export async function renderText(text: string, style: TextStyle): Promise<RawImage> {
  const weight = style.bold ? 'bold' : 'regular';
  const { data, info } = await sharp({
    text: {
      text: `<span foreground="${style.color}">${escapeMarkup(text)}</span>`,
      fontfile: FONT_FILES[weight],
      font: `Noto Sans SC${style.bold ? ' Bold' : ''} ${style.size}`,
      dpi: 72,
      rgba: true,
    },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
