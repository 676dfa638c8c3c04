import { Op, type Transaction } from 'sequelize';
import type { PublicationStatus } from '../../../shared/schemas/months';
import type { Models, PublicationModel } from '../models';

export interface PublicationRow {
  id: number;
  villageId: number;
  month: string;
  status: PublicationStatus;
  rejectionReason: string | null;
  submittedAt: Date | null;
  submittedBy: number | null;
  publishedAt: Date | null;
  publishedBy: number | null;
  version: number;
}

export type PublicationChanges = Partial<Pick<PublicationRow, 'status' | 'rejectionReason' | 'submittedAt' | 'submittedBy' | 'publishedAt' | 'publishedBy'>>;

function toRow(row: PublicationModel): PublicationRow {
  return {
    id: row.id,
    villageId: row.villageId,
    month: row.month,
    status: row.status,
    rejectionReason: row.rejectionReason,
    submittedAt: row.submittedAt,
    submittedBy: row.submittedBy,
    publishedAt: row.publishedAt,
    publishedBy: row.publishedBy,
    version: row.version,
  };
}

/**
 * One row per village and month once anything has happened to that month; none means draft.
 * The row is also the month's lock: every change to the month's vouchers and every
 * transition holds it (`lock`) for the length of its transaction.
 */
export class PublicationRepository {
  constructor(private readonly models: Models) {}

  async find(villageId: number, month: string, transaction?: Transaction): Promise<PublicationRow | null> {
    const row = await this.models.Publication.findOne({ where: { villageId, month }, transaction });
    return row && toRow(row);
  }

  /**
   * Makes sure the month has its row (a draft). Run on its own, outside a transaction: locking
   * an existing row is cheap, while two transactions inserting the same one can deadlock.
   */
  async ensure(villageId: number, month: string): Promise<void> {
    await this.models.Publication.bulkCreate([{ villageId, month, status: 'draft', version: 1 }], { ignoreDuplicates: true });
  }

  /** Reads the month's row and holds it until the transaction ends (SQLite's write transactions hold the whole file). */
  async lock(villageId: number, month: string, transaction: Transaction): Promise<PublicationRow | null> {
    const row = await this.models.Publication.findOne({ where: { villageId, month }, transaction, lock: transaction.LOCK.UPDATE });
    return row && toRow(row);
  }

  /** Saves only if the row is still at `expected`, and bumps its version; false when another request won. */
  async transition(id: number, expected: { status: PublicationStatus; version: number }, changes: PublicationChanges, transaction?: Transaction): Promise<boolean> {
    const [affected] = await this.models.Publication.update(
      { ...changes, version: expected.version + 1 },
      { where: { id, status: expected.status, version: expected.version }, transaction },
    );
    return affected === 1;
  }

  /** Months in a state, oldest first; `villageIds` narrows to some villages. */
  async listByStatus(status: PublicationStatus, villageIds?: number[]): Promise<PublicationRow[]> {
    const where = villageIds ? { status, villageId: { [Op.in]: villageIds } } : { status };
    const rows = await this.models.Publication.findAll({ where, order: [['villageId', 'ASC'], ['month', 'ASC']] });
    return rows.map(toRow);
  }
}
