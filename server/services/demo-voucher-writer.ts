import { createHash } from 'node:crypto';
import type { Redaction, VoucherFlag } from '../../shared/schemas/vouchers';
import type { VoucherRepository } from '../db/repositories/voucher-repository';
import type { DemoReceipt } from '../demo/receipt-plan';
import type { DrawnReceipt, ReceiptPainter } from '../demo/receipt-image';
import type { VoucherRecord } from '../domain/voucher';
import type { ObjectStorage } from '../storage/object-storage';
import type { DerivedKeys, VoucherImages } from './voucher-images';

export interface DemoVoucherWriterDeps {
  vouchers: VoucherRepository;
  storage: ObjectStorage;
  voucherImages: VoucherImages;
}

/** How the accountant left a demo voucher. */
export interface DemoVoucherState {
  /** Flags already looked at (published and submitted months), or still open (a draft). */
  acknowledged: boolean;
  /** The accountant misread the amount: the facts say this, the receipt says `receipt.amountFen`. */
  typedAmountFen?: number;
  /** OCR was unsure: the voucher asks to be checked before the month can be submitted. */
  needsChecking?: boolean;
}

/** A receipt drawn and its copies stored, before it is filed as a voucher. */
export interface PreparedReceipt {
  receipt: DemoReceipt;
  drawn: DrawnReceipt;
  sha256: string;
  redactions: Redaction[];
  keys: DerivedKeys;
}

const PERSONAL_LABELS = { phone: '手机号', idcard: '身份证号', name: '个人姓名' } as const;

/**
 * Files drawn demo receipts as vouchers the way processing would have left them: original,
 * display copy, thumbnail and their redacted public twins made by the real image code, and the
 * facts and OCR lines written directly (the text drawn is known, so no OCR runs at start-up).
 */
export class DemoVoucherWriter {
  constructor(private readonly deps: DemoVoucherWriterDeps) {}

  /** The image work, which may run alongside other receipts'. */
  async prepare(receipt: DemoReceipt, painter: ReceiptPainter): Promise<PreparedReceipt> {
    const drawn = await painter.draw(receipt);
    const sha256 = createHash('sha256').update(drawn.jpeg).digest('hex');
    const original = { originalKey: `originals/${sha256}`, originalMime: 'image/jpeg' };
    await this.deps.storage.put(original.originalKey, drawn.jpeg);
    const redactions: Redaction[] = drawn.personal.map(({ type, box }) => ({ type, box, source: 'auto' }));
    const upright = await this.deps.voucherImages.upright(original);
    const keys = await this.deps.voucherImages.deriveAndStore(upright, redactions.map((r) => r.box));
    return { receipt, drawn, sha256, redactions, keys };
  }

  /** Files one prepared receipt in the village's month; run one at a time so ids follow the receipts' order. */
  async file(prepared: PreparedReceipt, villageId: number, month: string, uploadedBy: number, state: DemoVoucherState): Promise<VoucherRecord> {
    const { receipt, drawn, sha256, redactions, keys } = prepared;
    const created = await this.deps.vouchers.create({
      villageId, month, sha256, originalKey: `originals/${sha256}`, originalName: receipt.fileName, originalMime: 'image/jpeg',
      originalBytes: drawn.jpeg.length, width: drawn.width, height: drawn.height, uploadedBy,
    });
    const flags: VoucherFlag[] = [];
    if (state.needsChecking)
      flags.push({ type: 'needs_checking', message: '有些内容没认清，请对照图片核对金额、日期和收款方', acknowledged: state.acknowledged });
    if (redactions.length) {
      const kinds = [...new Set(redactions.map((r) => PERSONAL_LABELS[r.type as keyof typeof PERSONAL_LABELS]))].join('、');
      flags.push({ type: 'personal_data', message: `发现${kinds}，已自动遮挡，请核对遮挡是否完整`, acknowledged: state.acknowledged });
    }
    const invoice = receipt.invoiceNumber !== null;
    const saved = await this.deps.vouchers.update(created.id, { version: created.version, status: 'processing' }, {
      status: 'ready',
      ...keys,
      // Not an OCR engine's reading: the lines are the texts the demo drew, where it drew them.
      ocrEngine: 'demo',
      ocrText: drawn.lines.map((l) => l.text).join('\n'),
      ocrLines: drawn.lines,
      confidences: { amountFen: 0.97, date: 0.96, invoiceCode: invoice ? 0.95 : 0, invoiceNumber: invoice ? 0.95 : 0, payee: state.needsChecking ? 0.42 : 0.9, category: 0.8 },
      amountFen: state.typedAmountFen ?? receipt.amountFen,
      date: receipt.date,
      invoiceCode: receipt.invoiceCode,
      invoiceNumber: receipt.invoiceNumber,
      payee: receipt.payee,
      description: receipt.description,
      category: receipt.category,
      flags,
      redactions,
    });
    if (!saved) throw new Error(`demo voucher ${created.id} changed while it was being filed`);
    return (await this.deps.vouchers.findById(created.id))!;
  }
}
