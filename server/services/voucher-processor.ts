import type { Redaction, VoucherFlag } from '../../shared/schemas/vouchers';
import type { Clock } from '../adapters/clock';
import { crashPoint } from '../adapters/crash-points';
import type { AuditRepository } from '../db/repositories/audit-repository';
import type { VoucherRepository } from '../db/repositories/voucher-repository';
import type { Transactor } from '../db/transactor';
import { storageKeysOf } from '../domain/voucher';
import type { ImageProcessor } from '../images/image-processor';
import type { Logger } from '../logger';
import type { Box, OcrEngine } from '../ocr/ocr-engine';
import { analyzeImage } from '../pipeline/analyze';
import { FIELD_CONFIDENCE_FLOOR, type SensitiveFinding } from '../pipeline/findings';
import type { DirectoryService } from './directory-service';
import type { StorageJanitor } from './storage-janitor';
import type { VoucherImages } from './voucher-images';

export interface VoucherProcessorDeps {
  vouchers: VoucherRepository;
  audit: AuditRepository;
  directory: DirectoryService;
  images: ImageProcessor;
  voucherImages: VoucherImages;
  janitor: StorageJanitor;
  engine: () => Promise<OcrEngine>;
  transactor: Transactor;
  clock: Clock;
  logger: Logger;
}

const SENSITIVE_LABELS: Record<SensitiveFinding['type'], string> = { idcard: '身份证号', phone: '手机号', bankcard: '银行卡号', name: '个人姓名' };

function scale([x, y, w, h]: Box, factor: number): Box {
  return [Math.round(x * factor), Math.round(y * factor), Math.round(w * factor), Math.round(h * factor)];
}

/**
 * The work of one voucher.process job: read the original, OCR it, find fields and personal
 * data, make display copies and their redacted twins, and file the result. Safe to run again
 * after a crash: derived files are content-addressed and the final save only happens once.
 */
export class VoucherProcessor {
  constructor(private readonly deps: VoucherProcessorDeps) {}

  async process(voucherId: number, signal?: AbortSignal): Promise<void> {
    const { vouchers, images, voucherImages, janitor, logger } = this.deps;
    const voucher = await vouchers.findById(voucherId);
    if (!voucher || voucher.status !== 'processing') {
      logger.info({ voucher: voucherId, status: voucher?.status ?? 'deleted' }, '[vouchers.process:skipped]');
      return;
    }
    const started = Date.now();
    const upright = await voucherImages.upright(voucher);
    const ocrInput = await images.ocrInput(upright);
    signal?.throwIfAborted();
    const engine = await this.deps.engine();
    const analysis = await analyzeImage(ocrInput.data, engine);
    signal?.throwIfAborted();
    const factor = upright.width / ocrInput.width;

    // Boxes people drew stay; automatic ones are found anew.
    const manual = voucher.redactions.filter((r) => r.source === 'manual');
    const auto: Redaction[] = analysis.sensitive.map((s) => ({ box: scale(s.box, factor), type: s.type, source: 'auto' }));
    const redactions = [...auto, ...manual];
    const keys = await voucherImages.deriveAndStore(upright, redactions.map((r) => r.box));
    crashPoint('process.derived');

    const { fields } = analysis;
    const flags: VoucherFlag[] = [];
    const lowConfidence = (['amountFen', 'date', 'payee'] as const).filter((f) => fields[f].confidence < FIELD_CONFIDENCE_FLOOR);
    if (fields.checks.length || lowConfidence.length)
      flags.push({ type: 'needs_checking', message: fields.checks[0] ?? '有些内容没认清，请对照图片核对金额、日期和收款方', acknowledged: false });
    if (analysis.sensitive.length) {
      const kinds = [...new Set(analysis.sensitive.map((s) => SENSITIVE_LABELS[s.type]))].join('、');
      flags.push({ type: 'personal_data', message: `发现${kinds}，已自动遮挡，请核对遮挡是否完整`, acknowledged: false });
    }
    const invoiceCode = fields.invoiceCode.value;
    const invoiceNumber = fields.invoiceNumber.value;
    if (invoiceNumber) {
      const village = await this.deps.directory.getVillage(voucher.villageId);
      const other = await vouchers.findSameInvoiceInTown(village.townId, invoiceCode ?? '', invoiceNumber, voucher.id);
      if (other && (other.invoiceCode ?? '') === (invoiceCode ?? ''))
        flags.push({ type: 'duplicate', message: `可能与凭证 ${other.id} 是同一张发票，请确认`, otherVoucherId: other.id, acknowledged: false });
    }

    const details = { engine: analysis.ocr.engine, ocrMs: Math.round(analysis.ocrMs), flags: flags.map((f) => f.type), redactions: auto.length };
    // The result and its audit record are saved together, so a crash in between cannot leave a
    // processed voucher without its record (the job's rerun skips a voucher no longer processing).
    const saved = await this.deps.transactor.runRetrying(async (tx) => {
      const updated = await vouchers.update(
        voucher.id,
        { version: voucher.version, status: 'processing' },
        {
          status: 'ready',
          processingError: null,
          width: upright.width,
          height: upright.height,
          ...keys,
          ocrEngine: analysis.ocr.engine,
          ocrText: analysis.ocr.lines.map((l) => l.text).join('\n'),
          ocrLines: analysis.ocr.lines.map((l) => ({ ...l, box: scale(l.box, factor) })),
          confidences: {
            amountFen: fields.amountFen.confidence,
            date: fields.date.confidence,
            invoiceCode: fields.invoiceCode.confidence,
            invoiceNumber: fields.invoiceNumber.confidence,
            payee: fields.payee.confidence,
            category: fields.category.confidence,
          },
          amountFen: fields.amountFen.value,
          date: fields.date.value,
          invoiceCode,
          invoiceNumber,
          payee: fields.payee.value,
          category: fields.category.value ?? '其他',
          flags,
          redactions,
        },
        tx,
      );
      if (updated)
        await this.deps.audit.record(
          { at: this.deps.clock.now(), actorUserId: null, actorRole: 'system', action: 'voucher.processed', subjectType: 'voucher', subjectId: String(voucher.id), villageId: voucher.villageId, details },
          tx,
        );
      return updated;
    });
    if (!saved) {
      // Deleted or changed while we worked: whatever we made is not needed.
      await janitor.deleteUnreferenced(Object.values(keys));
      logger.info({ voucher: voucher.id }, '[vouchers.process:superseded]');
      return;
    }
    crashPoint('process.saved');
    // Copies of an earlier run (reprocessing); after a crash here the storage sweep takes them.
    await janitor.deleteUnreferenced(storageKeysOf(voucher).filter((k) => k !== voucher.originalKey));
    logger.info({ voucher: voucher.id, village: voucher.villageId, ms: Date.now() - started, ocrMs: Math.round(analysis.ocrMs) }, '[vouchers.process:done]');
  }

  /** After the job's last attempt: the voucher shows the reason instead of spinning forever. */
  async markFailed(voucherId: number, reason: string): Promise<void> {
    const voucher = await this.deps.vouchers.findById(voucherId);
    if (!voucher || voucher.status !== 'processing') return;
    const saved = await this.deps.vouchers.update(voucherId, { version: voucher.version, status: 'processing' }, {
      status: 'failed',
      processingError: `图片处理失败：${reason}`.slice(0, 1000),
    });
    if (saved)
      await this.deps.audit.record({
        at: this.deps.clock.now(),
        actorUserId: null,
        actorRole: 'system',
        action: 'voucher.failed',
        subjectType: 'voucher',
        subjectId: String(voucherId),
        villageId: voucher.villageId,
        details: { reason },
      });
  }
}
