import type { Container } from '../../server/container';

export const PASSWORD = 'correct-horse-42';

export interface StaffFixture {
  townA: number;
  townB: number;
  villageA1: number;
  villageA2: number;
  villageB1: number;
  users: Record<'admin' | 'accountantA1' | 'accountantA2' | 'accountantB1' | 'officialA' | 'officialB', { id: number; username: string }>;
}

/** Two towns, three villages and one account per role and place, all with PASSWORD. */
export async function createStaffFixture(container: Container): Promise<StaffFixture> {
  const { directory, users } = container.services;
  const townA = await directory.addTown('甲镇');
  const townB = await directory.addTown('乙镇');
  const villageA1 = await directory.addVillage(townA.id, '甲一村');
  const villageA2 = await directory.addVillage(townA.id, '甲二村');
  const villageB1 = await directory.addVillage(townB.id, '乙一村');
  const add = async (username: string, role: 'admin' | 'accountant' | 'official', place: { villageId?: number; townId?: number } = {}) => {
    const user = await users.createUser({ username, password: PASSWORD, displayName: username, role, ...place }, null);
    return { id: user.id, username };
  };
  return {
    townA: townA.id,
    townB: townB.id,
    villageA1: villageA1.id,
    villageA2: villageA2.id,
    villageB1: villageB1.id,
    users: {
      admin: await add('admin', 'admin'),
      accountantA1: await add('acct-a1', 'accountant', { villageId: villageA1.id }),
      accountantA2: await add('acct-a2', 'accountant', { villageId: villageA2.id }),
      accountantB1: await add('acct-b1', 'accountant', { villageId: villageB1.id }),
      officialA: await add('official-a', 'official', { townId: townA.id }),
      officialB: await add('official-b', 'official', { townId: townB.id }),
    },
  };
}
