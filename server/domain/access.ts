import type { User } from '../../shared/schemas/users';

export interface VillageRef {
  id: number;
  townId: number;
}

/** Staff who may see a village's unpublished data: its accountant, its town's officials, admins. */
export function isVillageStaff(user: User, village: VillageRef): boolean {
  if (user.role === 'admin') return true;
  if (user.role === 'accountant') return user.villageId === village.id;
  return user.townId === village.townId;
}

/** Who may change a village's vouchers before publication: its accountant and admins. */
export function isVillageAccountant(user: User, village: VillageRef): boolean {
  return user.role === 'admin' || (user.role === 'accountant' && user.villageId === village.id);
}

/** Who reviews a village's months: officials of its town and admins. */
export function isTownOfficialFor(user: User, village: VillageRef): boolean {
  return user.role === 'admin' || (user.role === 'official' && user.townId === village.townId);
}
