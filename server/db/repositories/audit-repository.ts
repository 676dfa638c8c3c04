import type { Transaction } from 'sequelize';
import type { Models } from '../models';

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
    return rows.map((r) => ({
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
    }));
  }
}
