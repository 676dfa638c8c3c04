import type { PublicationStatus } from '../../shared/schemas/months';
import type { User } from '../../shared/schemas/users';
import { isTownOfficialFor, isVillageAccountant, type VillageRef } from './access';
import { isMonthEditable, type VoucherRecord } from './voucher';

/**
 * Who may change a month's vouchers in each state: the accountant while it is a draft or sent
 * back, the town's officials while they review it (fields and boxes only: `reviewerMayEdit`),
 * nobody once published. `locked` means the right person at the wrong time (409).
 */
export function editRight(user: User, village: VillageRef, status: PublicationStatus, reviewerMayEdit: boolean): 'allowed' | 'forbidden' | 'locked' {
  const accountant = isVillageAccountant(user, village);
  const reviewer = reviewerMayEdit && isTownOfficialFor(user, village);
  if (!accountant && !reviewer) return 'forbidden';
  if (accountant && isMonthEditable(status)) return 'allowed';
  if (reviewer && status === 'submitted') return 'allowed';
  // An official looking at a month the accountant is still working on: not theirs to change yet.
  if (!accountant && isMonthEditable(status)) return 'forbidden';
  return 'locked';
}

export function canSubmit(status: PublicationStatus): boolean {
  return isMonthEditable(status);
}

/** Why a voucher keeps its month from being submitted, in words for the accountant; null when it does not. */
export function submissionBlocker(voucher: Pick<VoucherRecord, 'status' | 'flags'>): string | null {
  if (voucher.status === 'processing') return '还在识别中';
  if (voucher.status === 'failed') return '处理失败，请重新识别或删除';
  const open = voucher.flags.filter((f) => !f.acknowledged && (f.type === 'needs_checking' || f.type === 'duplicate'));
  if (open.some((f) => f.type === 'duplicate')) return '可能重复，请确认';
  if (open.length) return '需要核对，请确认';
  return null;
}

/** Withdrawn vouchers stay listed but no longer count. */
export function monthTotalFen(vouchers: Array<Pick<VoucherRecord, 'amountFen' | 'withdrawnAt'>>): number {
  return vouchers.reduce((sum, v) => sum + (v.withdrawnAt ? 0 : (v.amountFen ?? 0)), 0);
}

/** Reads after “这个月”: 这个月已经公开. */
export const STATUS_LABELS: Record<PublicationStatus, string> = { draft: '还是草稿', submitted: '已提交审核', rejected: '已被退回', published: '已经公开' };
