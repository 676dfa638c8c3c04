import type { MonthStatus } from '../../shared/schemas/months';
import type { User } from '../../shared/schemas/users';
import type { ChainRepository } from '../db/repositories/chain-repository';
import type { PublicationRepository, PublicationRow } from '../db/repositories/publication-repository';
import { isVillageStaff } from '../domain/access';
import { forbidden } from '../errors';
import type { DirectoryService } from './directory-service';

export function toMonthStatus(villageId: number, month: string, row: PublicationRow | null, digest: string | null): MonthStatus {
  return {
    villageId,
    month,
    status: row?.status ?? 'draft',
    rejectionReason: row?.status === 'rejected' ? row.rejectionReason : null,
    submittedAt: row?.submittedAt?.toISOString() ?? null,
    publishedAt: row?.publishedAt?.toISOString() ?? null,
    digest,
  };
}

/** A village's month as staff see it, before and after publication. */
export class MonthService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly publications: PublicationRepository,
    private readonly chain: ChainRepository,
  ) {}

  async getStatus(user: User, villageId: number, month: string): Promise<MonthStatus> {
    const village = await this.directory.getVillage(villageId);
    if (!isVillageStaff(user, village)) throw forbidden('这个村的账目不归您管');
    return this.statusOf(villageId, month);
  }

  /** No permission check: for services that made theirs. */
  async statusOf(villageId: number, month: string): Promise<MonthStatus> {
    const row = await this.publications.find(villageId, month);
    const entry = row?.status === 'published' ? await this.chain.findPublication(villageId, month) : null;
    return toMonthStatus(villageId, month, row, entry?.digest ?? null);
  }
}
