import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { VoucherRecord } from '../../domain/voucher';
import type { Models, VoucherModel } from '../models';
import { AlreadyExistsError } from './errors';

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** `ocr_lines` keeps the OCR lines and, under `confidences`, how sure extraction was per field. */
interface OcrLinesColumn {
  lines: unknown[];
  confidences: VoucherRecord['confidences'];
}

function toRecord(row: VoucherModel): VoucherRecord {
  const ocr = parseJson<OcrLinesColumn | null>(row.ocrLines, null);
  return {
    id: row.id,
    villageId: row.villageId,
    month: row.month,
    status: row.status as VoucherRecord['status'],
    sha256: row.sha256,
    originalKey: row.originalKey,
    originalName: row.originalName,
    originalMime: row.originalMime,
    originalBytes: row.originalBytes,
    width: row.width,
    height: row.height,
    displayKey: row.displayKey,
    thumbKey: row.thumbKey,
    publicDisplayKey: row.publicDisplayKey,
    publicThumbKey: row.publicThumbKey,
    ocrEngine: row.ocrEngine,
    ocrText: row.ocrText,
    ocrLines: ocr?.lines ?? null,
    amountFen: row.amountFen === null ? null : Number(row.amountFen),
    date: row.date,
    invoiceCode: row.invoiceCode,
    invoiceNumber: row.invoiceNumber,
    payee: row.payee,
    description: row.description,
    category: row.category as VoucherRecord['category'],
    confidences: ocr?.confidences ?? null,
    flags: parseJson(row.flags, []),
    redactions: parseJson(row.redactions, []),
    processingError: row.processingError,
    uploadedBy: row.uploadedBy,
    withdrawnAt: row.withdrawnAt,
    withdrawnReason: row.withdrawnReason,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export type VoucherChanges = Partial<Omit<VoucherRecord, 'id' | 'villageId' | 'sha256' | 'originalKey' | 'version' | 'createdAt' | 'updatedAt'>>;

/** Domain fields → columns; JSON-valued fields are written as text the same way on both databases. */
function toColumns(changes: VoucherChanges): Record<string, unknown> {
  const { flags, redactions, ocrLines, confidences, ...plain } = changes;
  const columns: Record<string, unknown> = { ...plain };
  if (flags !== undefined) columns.flags = JSON.stringify(flags);
  if (redactions !== undefined) columns.redactions = JSON.stringify(redactions);
  if (ocrLines !== undefined || confidences !== undefined)
    columns.ocrLines = ocrLines === null ? null : JSON.stringify({ lines: ocrLines ?? [], confidences: confidences ?? null });
  return columns;
}

export interface NewVoucher {
  villageId: number;
  month: string;
  sha256: string;
  originalKey: string;
  originalName: string | null;
  originalMime: string;
  originalBytes: number;
  width: number;
  height: number;
  uploadedBy: number | null;
}

export class VoucherRepository {
  constructor(private readonly models: Models) {}

  /** Refuses a second voucher with the same image in one village (unique index). */
  async create(voucher: NewVoucher, transaction?: Transaction): Promise<VoucherRecord> {
    try {
      const row = await this.models.Voucher.create(
        { ...voucher, status: 'processing', flags: '[]', redactions: '[]', version: 1 },
        { transaction },
      );
      return toRecord(row);
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AlreadyExistsError('voucher', voucher.sha256);
      throw error;
    }
  }

  async findById(id: number, transaction?: Transaction): Promise<VoucherRecord | null> {
    const row = await this.models.Voucher.findByPk(id, { transaction });
    return row && toRecord(row);
  }

  async findBySha(villageId: number, sha256: string): Promise<VoucherRecord | null> {
    const row = await this.models.Voucher.findOne({ where: { villageId, sha256 } });
    return row && toRecord(row);
  }

  async listForMonth(villageId: number, month: string, transaction?: Transaction): Promise<VoucherRecord[]> {
    const rows = await this.models.Voucher.findAll({ where: { villageId, month }, order: [['id', 'ASC']], transaction });
    return rows.map(toRecord);
  }

  /** Another voucher with this invoice code and number in any village of the town. */
  async findSameInvoiceInTown(townId: number, invoiceCode: string, invoiceNumber: string, excludeId: number): Promise<VoucherRecord | null> {
    const villages = await this.models.Village.findAll({ attributes: ['id'], where: { townId } });
    const row = await this.models.Voucher.findOne({
      where: { villageId: villages.map((v) => v.id), invoiceCode, invoiceNumber, id: { [Op.ne]: excludeId } },
      order: [['id', 'ASC']],
    });
    return row && toRecord(row);
  }

  /**
   * Saves changes only if the voucher is still at `expected` (version, and status when
   * given) and bumps its version; false when someone else changed it first.
   */
  async update(id: number, expected: { version: number; status?: string }, changes: VoucherChanges, transaction?: Transaction): Promise<boolean> {
    const where: Record<string, unknown> = { id, version: expected.version };
    if (expected.status) where.status = expected.status;
    const [affected] = await this.models.Voucher.update(
      { ...toColumns(changes), version: expected.version + 1 },
      { where, transaction },
    );
    return affected === 1;
  }

  async delete(id: number, transaction?: Transaction): Promise<boolean> {
    return (await this.models.Voucher.destroy({ where: { id }, transaction })) === 1;
  }

  /**
   * Whether a published month shows this image now: it is the current public display copy or
   * thumbnail of a voucher whose month is published.
   */
  async isCurrentPublicImage(key: string): Promise<boolean> {
    const rows = await this.models.Voucher.findAll({
      attributes: ['villageId', 'month'],
      where: { [Op.or]: [{ publicDisplayKey: key }, { publicThumbKey: key }] },
      raw: true,
    });
    for (const { villageId, month } of rows)
      if (await this.models.Publication.findOne({ attributes: ['id'], where: { villageId, month, status: 'published' }, raw: true })) return true;
    return false;
  }

  /** Which of these storage keys some voucher still refers to. */
  async keysInUse(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const columns = ['originalKey', 'displayKey', 'thumbKey', 'publicDisplayKey', 'publicThumbKey'] as const;
    const rows = await this.models.Voucher.findAll({
      attributes: [...columns],
      where: { [Op.or]: columns.map((c) => ({ [c]: keys })) },
    });
    const used = new Set<string>();
    for (const row of rows) for (const c of columns) if (row[c] && keys.includes(row[c] as string)) used.add(row[c] as string);
    return used;
  }
}
