import type { Amendment, AmendmentRequest } from '../../shared/schemas/amendments';
import type { ApproveRequest, RejectRequest } from '../../shared/schemas/months';
import type { User } from '../../shared/schemas/users';
import type { Clock } from '../adapters/clock';
import type { AmendmentRepository, AmendmentRow } from '../db/repositories/amendment-repository';
import type { ChainRepository } from '../db/repositories/chain-repository';
import type { PublicationRepository } from '../db/repositories/publication-repository';
import type { SearchRepository } from '../db/repositories/search-repository';
import type { UserRepository } from '../db/repositories/user-repository';
import type { VoucherChanges, VoucherRepository } from '../db/repositories/voucher-repository';
import type { VillageRow } from '../db/repositories/directory-repository';
import type { Transactor, Tx } from '../db/transactor';
import { isTownOfficialFor, isVillageStaff } from '../domain/access';
import { chainLink, MANIFEST_FORMAT, manifestVoucher, voucherChanges, type AmendmentManifest } from '../domain/manifest';
import { monthTotalFen, STATUS_LABELS } from '../domain/month';
import { searchEntry } from '../domain/search-text';
import type { StaffAccount } from '../domain/staff';
import { boxesFit, type VoucherRecord } from '../domain/voucher';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { uncoveredIn, uncoveredRefusal } from './approval-checks';
import type { AuditSubject, AuditTrail } from './audit-trail';
import type { DirectoryService } from './directory-service';
import type { StorageJanitor } from './storage-janitor';
import type { VoucherImages } from './voucher-images';

export interface AmendmentServiceDeps {
  directory: DirectoryService;
  publications: PublicationRepository;
  vouchers: VoucherRepository;
  amendments: AmendmentRepository;
  chain: ChainRepository;
  /** An approved correction re-indexes the receipt in the same transaction. */
  search: SearchRepository;
  users: UserRepository;
  voucherImages: VoucherImages;
  janitor: StorageJanitor;
  trail: AuditTrail;
  transactor: Transactor;
  clock: Clock;
}

const AMENDMENT_LABELS = { pending: '还在等待审核', approved: '已经通过', rejected: '已经被退回' } as const;
const STALE = '这张凭证在申请之后又被更正过，请退回这条申请后重新提出';

/** Everything an amendment's chain entry is made of, besides what the transaction reads. */
interface ApprovalFacts {
  amendment: AmendmentRow;
  requester: StaffAccount | null;
  village: VillageRow;
  before: VoucherRecord;
  after: VoucherRecord;
  approver: User;
  now: Date;
}

function amendmentSubject(row: Pick<AmendmentRow, 'id' | 'villageId'>): AuditSubject {
  return { type: 'amendment', id: String(row.id), villageId: row.villageId };
}

/**
 * Corrections to a published month. Nothing published changes in place: an amendment is
 * requested with a reason, and an official's approval applies it and appends an entry naming
 * what changed to the village's chain. A withdrawn voucher stays, marked, with the reason.
 */
export class AmendmentService {
  constructor(private readonly deps: AmendmentServiceDeps) {}

  async request(user: User, voucherId: number, request: AmendmentRequest, requestId?: string): Promise<Amendment> {
    const { vouchers, directory, publications, amendments, trail, clock } = this.deps;
    const voucher = await vouchers.findById(voucherId);
    if (!voucher) throw notFound('找不到这张凭证');
    const village = await directory.getVillage(voucher.villageId);
    const subject: AuditSubject = { type: 'voucher', id: String(voucherId), villageId: village.id };
    return trail.attempt(user, 'amendment.request', subject, requestId, async () => {
      if (!isVillageStaff(user, village)) throw forbidden('这个村的账目不归您管');
      const status = (await publications.find(voucher.villageId, voucher.month))?.status ?? 'draft';
      if (status !== 'published') throw conflict(`这个月${STATUS_LABELS[status]}，更正只用于已公开的月份`, { state: status });
      if (voucher.withdrawnAt) throw conflict('这张凭证已经撤回，不能再更正', { state: 'withdrawn' });
      const { changes } = request;
      if (changes.redactions && !boxesFit(voucher, changes.redactions)) throw new AppError('validation_failed', '遮挡框超出了图片范围', { field: 'changes.redactions' });
      const changesSomething =
        changes.withdraw ||
        (changes.redactions && JSON.stringify(changes.redactions) !== JSON.stringify(voucher.redactions)) ||
        Object.entries(changes.fields ?? {}).some(([k, v]) => voucher[k as keyof VoucherRecord] !== v);
      if (!changesSomething) throw new AppError('validation_failed', '更正的内容和现在一样', { field: 'changes' });
      const row = await this.deps.transactor.runRetrying(async (tx) => {
        const created = await amendments.create(
          { voucherId, villageId: village.id, month: voucher.month, changes, reason: request.reason, voucherVersion: voucher.version, requestedBy: user.id, requestedAt: clock.now() },
          tx,
        );
        await trail.record(user, 'amendment.requested', amendmentSubject(created), { voucherId, changes, reason: request.reason, after: { status: 'pending' } }, requestId, tx);
        return created;
      });
      return toAmendment(row);
    });
  }

  async approve(user: User, amendmentId: number, request: ApproveRequest, requestId?: string): Promise<Amendment> {
    const { amendments, vouchers, trail } = this.deps;
    const amendment = await this.find(amendmentId);
    const village = await this.deps.directory.getVillage(amendment.villageId);
    const subject = amendmentSubject(amendment);
    await trail.attempt(user, 'amendment.approve', subject, requestId, async () => {
      if (!isTownOfficialFor(user, village)) throw forbidden('只有本镇干部可以审核这个村的更正');
      if (amendment.status !== 'pending') throw conflict(`这条更正申请${AMENDMENT_LABELS[amendment.status]}`, { state: amendment.status });
      const voucher = (await vouchers.findById(amendment.voucherId))!;
      if (voucher.version !== amendment.voucherVersion) throw conflict(STALE, { state: amendment.status });
      const now = this.deps.clock.now();
      const changes = await this.voucherChangesFor(amendment, voucher, now);
      const after: VoucherRecord = { ...voucher, ...changes };
      // The old public images stay: the month's publication entry names them.
      const newKeys = [changes.publicDisplayKey, changes.publicThumbKey].filter((k): k is string => Boolean(k));
      const requester = amendment.requestedBy ? await this.deps.users.findById(amendment.requestedBy) : null;
      try {
        const uncovered = uncoveredIn([after]);
        if (uncovered.length && !request.overrideReason) throw uncoveredRefusal(uncovered, amendment.status);
        await this.deps.transactor.runRetrying(async (tx) => {
          // First, so the month's total below is read after every other amendment of the village.
          await this.deps.chain.lockVillage(village.id, tx);
          const locked = await amendments.lock(amendmentId, tx);
          if (locked?.status !== 'pending') throw conflict(`这条更正申请${AMENDMENT_LABELS[locked!.status]}`, { state: locked!.status });
          if (!(await vouchers.update(voucher.id, { version: amendment.voucherVersion }, changes, tx))) throw conflict(STALE, { state: 'pending' });
          const body = await this.manifestFor({ amendment, requester, village, before: voucher, after, approver: user, now }, tx);
          const entry = await this.deps.chain.append(village.id, chainLink(body, now, newKeys), tx);
          await this.deps.search.upsert([searchEntry(after, village.townId, now)], tx);
          await amendments.decide(amendmentId, locked.version, { status: 'approved', decidedBy: user.id, decidedAt: now, chainDigest: entry.digest }, tx);
          if (uncovered.length) await trail.record(user, 'amendment.approval_override', subject, { reason: request.overrideReason, uncovered }, requestId, tx);
          const details = { voucherId: voucher.id, before: { status: 'pending' }, after: { status: 'approved' }, changes: body.changes, digest: entry.digest };
          await trail.record(user, 'amendment.approved', subject, details, requestId, tx);
        });
      } catch (error) {
        await this.deps.janitor.deleteUnreferenced(newKeys);
        throw error;
      }
    });
    return toAmendment(await this.find(amendmentId));
  }

  /** What approving does to the voucher; new redacted copies are made here, before the transaction. */
  private async voucherChangesFor(amendment: AmendmentRow, voucher: VoucherRecord, now: Date): Promise<VoucherChanges> {
    const changes: VoucherChanges = { ...(amendment.changes.fields ?? {}) };
    if (amendment.changes.redactions) {
      Object.assign(changes, await this.deps.voucherImages.redactedCopies(voucher, amendment.changes.redactions));
      changes.redactions = amendment.changes.redactions;
    }
    if (amendment.changes.withdraw) Object.assign(changes, { withdrawnAt: now, withdrawnReason: amendment.reason });
    return changes;
  }

  /** The chain entry's content: what it amends, the voucher after, each value that changed, the month's new total. */
  private async manifestFor(approval: ApprovalFacts, tx: Tx): Promise<Omit<AmendmentManifest, 'prev'>> {
    const { amendment, requester, village, before, after, approver, now } = approval;
    const publication = await this.deps.chain.findPublication(village.id, before.month, tx);
    if (!publication) throw new Error(`published month ${village.id}/${before.month} has no publication entry`);
    const state = (v: VoucherRecord) => ({ voucher: manifestVoucher(v), withdrawn: Boolean(v.withdrawnAt) });
    return {
      format: MANIFEST_FORMAT,
      kind: 'amendment',
      village: { id: village.id, name: village.name },
      month: before.month,
      amends: publication.digest,
      amendment: {
        id: amendment.id,
        reason: amendment.reason,
        requestedBy: requester && { role: requester.role, name: requester.displayName },
        requestedAt: amendment.requestedAt.toISOString(),
      },
      ...state(after),
      changes: voucherChanges(state(before), state(after)),
      totalFen: monthTotalFen(await this.deps.vouchers.listForMonth(village.id, before.month, tx)),
      approvedBy: { role: approver.role, name: approver.displayName },
      approvedAt: now.toISOString(),
    };
  }

  async reject(user: User, amendmentId: number, request: RejectRequest, requestId?: string): Promise<Amendment> {
    const amendment = await this.find(amendmentId);
    const village = await this.deps.directory.getVillage(amendment.villageId);
    const subject = amendmentSubject(amendment);
    await this.deps.trail.attempt(user, 'amendment.reject', subject, requestId, async () => {
      if (!isTownOfficialFor(user, village)) throw forbidden('只有本镇干部可以审核这个村的更正');
      await this.deps.transactor.runRetrying(async (tx) => {
        const locked = (await this.deps.amendments.lock(amendmentId, tx))!;
        if (locked.status !== 'pending') throw conflict(`这条更正申请${AMENDMENT_LABELS[locked.status]}`, { state: locked.status });
        const decided = { status: 'rejected' as const, decidedBy: user.id, decidedAt: this.deps.clock.now(), rejectionReason: request.reason };
        await this.deps.amendments.decide(amendmentId, locked.version, decided, tx);
        await this.deps.trail.record(user, 'amendment.rejected', subject, { voucherId: locked.voucherId, before: { status: 'pending' }, after: { status: 'rejected' }, reason: request.reason }, requestId, tx);
      });
    });
    return toAmendment(await this.find(amendmentId));
  }

  async listMonth(user: User, villageId: number, month: string): Promise<Amendment[]> {
    const village = await this.deps.directory.getVillage(villageId);
    if (!isVillageStaff(user, village)) throw forbidden('这个村的账目不归您管');
    return (await this.deps.amendments.listForMonth(villageId, month)).map(toAmendment);
  }

  /** Requests still waiting for a decision in the villages this user looks after (an official's town, an accountant's village, every village for an admin). */
  async listPending(user: User): Promise<Amendment[]> {
    const villages =
      user.role === 'accountant'
        ? user.villageId === null
          ? []
          : [user.villageId]
        : (await this.deps.directory.listVillages(user.role === 'admin' ? undefined : (user.townId ?? -1))).map((v) => v.id);
    return (await this.deps.amendments.listPending(villages)).map(toAmendment);
  }

  private async find(id: number): Promise<AmendmentRow> {
    const row = await this.deps.amendments.findById(id);
    if (!row) throw notFound('找不到这条更正申请');
    return row;
  }
}

function toAmendment(row: AmendmentRow): Amendment {
  return {
    id: row.id,
    voucherId: row.voucherId,
    villageId: row.villageId,
    month: row.month,
    status: row.status,
    changes: row.changes,
    reason: row.reason,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    rejectionReason: row.rejectionReason,
    digest: row.chainDigest,
  };
}
