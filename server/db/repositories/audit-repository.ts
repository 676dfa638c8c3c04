import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { AuditEventModel, Models } from '../models';

export interface AuditEvent {
  at: Date;
  actorUserId: number | null;
  actorRole: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  villageId?: number | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
}

export interface StoredAuditEvent extends AuditEvent {
  id: number;
}

export interface AuditFilter {
  /** Only events about these villages; undefined for every event. */
  villageIds?: number[];
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Only events older than this id (paging, newest first). */
  beforeId?: number;
  limit: number;
}

function toEvent(r: AuditEventModel): StoredAuditEvent {
  return {
    id: r.id,
    at: r.at,
    actorUserId: r.actorUserId,
    actorRole: r.actorRole,
    action: r.action,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    villageId: r.villageId,
    details: JSON.parse(r.details) as Record<string, unknown>,
    requestId: r.requestId,
  };
}

/** Append-only: there is no update or delete here on purpose. */
export class AuditRepository {
  constructor(private readonly models: Models) {}

  async record(event: AuditEvent, transaction?: Transaction): Promise<void> {
    await this.models.AuditEvent.create(
      { ...event, villageId: event.villageId ?? null, details: JSON.stringify(event.details ?? {}), requestId: event.requestId ?? null },
      { transaction },
    );
  }

  async listForSubject(subjectType: string, subjectId: string): Promise<StoredAuditEvent[]> {
    const rows = await this.models.AuditEvent.findAll({ where: { subjectType, subjectId }, order: [['id', 'ASC']] });
    return rows.map(toEvent);
  }

  /** Newest first. */
  async list(filter: AuditFilter): Promise<StoredAuditEvent[]> {
    const where: WhereOptions[] = [];
    if (filter.villageIds) where.push({ villageId: { [Op.in]: filter.villageIds } });
    if (filter.from) where.push({ at: { [Op.gte]: filter.from } });
    if (filter.to) where.push({ at: { [Op.lt]: filter.to } });
    if (filter.beforeId) where.push({ id: { [Op.lt]: filter.beforeId } });
    const rows = await this.models.AuditEvent.findAll({ where: { [Op.and]: where }, order: [['id', 'DESC']], limit: filter.limit });
    return rows.map(toEvent);
  }
}
