import { Op, col, fn, type Transaction } from 'sequelize';
import type { ChainEntryKind } from '../../../shared/schemas/chain';
import type { ChainEntryModel, Models } from '../models';

export interface ChainEntryRow {
  id: number;
  villageId: number;
  seq: number;
  kind: ChainEntryKind;
  month: string;
  digest: string;
  prev: string | null;
  /** Canonical JSON, exactly the bytes the digest was taken of. */
  manifest: string;
  createdAt: Date;
}

export interface NewChainEntry {
  kind: ChainEntryKind;
  month: string;
  digest: string;
  manifest: string;
  createdAt: Date;
  /** Storage keys of the images the manifest names: kept for good. */
  imageKeys: string[];
}

function toRow(row: ChainEntryModel): ChainEntryRow {
  return {
    id: row.id,
    villageId: row.villageId,
    seq: row.seq,
    kind: row.kind as ChainEntryKind,
    month: row.month,
    digest: row.digest,
    prev: row.prev,
    manifest: row.manifest,
    createdAt: row.createdAt,
  };
}

/** The public chain. Append-only: there is no update or delete here, on purpose. */
export class ChainRepository {
  private readonly appendListeners: Array<(villageId: number, month: string) => void> = [];

  constructor(private readonly models: Models) {}

  /** Called once an append is committed: caches of the month's public rendering go stale then. */
  onAppended(listener: (villageId: number, month: string) => void): void {
    this.appendListeners.push(listener);
  }

  /**
   * Adds the next link of a village's chain. `make` gets the current head (null for the first
   * entry) and returns the sealed entry linking to it. The village row is held so appends of
   * one village queue up; the unique (village, seq) index is the backstop.
   */
  async append(villageId: number, make: (head: { seq: number; digest: string } | null) => NewChainEntry, transaction: Transaction): Promise<ChainEntryRow> {
    await this.lockVillage(villageId, transaction);
    // A locking read sees the latest committed head, not the transaction's older snapshot.
    const head = await this.models.ChainEntry.findOne({ where: { villageId }, order: [['seq', 'DESC']], transaction, lock: transaction.LOCK.UPDATE });
    const entry = make(head && { seq: head.seq, digest: head.digest });
    const row = await this.models.ChainEntry.create(
      { villageId, seq: (head?.seq ?? 0) + 1, kind: entry.kind, month: entry.month, digest: entry.digest, prev: head?.digest ?? null, manifest: entry.manifest, createdAt: entry.createdAt },
      { transaction },
    );
    transaction.afterCommit(() => this.appendListeners.forEach((listener) => listener(villageId, entry.month)));
    const keys = [...new Set(entry.imageKeys)];
    if (keys.length)
      await this.models.PublishedImage.bulkCreate(
        keys.map((storageKey) => ({ storageKey, createdAt: entry.createdAt })),
        { ignoreDuplicates: true, transaction },
      );
    return toRow(row);
  }

  /**
   * Holds the village row until the transaction ends: the chain's writers of one village queue
   * here. Taken first, it also makes the transaction's later reads see every earlier append.
   */
  async lockVillage(villageId: number, transaction: Transaction): Promise<void> {
    await this.models.Village.findByPk(villageId, { transaction, lock: transaction.LOCK.UPDATE });
  }

  async listForVillage(villageId: number): Promise<ChainEntryRow[]> {
    return (await this.models.ChainEntry.findAll({ where: { villageId }, order: [['seq', 'ASC']] })).map(toRow);
  }

  async findByDigest(digest: string): Promise<ChainEntryRow | null> {
    const row = await this.models.ChainEntry.findOne({ where: { digest } });
    return row && toRow(row);
  }

  /** The entry that published a village's month. */
  async findPublication(villageId: number, month: string, transaction?: Transaction): Promise<ChainEntryRow | null> {
    const row = await this.models.ChainEntry.findOne({ where: { villageId, month, kind: 'publication' }, order: [['seq', 'ASC']], transaction });
    return row && toRow(row);
  }

  /** A month's entries, oldest first: its publication, then each approved amendment. */
  async listForMonth(villageId: number, month: string): Promise<ChainEntryRow[]> {
    return (await this.models.ChainEntry.findAll({ where: { villageId, month }, order: [['seq', 'ASC']] })).map(toRow);
  }

  /** The newest entry of a village's month: its digest names the month's current public state. */
  async headOfMonth(villageId: number, month: string): Promise<{ seq: number; digest: string } | null> {
    const row = await this.models.ChainEntry.findOne({ attributes: ['seq', 'digest'], where: { villageId, month }, order: [['seq', 'DESC']], raw: true });
    return row && { seq: row.seq, digest: row.digest };
  }

  /** Every month of a village that has entries, with its newest entry's sequence number. */
  async monthHeads(villageId: number): Promise<Array<{ month: string; seq: number }>> {
    const rows = (await this.models.ChainEntry.findAll({
      attributes: ['month', [fn('MAX', col('seq')), 'seq']],
      where: { villageId },
      group: ['month'],
      raw: true,
    })) as unknown as Array<{ month: string; seq: number | string }>;
    return rows.map((r) => ({ month: r.month, seq: Number(r.seq) }));
  }

  /** Villages that have at least one entry. */
  async villageIds(): Promise<number[]> {
    const rows = await this.models.ChainEntry.findAll({ attributes: ['villageId'], group: ['villageId'], order: [['villageId', 'ASC']] });
    return rows.map((r) => r.villageId);
  }

  /** Which of these storage keys some chain entry names. */
  async publishedKeys(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.models.PublishedImage.findAll({ attributes: ['storageKey'], where: { storageKey: { [Op.in]: keys } } });
    return new Set(rows.map((r) => r.storageKey));
  }
}
