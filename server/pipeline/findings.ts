import type { Category } from '../../shared/categories';
import type { Box } from '../ocr/ocr-engine';

export interface FieldReading<T> {
  value: T | null;
  /** 0–1: how sure the extractor is; below FIELD_CONFIDENCE_FLOOR the voucher needs checking. */
  confidence: number;
}

export const FIELD_CONFIDENCE_FLOOR = 0.6;

export interface ExtractedFields {
  amountFen: FieldReading<number>;
  /** YYYY-MM-DD */
  date: FieldReading<string>;
  invoiceCode: FieldReading<string>;
  invoiceNumber: FieldReading<string>;
  payee: FieldReading<string>;
  category: FieldReading<Category>;
  /** Human-readable reasons (Chinese) why a person should look at this voucher; empty when all is well. */
  checks: string[];
}

export type SensitiveType = 'idcard' | 'phone' | 'bankcard' | 'name';

export interface SensitiveFinding {
  type: SensitiveType;
  text: string;
  /** Pixels of the same image as the OCR boxes. */
  box: Box;
}
