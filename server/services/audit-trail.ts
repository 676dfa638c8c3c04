import type { User } from '../../shared/schemas/users';
import type { Clock } from '../adapters/clock';
import type { AuditRepository } from '../db/repositories/audit-repository';
import type { Tx } from '../db/transactor';
import { AppError } from '../errors';

/** What an action is about: `month` `12/2026-03`, `amendment` `7`, `voucher` `31`. */
export interface AuditSubject {
  type: string;
  id: string;
  villageId: number;
}

export function monthSubject(villageId: number, month: string): AuditSubject {
  return { type: 'month', id: `${villageId}/${month}`, villageId };
}

/** Records staff actions on a village's data, and refusals of them, for the audit log. */
export class AuditTrail {
  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
  ) {}

  /** Inside the action's transaction, so the change and its record stand or fall together. */
  async record(user: User, action: string, subject: AuditSubject, details: Record<string, unknown>, requestId?: string, tx?: Tx): Promise<void> {
    await this.audit.record(
      { at: this.clock.now(), actorUserId: user.id, actorRole: user.role, action, subjectType: subject.type, subjectId: subject.id, villageId: subject.villageId, details, requestId },
      tx,
    );
  }

  /**
   * Runs a transition; when it is refused for who asked (403) or when (409), records
   * `<action>_refused` with the reason and the state found, then refuses.
   */
  async attempt<T>(user: User, action: string, subject: AuditSubject, requestId: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError && (error.code === 'forbidden' || error.code === 'conflict' || error.code === 'personal_data_uncovered')) {
        const state = typeof error.details.state === 'string' ? { state: error.details.state } : {};
        await this.record(user, `${action}_refused`, subject, { code: error.code, message: error.userMessage, ...state }, requestId);
      }
      throw error;
    }
  }
}
