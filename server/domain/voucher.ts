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
  version: number;
  createdAt: Date;
  updatedAt: Date;
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
