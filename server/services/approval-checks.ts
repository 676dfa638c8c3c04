import { uncoveredPersonalData } from '../domain/personal-data';
import type { VoucherRecord } from '../domain/voucher';
import { AppError } from '../errors';

export interface UncoveredFinding {
  voucherId: number;
  type: string;
  box: number[];
}

/** Where personal numbers show in the clear: positions only, so the audit log never holds the numbers. */
export function uncoveredIn(vouchers: VoucherRecord[]): UncoveredFinding[] {
  return vouchers.flatMap((v) => uncoveredPersonalData(v).map((f) => ({ voucherId: v.id, type: f.type, box: f.box })));
}

/** Approval refused: a personal number is still visible and nobody wrote why that is acceptable. */
export function uncoveredRefusal(uncovered: UncoveredFinding[], state: string): AppError {
  const ids = [...new Set(uncovered.map((u) => u.voucherId))].join('、');
  return new AppError('personal_data_uncovered', `凭证 ${ids} 上有身份证号或手机号没有遮住。请调整遮挡框，或写明理由后强制通过`, { state, uncovered });
}
