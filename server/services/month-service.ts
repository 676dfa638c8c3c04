import type { MonthStatus } from '../../shared/schemas/months';
import type { User } from '../../shared/schemas/users';
import type { PublicationRepository } from '../db/repositories/publication-repository';
import { isVillageStaff } from '../domain/access';
import { forbidden } from '../errors';
import type { DirectoryService } from './directory-service';

/** A village's month as staff see it, before and after publication. */
export class MonthService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly publications: PublicationRepository,
  ) {}

  async getStatus(user: User, villageId: number, month: string): Promise<MonthStatus> {
    const village = await this.directory.getVillage(villageId);
    if (!isVillageStaff(user, village)) throw forbidden('这个村的账目不归您管');
    const row = await this.publications.find(villageId, month);
    return {
      villageId,
      month,
      status: row?.status ?? 'draft',
      rejectionReason: row?.status === 'rejected' ? row.rejectionReason : null,
      submittedAt: row?.submittedAt?.toISOString() ?? null,
      publishedAt: row?.publishedAt?.toISOString() ?? null,
    };
  }
}
