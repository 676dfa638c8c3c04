import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { fenToCapitalYuan, fenToYuanString } from '../../shared/money';
import type { PublicVoucher, PublishedMonth } from '../../shared/schemas/public';
import { A4, boardTitle, dayInChinese, fitInside, fitLines, shortDigest } from './board-layout';
import { boardFont } from './fonts';
import { qrSymbol, type QrSymbol } from './qr';

/**
 * The printable A4 sheet a village pins on its 公开栏: title, every receipt in a table, the total
 * in figures and in 大写, the redacted thumbnails, the digest to compare with the phone, and a QR
 * code that opens the month in the app. Output is deterministic for the same month and images.
 */
export interface BoardInput {
  month: PublishedMonth;
  /** The redacted thumbnail's bytes (WebP or JPEG), or null when storage has lost it. */
  loadThumbnail(voucher: PublicVoucher): Promise<Buffer | null>;
  /** What the QR code opens. */
  url: string;
}

interface Thumb {
  jpeg: Buffer;
  width: number;
  height: number;
}

const MARGIN = 36;
const LEFT = MARGIN;
const RIGHT = A4.width - MARGIN;
const WIDTH = RIGHT - LEFT;
const TOP = MARGIN;
/** Content stops here; the footer (page numbers, digest) sits below. */
const BOTTOM = A4.height - 52;
const FOOTER_Y = A4.height - 38;

const INK = '#000000';
const GREY = '#555555';
const RULE = '#888888';
const SHADE = '#e8e8e8';

const TABLE_SIZE = 10;
const TABLE_LINE = 14;
const CELL_PAD = 4;
const AMOUNT_WIDTH = 84;
const COLUMNS = [
  { title: '序号', width: 32, align: 'center' },
  { title: '日期', width: 68, align: 'left' },
  { title: '收款方', width: 150, align: 'left' },
  { title: '说明', width: WIDTH - 32 - 68 - 150 - AMOUNT_WIDTH, align: 'left' },
  { title: '金额（元）', width: AMOUNT_WIDTH, align: 'right' },
] as const;

const GRID_COLUMNS = 4;
const GRID_GAP = 12;
const CELL_WIDTH = (WIDTH - GRID_GAP * (GRID_COLUMNS - 1)) / GRID_COLUMNS;
const IMAGE_HEIGHT = 150;
const GRID_ROW = IMAGE_HEIGHT + 30;

const QR_SIZE = 112;
/** Thumbnails load in parallel, a few at a time, so 200 of them neither queue forever nor flood memory. */
const LOAD_CONCURRENCY = 4;

type Align = 'left' | 'right' | 'center';
interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
  align?: Align;
  /** For right and centre alignment: the box the text sits in, starting at x. */
  width?: number;
}

/** Draws on one document with explicit positions only: pdfkit never wraps or breaks pages by itself here. */
class SheetWriter {
  y = TOP;
  private readonly continuedTitle: string;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly month: PublishedMonth,
    private readonly title: string,
  ) {
    this.continuedTitle = `${title}（续）`;
  }

  measure(text: string, size: number, bold = false): number {
    return this.doc.font(bold ? 'bold' : 'regular').fontSize(size).widthOfString(text);
  }

  put(text: string, x: number, y: number, style: TextStyle): void {
    const { doc } = this;
    doc.font(style.bold ? 'bold' : 'regular').fontSize(style.size).fillColor(style.color ?? INK);
    let left = x;
    if (style.align && style.align !== 'left' && style.width !== undefined) {
      const free = style.width - doc.widthOfString(text);
      left = style.align === 'right' ? x + free : x + free / 2;
    }
    doc.text(text, left, y, { lineBreak: false });
  }

  rule(y: number, from = LEFT, to = RIGHT, width = 0.5, color = RULE): void {
    this.doc.save().moveTo(from, y).lineTo(to, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  /** Starts a new page whose top repeats the title, so a sheet that falls off the board still says what it is. */
  newPage(): void {
    this.doc.addPage();
    this.put(this.continuedTitle, LEFT, TOP, { size: 12, bold: true });
    this.rule(TOP + 22);
    this.y = TOP + 32;
  }

  ensureSpace(height: number, afterBreak?: () => void): void {
    if (this.y + height <= BOTTOM) return;
    this.newPage();
    afterBreak?.();
  }

  header(qr: QrSymbol): void {
    const { month } = this;
    const qrX = RIGHT - QR_SIZE;
    this.drawQr(qr, qrX, TOP, QR_SIZE);
    this.put('手机扫一扫', qrX, TOP + QR_SIZE + 2, { size: 9, align: 'center', width: QR_SIZE, color: GREY });
    this.put('看每张发票的照片', qrX, TOP + QR_SIZE + 14, { size: 9, align: 'center', width: QR_SIZE, color: GREY });

    const textWidth = WIDTH - QR_SIZE - 16;
    let y = TOP;
    for (const line of fitLines(this.title, textWidth, 2, (s) => this.measure(s, 20, true))) {
      this.put(line, LEFT, y, { size: 20, bold: true });
      y += 30;
    }
    this.put(`${month.village.townName} · ${dayInChinese(month.publishedAt)} 经镇里审核后公开`, LEFT, y, { size: 11, color: GREY });
    y += 20;
    this.put(`有效票据 ${month.count} 张，合计 ${fenToYuanString(month.totalFen)} 元`, LEFT, y, { size: 14, bold: true });
    y += 26;
    this.put(`核对码：${shortDigest(month.digest)}`, LEFT, y, { size: 12, bold: true });
    y += 18;
    this.put(`完整摘要（sha256）：${month.digest}`, LEFT, y, { size: 6.5, color: GREY });
    y += 11;
    const note = '手机上“一眼明”显示的核对码与这里相同，说明这张单子和网上公开的内容一致。';
    for (const line of fitLines(note, textWidth, 2, (s) => this.measure(s, 8))) {
      this.put(line, LEFT, y, { size: 8, color: GREY });
      y += 11;
    }
    this.y = Math.max(y, TOP + QR_SIZE + 28) + 12;
  }

  /** QR modules as filled rectangles inside a four-module quiet zone (which is part of `size`). */
  drawQr(qr: QrSymbol, x: number, y: number, size: number): void {
    const { doc } = this;
    const module = size / (qr.size + 8);
    doc.save();
    doc.rect(x, y, size, size).fill('#ffffff');
    for (const run of qr.runs)
      // A hair taller than a module, so rows overlap instead of leaving anti-aliased seams.
      doc.rect(x + (run.col + 4) * module, y + (run.row + 4) * module, run.length * module, module + 0.05);
    doc.fill(INK);
    doc.restore();
  }

  private tableHeader(): void {
    const height = TABLE_LINE + 2 * CELL_PAD;
    this.doc.save().rect(LEFT, this.y, WIDTH, height).fill(SHADE).restore();
    let x = LEFT;
    for (const column of COLUMNS) {
      this.put(column.title, x + CELL_PAD, this.y + CELL_PAD, { size: TABLE_SIZE, bold: true, align: column.align, width: column.width - 2 * CELL_PAD });
      x += column.width;
    }
    this.y += height;
    this.rule(this.y);
  }

  table(): void {
    this.ensureSpace(3 * (TABLE_LINE + 2 * CELL_PAD));
    this.tableHeader();
    const measure = (s: string) => this.measure(s, TABLE_SIZE);
    const inner = (i: number) => COLUMNS[i].width - 2 * CELL_PAD;
    if (!this.month.vouchers.length) {
      this.put('（这个月没有票据）', LEFT + CELL_PAD, this.y + CELL_PAD, { size: TABLE_SIZE, color: GREY });
      this.y += TABLE_LINE + 2 * CELL_PAD;
      this.rule(this.y);
    }
    for (const [i, v] of this.month.vouchers.entries()) {
      const withdrawn = v.status === 'withdrawn';
      const description = withdrawn ? `已撤回：${v.withdrawnReason ?? ''}` : (v.description ?? v.category ?? '');
      const cells = [
        [String(i + 1)],
        [v.date ?? '—'],
        fitLines(v.payee ?? '—', inner(2), 2, measure),
        fitLines(description, inner(3), 2, measure),
        [v.amountFen === null ? '—' : fenToYuanString(v.amountFen)],
      ];
      const height = Math.max(...cells.map((c) => c.length), 1) * TABLE_LINE + 2 * CELL_PAD;
      this.ensureSpace(height, () => this.tableHeader());
      let x = LEFT;
      const color = withdrawn ? GREY : INK;
      cells.forEach((lines, c) => {
        lines.forEach((line, l) =>
          this.put(line, x + CELL_PAD, this.y + CELL_PAD + l * TABLE_LINE, { size: TABLE_SIZE, color, align: COLUMNS[c].align, width: inner(c) }),
        );
        x += COLUMNS[c].width;
      });
      if (withdrawn && v.amountFen !== null) {
        // Struck through: still shown, no longer counted.
        const width = measure(cells[4][0]);
        const lineY = this.y + CELL_PAD + TABLE_LINE * 0.55;
        this.rule(lineY, RIGHT - CELL_PAD - width, RIGHT - CELL_PAD, 0.8, GREY);
      }
      this.y += height;
      this.rule(this.y, LEFT, RIGHT, 0.3);
    }
  }

  total(): void {
    const { month } = this;
    const withdrawn = month.vouchers.some((v) => v.status === 'withdrawn');
    this.ensureSpace(withdrawn ? 62 : 50);
    this.rule(this.y + 1.5, LEFT, RIGHT, 0.8, INK);
    this.y += 6;
    this.put(`合计（有效票据 ${month.count} 张）`, LEFT + CELL_PAD, this.y, { size: 11, bold: true });
    this.put(fenToYuanString(month.totalFen), RIGHT - AMOUNT_WIDTH + CELL_PAD, this.y, { size: 11, bold: true, align: 'right', width: AMOUNT_WIDTH - 2 * CELL_PAD });
    this.y += 20;
    this.put(`人民币（大写）：${fenToCapitalYuan(month.totalFen)}`, LEFT + CELL_PAD, this.y, { size: 11 });
    this.y += 20;
    if (withdrawn) {
      this.put('标“已撤回”的票据经镇里批准撤回，仍列出来供核对，不计入合计。', LEFT + CELL_PAD, this.y, { size: 8, color: GREY });
      this.y += 12;
    }
    this.y += 10;
  }

  grid(thumbs: (Thumb | null)[]): void {
    const vouchers = this.month.vouchers;
    if (!vouchers.length) return;
    this.ensureSpace(26 + GRID_ROW);
    this.put('票据照片', LEFT, this.y, { size: 12, bold: true });
    this.put('（身份证号、电话号码、银行卡号和个人姓名已遮住）', LEFT + this.measure('票据照片', 12, true) + 4, this.y + 3, { size: 9, color: GREY });
    this.y += 24;
    for (let start = 0; start < vouchers.length; start += GRID_COLUMNS) {
      this.ensureSpace(GRID_ROW);
      for (let c = 0; c < GRID_COLUMNS && start + c < vouchers.length; c++)
        this.gridCell(start + c, vouchers[start + c], thumbs[start + c], LEFT + c * (CELL_WIDTH + GRID_GAP), this.y);
      this.y += GRID_ROW;
    }
  }

  private gridCell(index: number, voucher: PublicVoucher, thumb: Thumb | null, x: number, y: number): void {
    const { doc } = this;
    if (thumb) {
      const size = fitInside(thumb.width, thumb.height, CELL_WIDTH, IMAGE_HEIGHT);
      const left = x + (CELL_WIDTH - size.width) / 2;
      const top = y + (IMAGE_HEIGHT - size.height) / 2;
      doc.image(thumb.jpeg, left, top, { width: size.width, height: size.height });
      doc.save().rect(left, top, size.width, size.height).lineWidth(0.4).strokeColor(RULE).stroke().restore();
    } else {
      doc.save().rect(x, y, CELL_WIDTH, IMAGE_HEIGHT).fill(SHADE).restore();
      this.put('照片暂缺', x, y + IMAGE_HEIGHT / 2 - 6, { size: 9, color: GREY, align: 'center', width: CELL_WIDTH });
    }
    const amount = voucher.status === 'withdrawn' ? '已撤回' : voucher.amountFen === null ? '金额不详' : `${fenToYuanString(voucher.amountFen)} 元`;
    this.put(`第 ${index + 1} 张 · ${amount}`, x, y + IMAGE_HEIGHT + 4, { size: 9, align: 'center', width: CELL_WIDTH, color: voucher.status === 'withdrawn' ? GREY : INK });
  }

  /** Page numbers need the page count, so they are written last on the buffered pages. */
  footers(): void {
    const { doc, month } = this;
    const range = doc.bufferedPageRange();
    const [left] = fitLines(`${this.title} · 核对码 ${shortDigest(month.digest)}`, WIDTH - 90, 1, (s) => this.measure(s, 8));
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      this.rule(FOOTER_Y - 5, LEFT, RIGHT, 0.3);
      this.put(left, LEFT, FOOTER_Y, { size: 8, color: GREY });
      this.put(`第 ${i + 1} 页，共 ${range.count} 页`, LEFT, FOOTER_Y, { size: 8, color: GREY, align: 'right', width: WIDTH });
    }
  }
}

/** Any stored thumbnail → a JPEG pdfkit can embed (it takes JPEG and PNG only); transparency lands on white. */
async function toJpeg(bytes: Buffer): Promise<Thumb> {
  // Thumbnails are at most 320 px, about 150 dpi in their cell: kept at their size. Plain libjpeg
  // rather than mozjpeg: twice as fast for a few percent more bytes, and this runs per request.
  const { data, info } = await sharp(bytes).flatten({ background: '#ffffff' }).jpeg({ quality: 80 }).toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}

async function loadThumbs(input: BoardInput): Promise<(Thumb | null)[]> {
  const { vouchers } = input.month;
  const thumbs: (Thumb | null)[] = new Array(vouchers.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < vouchers.length) {
      const i = next++;
      const bytes = await input.loadThumbnail(vouchers[i]);
      thumbs[i] = bytes ? await toJpeg(bytes) : null;
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, vouchers.length) }, worker));
  return thumbs;
}

/** Renders the sheet to PDF bytes. */
export async function renderBoardPdf(input: BoardInput): Promise<Buffer> {
  const { month } = input;
  const thumbs = await loadThumbs(input);
  const title = boardTitle(month.village.name, month.month);
  const lastChange = [month.publishedAt, ...month.amendments.map((a) => a.approvedAt)].sort().at(-1)!;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: title,
      Subject: `${month.village.townName}${month.village.name} ${month.month} 公开的票据与合计`,
      Keywords: month.digest,
      Creator: '一眼明',
      Producer: '一眼明',
      // Fixed dates make the bytes depend on the month alone (pdfkit derives the file ID from them).
      CreationDate: new Date(month.publishedAt),
      ModDate: new Date(lastChange),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', boardFont('regular'));
  doc.registerFont('bold', boardFont('bold'));

  const sheet = new SheetWriter(doc, month, title);
  sheet.header(qrSymbol(input.url));
  sheet.table();
  sheet.total();
  sheet.grid(thumbs);
  sheet.footers();
  doc.end();
  return finished;
}
