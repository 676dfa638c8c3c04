import { monthInShanghai } from '../../shared/month';
import type { ApproveRequest, MonthStatus, PublicationStatus, RejectRequest, ReviewQueueItem } from '../../shared/schemas/months';
import type { User } from '../../shared/schemas/users';
import type { Clock } from '../adapters/clock';
import { crashPoint } from '../adapters/crash-points';
import type { ChainRepository } from '../db/repositories/chain-repository';
import type { VillageRow } from '../db/repositories/directory-repository';
import type { PublicationRepository, PublicationRow } from '../db/repositories/publication-repository';
import type { SearchRepository } from '../db/repositories/search-repository';
import type { VoucherRepository } from '../db/repositories/voucher-repository';
import type { Transactor, Tx } from '../db/transactor';
import { isTownOfficialFor, isVillageAccountant } from '../domain/access';
import { chainLink, MANIFEST_FORMAT, manifestVoucher, type PublicationManifest } from '../domain/manifest';
import { canSubmit, monthTotalFen, STATUS_LABELS, submissionBlocker } from '../domain/month';
import { searchEntry } from '../domain/search-text';
import { AppError, conflict, forbidden } from '../errors';
import { uncoveredIn, uncoveredRefusal } from './approval-checks';
import { monthSubject, type AuditSubject, type AuditTrail } from './audit-trail';
import type { DirectoryService } from './directory-service';
import type { MonthService } from './month-service';

export interface ReviewServiceDeps {
  directory: DirectoryService;
  publications: PublicationRepository;
  vouchers: VoucherRepository;
  chain: ChainRepository;
  /** Published receipts become searchable in the transaction that publishes them. */
  search: SearchRepository;
  months: MonthService;
  trail: AuditTrail;
  transactor: Transactor;
  clock: Clock;
}

interface TransitionStep {
  action: string;
  mayAct(user: User, village: VillageRow): boolean;
  forbidden: string;
  from(status: PublicationStatus): boolean;
  /** Ends "这个月已经公开，…". */
  refused: string;
  /** Checks and set-up before the transaction. */
  prepare?(): Promise<void>;
  run(row: PublicationRow, village: VillageRow, subject: AuditSubject, tx: Tx): Promise<void>;
}

/** Approving and rejecting: for the town's officials, and only a submitted month. */
const DECIDING = {
  mayAct: isTownOfficialFor,
  forbidden: '只有本镇干部可以审核这个村的账目',
  from: (status: PublicationStatus) => status === 'submitted',
};

/**
 * A village's month from draft to published: the accountant submits, an official of the
 * town approves (appending the month's manifest to the village's chain) or sends it back.
 * Each transition holds the month's row and saves only from the state it checked.
 */
export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  async submit(user: User, villageId: number, month: string, requestId?: string): Promise<MonthStatus> {
    const { publications, vouchers, trail, clock } = this.deps;
    return this.act(user, villageId, month, requestId, {
      action: 'month.submit',
      mayAct: isVillageAccountant,
      forbidden: '只有本村会计可以提交这个村的账目',
      from: canSubmit,
      refused: '不能再提交',
      prepare: async () => {
        if (month > monthInShanghai(clock.now())) throw new AppError('validation_failed', '不能提交还没到的月份', { field: 'month' });
        await publications.ensure(villageId, month);
      },
      run: async (row, _village, subject, tx) => {
        const list = await vouchers.listForMonth(villageId, month, tx);
        const blocked = list.flatMap((v) => {
          const why = submissionBlocker(v);
          return why ? [`凭证 ${v.id} ${why}`] : [];
        });
        if (blocked.length) throw conflict(`还不能提交：${blocked.slice(0, 5).join('；')}${blocked.length > 5 ? ` 等 ${blocked.length} 张` : ''}`, { state: row.status });
        await this.transition(row, { status: 'submitted', submittedAt: clock.now(), submittedBy: user.id, rejectionReason: null }, tx);
        const details = { before: { status: row.status }, after: { status: 'submitted' }, vouchers: list.length, totalFen: monthTotalFen(list) };
        await trail.record(user, 'month.submitted', subject, details, requestId, tx);
      },
    });
  }

  async approve(user: User, villageId: number, month: string, request: ApproveRequest, requestId?: string): Promise<MonthStatus> {
    const { vouchers, chain, trail, clock } = this.deps;
    const status = await this.act(user, villageId, month, requestId, {
      ...DECIDING,
      action: 'month.approve',
      refused: '不能审核通过',
      run: async (row, village, subject, tx) => {
        // Read after taking the row: every edit that got in before is here, none can follow.
        const list = await vouchers.listForMonth(villageId, month, tx);
        const uncovered = uncoveredIn(list);
        if (uncovered.length && !request.overrideReason) throw uncoveredRefusal(uncovered, row.status);
        const now = clock.now();
        await this.transition(row, { status: 'published', publishedAt: now, publishedBy: user.id }, tx);
        const body: Omit<PublicationManifest, 'prev'> = {
          format: MANIFEST_FORMAT,
          kind: 'publication',
          village: { id: village.id, name: village.name },
          month,
          vouchers: list.map(manifestVoucher),
          totalFen: monthTotalFen(list),
          approvedBy: { role: user.role, name: user.displayName },
          approvedAt: now.toISOString(),
        };
        const imageKeys = list.flatMap((v) => [v.publicDisplayKey!, v.publicThumbKey!]);
        const entry = await chain.append(villageId, chainLink(body, now, imageKeys), tx);
        await this.deps.search.upsert(list.map((v) => searchEntry(v, village.townId, now)), tx);
        if (uncovered.length) await trail.record(user, 'month.approval_override', subject, { reason: request.overrideReason, uncovered }, requestId, tx);
        const details = { before: { status: 'submitted' }, after: { status: 'published' }, digest: entry.digest, vouchers: list.length, totalFen: body.totalFen };
        await trail.record(user, 'month.approved', subject, details, requestId, tx);
        crashPoint('approve.uncommitted');
      },
    });
    crashPoint('approve.committed');
    return status;
  }

  async reject(user: User, villageId: number, month: string, request: RejectRequest, requestId?: string): Promise<MonthStatus> {
    return this.act(user, villageId, month, requestId, {
      ...DECIDING,
      action: 'month.reject',
      refused: '不能退回',
      run: async (row, _village, subject, tx) => {
        await this.transition(row, { status: 'rejected', rejectionReason: request.reason }, tx);
        const details = { before: { status: 'submitted' }, after: { status: 'rejected' }, reason: request.reason };
        await this.deps.trail.record(user, 'month.rejected', subject, details, requestId, tx);
      },
    });
  }

  /**
   * One transition: who may ask (else 403), from which states (else 409 naming the state), with
   * the month's row held while `run` checks and saves; refusals are audited by the trail.
   */
  private async act(user: User, villageId: number, month: string, requestId: string | undefined, step: TransitionStep): Promise<MonthStatus> {
    const village = await this.deps.directory.getVillage(villageId);
    const subject = monthSubject(villageId, month);
    await this.deps.trail.attempt(user, step.action, subject, requestId, async () => {
      if (!step.mayAct(user, village)) throw forbidden(step.forbidden);
      await step.prepare?.();
      await this.deps.transactor.runRetrying(async (tx) => {
        const row = await this.lockRow(villageId, month, tx);
        if (!step.from(row.status)) throw conflict(`这个月${STATUS_LABELS[row.status]}，${step.refused}`, { state: row.status });
        await step.run(row, village, subject, tx);
      });
    });
    return this.deps.months.statusOf(villageId, month);
  }

  /** Submitted months an official (or an admin) has to look at, with what needs their eye. */
  async queue(user: User): Promise<ReviewQueueItem[]> {
    if (user.role === 'accountant') throw forbidden('只有镇干部可以查看待审核的账目');
    const villages = await this.deps.directory.listVillages(user.role === 'admin' ? undefined : (user.townId ?? -1));
    const names = new Map(villages.map((v) => [v.id, v.name]));
    const rows = await this.deps.publications.listByStatus('submitted', [...names.keys()]);
    const items: ReviewQueueItem[] = [];
    for (const row of rows) {
      const list = await this.deps.vouchers.listForMonth(row.villageId, row.month);
      const flagged = (type: string) => list.filter((v) => v.flags.some((f) => f.type === type)).length;
      items.push({
        villageId: row.villageId,
        villageName: names.get(row.villageId) ?? '',
        month: row.month,
        submittedAt: row.submittedAt?.toISOString() ?? null,
        voucherCount: list.length,
        totalFen: monthTotalFen(list),
        flags: { needs_checking: flagged('needs_checking'), duplicate: flagged('duplicate'), personal_data: flagged('personal_data') },
        uncoveredPersonalData: new Set(uncoveredIn(list).map((u) => u.voucherId)).size,
      });
    }
    return items;
  }

  /** The month's row, held for the transaction; a month nobody touched has none and is a draft. */
  private async lockRow(villageId: number, month: string, tx: Tx): Promise<PublicationRow> {
    const row = await this.deps.publications.lock(villageId, month, tx);
    if (!row) throw conflict('这个月还是草稿，没有提交审核', { state: 'draft' });
    return row;
  }

  private async transition(row: PublicationRow, changes: Parameters<PublicationRepository['transition']>[2], tx: Tx): Promise<void> {
    if (!(await this.deps.publications.transition(row.id, { status: row.status, version: row.version }, changes, tx)))
      throw conflict('这个月刚被别人处理过，请刷新后再看', { state: (await this.deps.publications.find(row.villageId, row.month, tx))?.status ?? row.status });
  }
}
