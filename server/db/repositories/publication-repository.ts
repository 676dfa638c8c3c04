import type { PublicationStatus } from '../../../shared/schemas/months';
import type { Models } from '../models';

export interface PublicationRow {
  id: number;
  villageId: number;
  month: string;
  status: PublicationStatus;
  rejectionReason: string | null;
  submittedAt: Date | null;
  publishedAt: Date | null;
  version: number;
}

/** One row per village and month once anything has happened to that month; none means draft. */
export class PublicationRepository {
  constructor(private readonly models: Models) {}

  async find(villageId: number, month: string): Promise<PublicationRow | null> {
    const row = await this.models.Publication.findOne({ where: { villageId, month } });
    return (
      row && {
        id: row.id,
        villageId: row.villageId,
        month: row.month,
        status: row.status,
        rejectionReason: row.rejectionReason,
        submittedAt: row.submittedAt,
        publishedAt: row.publishedAt,
        version: row.version,
      }
    );
  }
}
