import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes';

/** ../shared beside the repository: material for tests, never needed by the product. */
export const SHARED_FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');
export const VOUCHERS_DIR = path.join(SHARED_FIXTURES, 'vouchers');
export const REAL_INVOICES_DIR = path.join(SHARED_FIXTURES, 'real-invoices');

export interface TruthSensitive {
  type: 'idcard' | 'phone' | 'bankcard' | 'name';
  text: string;
  bbox: [number, number, number, number];
}

export interface Truth {
  file: string;
  kind: string;
  amount: string | null;
  date: string | null;
  invoiceCode: string | null;
  invoiceNumber: string | null;
  payee: string | null;
  sensitive?: TruthSensitive[];
  width?: number;
  height?: number;
}

export function readTruth(dir: string): Truth[] {
  return fs
    .readFileSync(path.join(dir, 'truth.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Truth);
}

export function voucherFixture(file: string): Buffer {
  return fs.readFileSync(path.join(VOUCHERS_DIR, file));
}
