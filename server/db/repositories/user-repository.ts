import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Role } from '../../../shared/schemas/users';
import type { StaffAccount } from '../../domain/staff';
import type { Models, UserModel } from '../models';
import { AlreadyExistsError } from './errors';

export interface NewStaffAccount {
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  villageId: number | null;
  townId: number | null;
}

function toAccount(row: UserModel): StaffAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    villageId: row.villageId,
    townId: row.townId,
    passwordHash: row.passwordHash,
    tokenVersion: row.tokenVersion,
    disabled: Boolean(row.disabled),
  };
}

export class UserRepository {
  constructor(private readonly models: Models) {}

  async create(account: NewStaffAccount, transaction?: Transaction): Promise<StaffAccount> {
    try {
      return toAccount(await this.models.User.create({ ...account, tokenVersion: 0, disabled: false }, { transaction }));
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AlreadyExistsError('user', account.username);
      throw error;
    }
  }

  async findById(id: number): Promise<StaffAccount | null> {
    const row = await this.models.User.findByPk(id);
    return row && toAccount(row);
  }

  async findByUsername(username: string): Promise<StaffAccount | null> {
    const row = await this.models.User.findOne({ where: { username } });
    return row && toAccount(row);
  }

  async list(): Promise<StaffAccount[]> {
    return (await this.models.User.findAll({ order: [['id', 'ASC']] })).map(toAccount);
  }

  async count(transaction?: Transaction): Promise<number> {
    return this.models.User.count({ transaction });
  }

  /** Also bumps the token version, which signs every earlier token out. */
  async setPasswordHash(id: number, passwordHash: string): Promise<boolean> {
    const [affected] = await this.models.User.update(
      { passwordHash, tokenVersion: this.models.User.sequelize!.literal('token_version + 1') },
      { where: { id } },
    );
    return affected === 1;
  }
}
