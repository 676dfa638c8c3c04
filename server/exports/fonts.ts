import fs from 'node:fs';

/**
 * The board sheet's CJK font, Noto Sans SC (SIL OFL), comes from an npm package so every machine
 * renders the same glyphs without any system font. pdfkit embeds only the glyphs used (a subset),
 * so the 10 MB files cost a few dozen KB in each PDF.
 */
export const BOARD_FONT_FILES = {
  regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
} as const;

export type BoardFont = keyof typeof BOARD_FONT_FILES;

const loaded = new Map<BoardFont, Buffer>();

/** The font file's bytes, read once per process (each PDF parses its own copy cheaply). */
export function boardFont(name: BoardFont): Buffer {
  let bytes = loaded.get(name);
  if (!bytes) {
    bytes = fs.readFileSync(BOARD_FONT_FILES[name]);
    loaded.set(name, bytes);
  }
  return bytes;
}
