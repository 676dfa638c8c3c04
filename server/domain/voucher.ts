import type { Category } from '../../shared/categories';
import type { Redaction, VoucherFlag, VoucherStatus } from '../../shared/schemas/vouchers';

export interface FieldConfidences {
  amountFen: number;
  date: number;
  invoiceCode: number;
  invoiceNumber: number;
  payee: number;
  category: number;
}

/** A voucher with its JSON columns parsed; what services work with. */
export interface VoucherRecord {
  id: number;
  villageId: number;
  month: string;
  status: VoucherStatus;
  sha256: string;
  originalKey: string;
  originalName: string | null;
  originalMime: string | null;
  originalBytes: number | null;
  width: number | null;
  height: number | null;
  displayKey: string | null;
  thumbKey: string | null;
  publicDisplayKey: string | null;
  publicThumbKey: string | null;
  ocrEngine: string | null;
  ocrText: string | null;
  ocrLines: unknown[] | null;
  amountFen: number | null;
  date: string | null;
  invoiceCode: string | null;
  invoiceNumber: string | null;
  payee: string | null;
  description: string | null;
  category: Category | null;
  confidences: FieldConfidences | null;
  flags: VoucherFlag[];
  redactions: Redaction[];
  processingError: string | null;
  uploadedBy: number | null;
  /** Set when an approved amendment took the voucher out of its published month. */
  withdrawnAt: Date | null;
  withdrawnReason: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The facts a person reads off a voucher and may correct: what staff edit and the public chain records. */
export const VOUCHER_FACTS = ['amountFen', 'date', 'invoiceCode', 'invoiceNumber', 'payee', 'description', 'category'] as const;
export type VoucherFacts = Pick<VoucherRecord, (typeof VOUCHER_FACTS)[number]>;

export function factsOf(voucher: VoucherFacts): VoucherFacts {
  return Object.fromEntries(VOUCHER_FACTS.map((key) => [key, voucher[key]])) as unknown as VoucherFacts;
}

/** Storage keys a voucher refers to: nothing under them may be deleted while it exists. */
export function storageKeysOf(voucher: Pick<VoucherRecord, 'originalKey' | 'displayKey' | 'thumbKey' | 'publicDisplayKey' | 'publicThumbKey'>): string[] {
  return [voucher.originalKey, voucher.displayKey, voucher.thumbKey, voucher.publicDisplayKey, voucher.publicThumbKey].filter(
    (k): k is string => Boolean(k),
  );
}

/** Months a village's accountant can still change: nothing submitted, or sent back. */
export function isMonthEditable(status: string): boolean {
  return status === 'draft' || status === 'rejected';
}

/** Derived images live under the sha256 of their own bytes. */
export function imageKeyFor(sha256: string, ext: 'jpg' | 'webp'): string {
  return `images/${sha256}.${ext}`;
}

export function sha256OfImageKey(key: string): string | null {
  return /^images\/([0-9a-f]{64})\.(?:jpg|webp)$/.exec(key)?.[1] ?? null;
}

/** Whether redaction boxes fit the voucher's upright image (a pixel of rounding allowed). */
export function boxesFit(voucher: Pick<VoucherRecord, 'width' | 'height'>, redactions: Array<{ box: number[] }>): boolean {
  return redactions.every(({ box: [x, y, w, h] }) => x + w <= voucher.width! + 1 && y + h <= voucher.height! + 1);
}
