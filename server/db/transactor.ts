import { Transaction, type Sequelize } from 'sequelize';
import { dialectOf } from './database';
import { retryOnLockConflict } from './retry';

export type Tx = Transaction;

/** Runs work all-or-nothing; services use this without knowing which database is underneath. */
export class Transactor {
  constructor(private readonly sequelize: Sequelize) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    // SQLite: take the write lock at BEGIN so two writers never deadlock upgrading a read lock.
    const options = dialectOf(this.sequelize) === 'sqlite' ? { type: Transaction.TYPES.IMMEDIATE } : {};
    return this.sequelize.transaction(options, work);
  }

  /** `run`, and run again whole when MariaDB picked it as a deadlock victim (nothing of it was kept). */
  runRetrying<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return retryOnLockConflict(() => this.run(work));
  }
}
