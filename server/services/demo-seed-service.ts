import { randomInt } from 'node:crypto';
import type { Role } from '../../shared/schemas/users';
import type { Clock } from '../adapters/clock';
import type { PasswordHasher } from '../adapters/password-hasher';
import type { AuditRepository } from '../db/repositories/audit-repository';
import type { DirectoryRepository } from '../db/repositories/directory-repository';
import type { UserRepository } from '../db/repositories/user-repository';
import type { Transactor } from '../db/transactor';
import { toPublicUser, type StaffAccount } from '../domain/staff';
import type { DemoMonthsService, DemoVillageStaff } from './demo-months-service';

export interface DemoCredential {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  /** The town or village the account belongs to, for the start-up printout. */
  scope: string;
}

interface DemoTown {
  name: string;
  slug: string;
  official: string;
  villages: Array<{ name: string; accountant: string }>;
}

export const DEMO_TOWNS: DemoTown[] = [
  {
    name: '新街镇',
    slug: 'xinjie',
    official: '王建国',
    villages: [
      { name: '新街村', accountant: '李秀英' },
      { name: '东岗村', accountant: '张桂兰' },
      { name: '西湖村', accountant: '刘国强' },
      { name: '南塘村', accountant: '陈玉梅' },
      { name: '北山村', accountant: '杨志刚' },
      { name: '柳树村', accountant: '赵淑芬' },
      { name: '桥头村', accountant: '黄德明' },
      { name: '石门村', accountant: '周红霞' },
    ],
  },
  {
    name: '张铺镇',
    slug: 'zhangpu',
    official: '孙海涛',
    villages: [
      { name: '张铺村', accountant: '吴春花' },
      { name: '王庄村', accountant: '郑卫东' },
      { name: '李集村', accountant: '马兰芳' },
    ],
  },
];

// No 0/O, 1/l/I: people copy these by hand from a terminal.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function newPassword(): string {
  let out = '';
  for (let i = 0; i < 12; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export interface DemoSeedDeps {
  directory: DirectoryRepository;
  users: UserRepository;
  audit: AuditRepository;
  hasher: PasswordHasher;
  transactor: Transactor;
  clock: Clock;
  months: DemoMonthsService;
}

/**
 * Fills an empty database with two towns, their villages and one account per role, then with
 * months of receipts (published, submitted and draft: see DemoMonthsService).
 * Passwords are random and returned once for printing; only their hashes are stored.
 */
export class DemoSeedService {
  constructor(private readonly deps: DemoSeedDeps) {}

  async seedIfEmpty(): Promise<DemoCredential[] | null> {
    if ((await this.deps.directory.countTowns()) > 0 || (await this.deps.users.count()) > 0) return null;

    type Planned = DemoCredential & { townName: string; villageName?: string };
    const planned: Planned[] = [
      { username: 'admin', password: newPassword(), role: 'admin', displayName: '系统管理员', scope: '全部', townName: '' },
    ];
    for (const town of DEMO_TOWNS) {
      planned.push({ username: `${town.slug}-official`, password: newPassword(), role: 'official', displayName: town.official, scope: town.name, townName: town.name });
      town.villages.forEach((village, i) =>
        planned.push({
          username: `${town.slug}-${String(i + 1).padStart(2, '0')}`,
          password: newPassword(),
          role: 'accountant',
          displayName: village.accountant,
          scope: `${town.name}${village.name}`,
          townName: town.name,
          villageName: village.name,
        }),
      );
    }
    // Hash outside the transaction: it is the slow part and needs no lock.
    const hashes = await Promise.all(planned.map((p) => this.deps.hasher.hash(p.password)));

    const staff: DemoVillageStaff[] = [];
    await this.deps.transactor.run(async (tx) => {
      if ((await this.deps.directory.countTowns(tx)) > 0) throw new Error('another process seeded the database meanwhile');
      const townIds = new Map<string, number>();
      const villageIds = new Map<string, number>();
      for (const town of DEMO_TOWNS) {
        const created = await this.deps.directory.createTown(town.name, tx);
        townIds.set(town.name, created.id);
        for (const village of town.villages)
          villageIds.set(town.name + village.name, (await this.deps.directory.createVillage(created.id, village.name, tx)).id);
      }
      const officials = new Map<string, StaffAccount>();
      for (const [i, p] of planned.entries()) {
        const account = await this.deps.users.create(
          {
            username: p.username,
            displayName: p.displayName,
            passwordHash: hashes[i],
            role: p.role,
            villageId: p.villageName ? villageIds.get(p.townName + p.villageName)! : null,
            townId: p.role === 'official' ? townIds.get(p.townName)! : null,
          },
          tx,
        );
        await this.deps.audit.record(
          {
            at: this.deps.clock.now(),
            actorUserId: null,
            actorRole: 'system',
            action: 'user.created',
            subjectType: 'user',
            subjectId: String(account.id),
            villageId: account.villageId,
            details: { username: account.username, role: account.role, demo: true },
          },
          tx,
        );
        if (p.role === 'official') officials.set(p.townName, account);
        if (p.villageName)
          staff.push({
            townName: p.townName,
            villageName: p.villageName,
            villageId: account.villageId!,
            accountant: toPublicUser(account),
            official: toPublicUser(officials.get(p.townName)!),
          });
      }
    });
    try {
      await this.deps.months.seed(staff);
    } catch (error) {
      // The accounts are in, so a second start will not seed again: say how to start over.
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`demo months could not be seeded (${reason}); empty the database and the storage folder and start again, or start with DEMO_DATA=0`, { cause: error });
    }
    return planned.map(({ username, password, role, displayName, scope }) => ({ username, password, role, displayName, scope }));
  }
}
