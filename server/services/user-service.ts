import { createUserRequestSchema, passwordSchema, type CreateUserRequest, type User } from '../../shared/schemas/users';
import type { Clock } from '../adapters/clock';
import type { PasswordHasher } from '../adapters/password-hasher';
import type { AuditRepository } from '../db/repositories/audit-repository';
import type { DirectoryRepository } from '../db/repositories/directory-repository';
import { AlreadyExistsError } from '../db/repositories/errors';
import type { UserRepository } from '../db/repositories/user-repository';
import { toPublicUser } from '../domain/staff';
import { conflict, invalid, notFound } from '../errors';

export interface UserServiceDeps {
  users: UserRepository;
  directory: DirectoryRepository;
  audit: AuditRepository;
  hasher: PasswordHasher;
  clock: Clock;
}

/** Who did it, for the audit log; null for the command line and the demo seed. */
export type Actor = User | null;

export class UserService {
  constructor(private readonly deps: UserServiceDeps) {}

  async createUser(input: CreateUserRequest, actor: Actor, requestId?: string): Promise<User> {
    const parsed = createUserRequestSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(issue.path.join('.') || 'body', issue.message);
    }
    const request = parsed.data;
    if (request.villageId !== undefined && !(await this.deps.directory.findVillage(request.villageId)))
      throw invalid('villageId', '没有这个村');
    if (request.townId !== undefined && !(await this.deps.directory.findTown(request.townId)))
      throw invalid('townId', '没有这个镇');
    let account;
    try {
      account = await this.deps.users.create({
        username: request.username,
        displayName: request.displayName,
        passwordHash: await this.deps.hasher.hash(request.password),
        role: request.role,
        villageId: request.villageId ?? null,
        townId: request.townId ?? null,
      });
    } catch (error) {
      if (error instanceof AlreadyExistsError) throw conflict(`用户名“${request.username}”已经有人用了`);
      throw error;
    }
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      actorUserId: actor?.id ?? null,
      actorRole: actor?.role ?? 'system',
      action: 'user.created',
      subjectType: 'user',
      subjectId: String(account.id),
      villageId: account.villageId,
      details: { username: account.username, role: account.role, townId: account.townId },
      requestId,
    });
    return toPublicUser(account);
  }

  async changePassword(username: string, password: string, actor: Actor): Promise<void> {
    const parsed = passwordSchema.safeParse(password);
    if (!parsed.success) throw invalid('password', parsed.error.issues[0].message);
    const account = await this.deps.users.findByUsername(username.trim().toLowerCase());
    if (!account) throw notFound(`没有用户“${username}”`);
    await this.deps.users.setPasswordHash(account.id, await this.deps.hasher.hash(password));
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      actorUserId: actor?.id ?? null,
      actorRole: actor?.role ?? 'system',
      action: 'user.password_changed',
      subjectType: 'user',
      subjectId: String(account.id),
    });
  }

  async listUsers(): Promise<User[]> {
    return (await this.deps.users.list()).map(toPublicUser);
  }
}
