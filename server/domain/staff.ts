import type { Role, User } from '../../shared/schemas/users';

/** A staff account as services see it; `toPublicUser` is what the API shows. */
export interface StaffAccount {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  villageId: number | null;
  townId: number | null;
  passwordHash: string;
  tokenVersion: number;
  disabled: boolean;
}

export function toPublicUser(account: StaffAccount): User {
  return {
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    role: account.role,
    villageId: account.villageId,
    townId: account.townId,
  };
}
