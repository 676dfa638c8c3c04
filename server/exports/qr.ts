import QRCode from 'qrcode';

/** One horizontal run of dark modules in a QR symbol, in module units. */
export interface QrRun {
  row: number;
  col: number;
  length: number;
}

export interface QrSymbol {
  /** Modules per side, without the quiet zone. */
  size: number;
  runs: QrRun[];
}

/**
 * The QR symbol for a URL as runs of dark modules, so it can be drawn as vector rectangles:
 * sharp at any print size, and merging each row's neighbours leaves no hairline seams between
 * modules when a printer or viewer anti-aliases. Level M survives a scuffed or rained-on sheet.
 */
export function qrSymbol(text: string): QrSymbol {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const runs: QrRun[] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push({ row, col: start, length: col - start });
        start = -1;
      }
    }
  }
  return { size: modules.size, runs };
}
