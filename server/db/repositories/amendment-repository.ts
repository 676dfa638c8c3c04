import type { Transaction } from 'sequelize';
import type { AmendmentChanges } from '../../../shared/schemas/amendments';
import type { AmendmentModel, Models } from '../models';

export type AmendmentStatus = 'pending' | 'approved' | 'rejected';

export interface AmendmentRow {
  id: number;
  voucherId: number;
  villageId: number;
  month: string;
  status: AmendmentStatus;
  changes: AmendmentChanges;
  reason: string;
  voucherVersion: number;
  requestedBy: number | null;
  requestedAt: Date;
  decidedBy: number | null;
  decidedAt: Date | null;
  rejectionReason: string | null;
  chainDigest: string | null;
  version: number;
}

export type NewAmendment = Pick<AmendmentRow, 'voucherId' | 'villageId' | 'month' | 'changes' | 'reason' | 'voucherVersion' | 'requestedBy' | 'requestedAt'>;

function toRow(row: AmendmentModel): AmendmentRow {
  return {
    id: row.id,
    voucherId: row.voucherId,
    villageId: row.villageId,
    month: row.month,
    status: row.status as AmendmentStatus,
    changes: JSON.parse(row.changes) as AmendmentChanges,
    reason: row.reason,
    voucherVersion: row.voucherVersion,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    rejectionReason: row.rejectionReason,
    chainDigest: row.chainDigest,
    version: row.version,
  };
}

/** Requested corrections to published months, and what became of them. */
export class AmendmentRepository {
  constructor(private readonly models: Models) {}

  async create(amendment: NewAmendment, transaction?: Transaction): Promise<AmendmentRow> {
    const row = await this.models.Amendment.create(
      { ...amendment, changes: JSON.stringify(amendment.changes), status: 'pending', decidedBy: null, decidedAt: null, rejectionReason: null, chainDigest: null, version: 1 },
      { transaction },
    );
    return toRow(row);
  }

  async findById(id: number, transaction?: Transaction): Promise<AmendmentRow | null> {
    const row = await this.models.Amendment.findByPk(id, { transaction });
    return row && toRow(row);
  }

  /** Reads the amendment and holds it until the transaction ends, so one approval decides it. */
  async lock(id: number, transaction: Transaction): Promise<AmendmentRow | null> {
    const row = await this.models.Amendment.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
    return row && toRow(row);
  }

  async listForMonth(villageId: number, month: string): Promise<AmendmentRow[]> {
    return (await this.models.Amendment.findAll({ where: { villageId, month }, order: [['id', 'ASC']] })).map(toRow);
  }

  /** Pending amendments of these villages, oldest first. */
  async listPending(villageIds: number[]): Promise<AmendmentRow[]> {
    if (villageIds.length === 0) return [];
    return (await this.models.Amendment.findAll({ where: { status: 'pending', villageId: villageIds }, order: [['id', 'ASC']] })).map(toRow);
  }

  /** Approved amendments, oldest first; for `verify`. */
  async listApproved(villageId?: number): Promise<AmendmentRow[]> {
    const where = villageId === undefined ? { status: 'approved' } : { status: 'approved', villageId };
    return (await this.models.Amendment.findAll({ where, order: [['id', 'ASC']] })).map(toRow);
  }

  /** Decides a pending amendment only if nobody else has; false when another request won. */
  async decide(
    id: number,
    expectedVersion: number,
    changes: Pick<AmendmentRow, 'status' | 'decidedBy' | 'decidedAt'> & Partial<Pick<AmendmentRow, 'rejectionReason' | 'chainDigest'>>,
    transaction?: Transaction,
  ): Promise<boolean> {
    const [affected] = await this.models.Amendment.update(
      { ...changes, version: expectedVersion + 1 },
      { where: { id, status: 'pending', version: expectedVersion }, transaction },
    );
    return affected === 1;
  }
}
