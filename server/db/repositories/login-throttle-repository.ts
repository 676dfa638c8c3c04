import { Op, UniqueConstraintError } from 'sequelize';
import type { Models } from '../models';

export interface ThrottleState {
  failures: number;
  lockedUntil: Date | null;
}

/** Failed-login counters shared by every server process through the database. */
export class LoginThrottleRepository {
  constructor(private readonly models: Models) {}

  async get(key: string): Promise<ThrottleState | null> {
    const row = await this.models.LoginThrottle.findByPk(key);
    return row && { failures: row.failures, lockedUntil: row.lockedUntil };
  }

  /**
   * Counts one failure inside a window of `windowMs`; at `maxFailures` the key is locked
   * for `lockMs`. The increment is a single UPDATE so concurrent failures all count.
   */
  async recordFailure(key: string, now: Date, windowMs: number, maxFailures: number, lockMs: number): Promise<ThrottleState> {
    const { LoginThrottle } = this.models;
    const windowStart = new Date(now.getTime() - windowMs);
    const sequelize = LoginThrottle.sequelize!;
    const [restarted] = await LoginThrottle.update(
      { failures: 1, windowStartedAt: now, lockedUntil: null, updatedAt: now },
      { where: { key, windowStartedAt: { [Op.lt]: windowStart } } },
    );
    if (restarted === 0) {
      const [counted] = await LoginThrottle.update(
        { failures: sequelize.literal('failures + 1'), updatedAt: now },
        { where: { key } },
      );
      if (counted === 0) {
        try {
          await LoginThrottle.create({ key, failures: 1, windowStartedAt: now, lockedUntil: null, updatedAt: now });
        } catch (error) {
          if (!(error instanceof UniqueConstraintError)) throw error;
          await LoginThrottle.update({ failures: sequelize.literal('failures + 1'), updatedAt: now }, { where: { key } });
        }
      }
    }
    const state = (await this.get(key))!;
    if (state.failures >= maxFailures && !(state.lockedUntil && state.lockedUntil > now)) {
      const lockedUntil = new Date(now.getTime() + lockMs);
      await LoginThrottle.update({ lockedUntil, updatedAt: now }, { where: { key } });
      return { failures: state.failures, lockedUntil };
    }
    return state;
  }

  async clear(key: string): Promise<void> {
    await this.models.LoginThrottle.destroy({ where: { key } });
  }
}
