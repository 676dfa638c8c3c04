import type { AuditEventView, AuditQuery } from '../../shared/schemas/audit';
import type { User } from '../../shared/schemas/users';
import type { AuditRepository } from '../db/repositories/audit-repository';
import type { UserRepository } from '../db/repositories/user-repository';
import { isTownOfficialFor } from '../domain/access';
import { forbidden } from '../errors';
import type { DirectoryService } from './directory-service';

const DAY_MS = 24 * 3600 * 1000;

/** A bare day is a day of China's calendar; `to` then includes the whole day. */
function bound(value: string | undefined, end: boolean): Date | undefined {
  if (!value) return undefined;
  if (value.length > 10) return new Date(value);
  const start = new Date(`${value}T00:00:00+08:00`);
  return end ? new Date(start.getTime() + DAY_MS) : start;
}

/** The audit log, read by admins (everything) and officials (their town's villages). */
export class AuditService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly audit: AuditRepository,
    private readonly users: UserRepository,
  ) {}

  async list(user: User, query: AuditQuery): Promise<{ events: AuditEventView[]; nextBeforeId: number | null }> {
    if (user.role === 'accountant') throw forbidden('只有镇干部和管理员可以查看操作记录');
    let villageIds: number[] | undefined;
    if (query.villageId !== undefined) {
      const village = await this.directory.getVillage(query.villageId);
      if (!isTownOfficialFor(user, village)) throw forbidden('这个村不归您所在的镇管');
      villageIds = [village.id];
    } else if (user.role === 'official') {
      villageIds = (await this.directory.listVillages(user.townId ?? -1)).map((v) => v.id);
    }
    const limit = query.limit ?? 100;
    const rows = await this.audit.list({ villageIds, from: bound(query.from, false), to: bound(query.to, true), beforeId: query.beforeId, limit });
    const names = new Map<number, string | null>();
    for (const id of new Set(rows.map((r) => r.actorUserId).filter((id): id is number => id !== null)))
      names.set(id, (await this.users.findById(id))?.displayName ?? null);
    return {
      events: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorUserId: r.actorUserId,
        actorName: r.actorUserId === null ? null : (names.get(r.actorUserId) ?? null),
        actorRole: r.actorRole,
        action: r.action,
        subjectType: r.subjectType,
        subjectId: r.subjectId,
        villageId: r.villageId ?? null,
        details: r.details ?? {},
        requestId: r.requestId ?? null,
      })),
      nextBeforeId: rows.length === limit ? rows[rows.length - 1].id : null,
    };
  }
}
