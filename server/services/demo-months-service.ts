import os from 'node:os';
import { fenToYuanString } from '../../shared/money';
import { monthInShanghai } from '../../shared/month';
import type { User } from '../../shared/schemas/users';
import type { Clock } from '../adapters/clock';
import { ReceiptPainter } from '../demo/receipt-image';
import { daysInMonth, planMonthReceipts, type DemoReceipt } from '../demo/receipt-plan';
import { SeededRandom } from '../demo/seeded-random';
import type { VoucherRecord } from '../domain/voucher';
import type { Logger } from '../logger';
import type { AmendmentService } from './amendment-service';
import type { DemoVoucherState, DemoVoucherWriter, PreparedReceipt } from './demo-voucher-writer';
import type { ReviewService } from './review-service';

/** A demo village with the two accounts that act on its months. */
export interface DemoVillageStaff {
  townName: string;
  villageName: string;
  villageId: number;
  accountant: User;
  official: User;
}

/**
 * Which villages get months, counted back from the current month (China's calendar):
 * `published` months approved in a row, the newest just before a `submitted` one if there is
 * one, else just before the current month; a `draft` of that many vouchers in the current month;
 * `corrections`: the newest published month gets an approved amount correction and a withdrawal.
 */
export const DEMO_MONTHS: Array<{ town: string; village: string; published: number; submitted?: boolean; draft?: number; corrections?: boolean }> = [
  { town: '新街镇', village: '新街村', published: 6, draft: 3, corrections: true },
  { town: '新街镇', village: '东岗村', published: 3, submitted: true },
  { town: '新街镇', village: '西湖村', published: 4 },
  { town: '张铺镇', village: '张铺村', published: 3 },
];

export const DEMO_CORRECTION_REASON = (typed: number, actual: number) =>
  `录入时看错了金额，把${fenToYuanString(actual)}元录成了${fenToYuanString(typed)}元，按收据原件更正`;
export const DEMO_WITHDRAWAL_REASON = '这笔费用已由镇里统一支付，误录入村账，撤回';

/** Receipts drawn at once: one per core (sharp's work runs off the main thread), at most four. */
const DRAWING_CONCURRENCY = Math.min(4, Math.max(2, os.availableParallelism()));

export interface DemoMonthsDeps {
  writer: DemoVoucherWriter;
  review: ReviewService;
  amendments: AmendmentService;
  clock: Clock;
  logger: Logger;
  /** The same seed and day give the same receipts. */
  seed?: string;
}

export interface DemoMonthsReport {
  published: number;
  vouchers: number;
  ms: number;
}

export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The misread amount: two digits of the yuan swapped (1150 → 1510), or 100 yuan more. */
function misread(fen: number): number {
  const digits = [...String(Math.floor(fen / 100))];
  const i = digits.findIndex((d, k) => k + 1 < digits.length && d !== digits[k + 1]);
  if (i < 0) return fen + 10_000;
  [digits[i], digits[i + 1]] = [digits[i + 1], digits[i]];
  return Number(digits.join('')) * 100 + (fen % 100);
}

/** One month the demo fills, in the order it is filed. */
interface MonthJob {
  who: DemoVillageStaff;
  month: string;
  receipts: DemoReceipt[];
  outcome: 'published' | 'submitted' | 'draft';
  /** The receipt whose amount is typed wrong, then corrected (and another withdrawn) once published; -1: none. */
  typo: number;
}

/**
 * Runs `work` over `items` in order on `lanes` lanes and hands back one promise per item, so
 * the caller can use the first results while the lanes go on. `stop()` ends the lanes early.
 */
function inOrder<T, R>(items: T[], lanes: number, work: (item: T) => Promise<R>): { results: Promise<R>[]; stop(): void } {
  const settle: Array<{ resolve(value: R): void; reject(error: unknown): void }> = [];
  const results = items.map(
    () =>
      new Promise<R>((resolve, reject) => {
        settle.push({ resolve, reject });
      }),
  );
  // Failures are seen where the result is awaited; one never awaited must not crash the process.
  results.forEach((r) => r.catch(() => undefined));
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        settle[i].resolve(await work(items[i]));
      } catch (error) {
        settle[i].reject(error);
      }
    }
  };
  for (let k = 0; k < Math.min(lanes, items.length); k++) void lane();
  return { results, stop: () => (next = items.length) };
}

/**
 * Demo months with receipts that look real: drawn receipts filed as vouchers, then submitted,
 * approved and corrected through the real review and amendment services, so the chain, the
 * search index and the published images are exactly what a real month makes.
 */
export class DemoMonthsService {
  constructor(private readonly deps: DemoMonthsDeps) {}

  async seed(staff: DemoVillageStaff[]): Promise<DemoMonthsReport> {
    const started = Date.now();
    const jobs = this.plan(staff);
    // Receipts are drawn (CPU, in sharp's threads) ahead while earlier months are filed and reviewed (database).
    const painter = new ReceiptPainter();
    const receipts = jobs.flatMap((job) => job.receipts);
    const drawing = inOrder(receipts, DRAWING_CONCURRENCY, (r) => this.deps.writer.prepare(r, painter));
    const report: DemoMonthsReport = { published: 0, vouchers: 0, ms: 0 };
    try {
      let offset = 0;
      for (const job of jobs) {
        const prepared = await Promise.all(drawing.results.slice(offset, offset + job.receipts.length));
        offset += job.receipts.length;
        await this.fileMonth(job, prepared);
        report.vouchers += prepared.length;
        if (job.outcome === 'published') report.published++;
      }
    } finally {
      drawing.stop();
    }
    report.ms = Date.now() - started;
    this.deps.logger.info(report, '[demo.months:seeded]');
    return report;
  }

  /** Every demo month, oldest first in each village, with its receipts. */
  private plan(staff: DemoVillageStaff[]): MonthJob[] {
    const seed = this.deps.seed ?? 'yiyanming-demo';
    const now = this.deps.clock.now();
    const current = monthInShanghai(now);
    const today = new Date(now.getTime() + 8 * 3600_000).getUTCDate();
    const invoiceNumbers = new Set<string>();
    const jobs: MonthJob[] = [];
    for (const plan of DEMO_MONTHS) {
      const who = staff.find((s) => s.townName === plan.town && s.villageName === plan.village);
      if (!who) throw new Error(`demo village ${plan.town}${plan.village} was not created`);
      const rng = new SeededRandom(`${seed}/${plan.town}/${plan.village}/counts`);
      const job = (month: string, count: number, outcome: MonthJob['outcome'], corrected = false): MonthJob => {
        const lastDay = month === current ? today : daysInMonth(month);
        const receipts = planMonthReceipts({ seed, townName: plan.town, villageName: plan.village, accountant: who.accountant.displayName, month, count, lastDay }, invoiceNumbers);
        // The correction fixes a hand-written receipt.
        const typo = corrected ? Math.max(0, receipts.findIndex((r) => r.layout === 'receipt')) : -1;
        return { who, month, receipts, outcome, typo };
      };
      const newestPublished = addMonths(current, plan.submitted ? -2 : -1);
      for (let back = plan.published - 1; back >= 0; back--) {
        const corrected = Boolean(plan.corrections) && back === 0;
        jobs.push(job(addMonths(newestPublished, -back), corrected ? 8 : rng.int(4, 8), 'published', corrected));
      }
      if (plan.submitted) jobs.push(job(addMonths(current, -1), 5, 'submitted'));
      if (plan.draft) jobs.push(job(current, plan.draft, 'draft'));
    }
    return jobs;
  }

  /** Files a month's receipts one at a time, so ids follow the receipts' order, then takes the month where it goes. */
  private async fileMonth(job: MonthJob, prepared: PreparedReceipt[]): Promise<void> {
    const { who, month, outcome, typo } = job;
    const vouchers: VoucherRecord[] = [];
    for (const [i, p] of prepared.entries()) {
      const state: DemoVoucherState =
        outcome === 'draft' ? { acknowledged: false, needsChecking: i === 0 } : { acknowledged: true, typedAmountFen: i === typo ? misread(p.receipt.amountFen) : undefined };
      vouchers.push(await this.deps.writer.file(p, who.villageId, month, who.accountant.id, state));
    }
    if (outcome === 'draft') return;
    await this.deps.review.submit(who.accountant, who.villageId, month);
    if (outcome === 'submitted') return;
    await this.deps.review.approve(who.official, who.villageId, month, {});
    if (typo >= 0) await this.correct(who, vouchers, job.receipts, typo);
  }

  /** An amount correction and a withdrawal, each requested by the accountant and approved by the official. */
  private async correct(who: DemoVillageStaff, vouchers: VoucherRecord[], receipts: DemoReceipt[], typo: number): Promise<void> {
    const { amendments } = this.deps;
    const wrong = vouchers[typo];
    const fix = await amendments.request(who.accountant, wrong.id, {
      changes: { fields: { amountFen: receipts[typo].amountFen } },
      reason: DEMO_CORRECTION_REASON(wrong.amountFen!, receipts[typo].amountFen),
    });
    await amendments.approve(who.official, fix.id, {});
    const withdrawn = vouchers.find((v, i) => i !== typo && receipts[i].category === '餐饮') ?? vouchers.find((_v, i) => i !== typo && i > 0)!;
    const withdrawal = await amendments.request(who.accountant, withdrawn.id, { changes: { withdraw: true }, reason: DEMO_WITHDRAWAL_REASON });
    await amendments.approve(who.official, withdrawal.id, {});
  }
}
