import type { User } from '../../shared/schemas/users';
import type { Clock } from '../adapters/clock';
import type { PasswordHasher } from '../adapters/password-hasher';
import type { TokenSigner } from '../adapters/token-signer';
import type { AuditRepository } from '../db/repositories/audit-repository';
import type { LoginThrottleRepository } from '../db/repositories/login-throttle-repository';
import type { UserRepository } from '../db/repositories/user-repository';
import { toPublicUser } from '../domain/staff';
import { AppError, unauthorized } from '../errors';

export interface AuthServiceDeps {
  users: UserRepository;
  throttles: LoginThrottleRepository;
  audit: AuditRepository;
  hasher: PasswordHasher;
  tokens: TokenSigner;
  clock: Clock;
  maxFailures: number;
  lockMs: number;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: User;
}

const WRONG_CREDENTIALS = '用户名或密码不正确';

export class AuthService {
  /** Verified against when the username is unknown, so both failures cost the same time. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: AuthServiceDeps) {}

  async login(usernameInput: string, password: string, requestId?: string): Promise<LoginResult> {
    const { users, throttles, audit, hasher, tokens, clock } = this.deps;
    const username = usernameInput.trim().toLowerCase();
    const key = username.slice(0, 64);
    const now = clock.now();

    const throttle = await throttles.get(key);
    if (throttle?.lockedUntil && throttle.lockedUntil > now) throw this.lockedError(throttle.lockedUntil, now);

    const account = await users.findByUsername(username);
    let ok = false;
    if (account && !account.disabled) ok = await hasher.verify(account.passwordHash, password);
    else await hasher.verify(await this.getDummyHash(), password);

    if (!ok) {
      const state = await throttles.recordFailure(key, now, this.deps.lockMs, this.deps.maxFailures, this.deps.lockMs);
      await audit.record({
        at: now,
        actorUserId: account?.id ?? null,
        actorRole: account?.role ?? null,
        action: 'auth.login_failed',
        subjectType: 'username',
        subjectId: key,
        details: { failures: state.failures, locked: Boolean(state.lockedUntil) },
        requestId,
      });
      throw new AppError('unauthorized', WRONG_CREDENTIALS);
    }

    await throttles.clear(key);
    const { token, expiresAt } = await tokens.sign({ userId: account!.id, tokenVersion: account!.tokenVersion }, now);
    await audit.record({
      at: now,
      actorUserId: account!.id,
      actorRole: account!.role,
      action: 'auth.login',
      subjectType: 'user',
      subjectId: String(account!.id),
      villageId: account!.villageId,
      requestId,
    });
    return { token, expiresAt, user: toPublicUser(account!) };
  }

  /** The user a bearer token stands for, checked against the database on every request. */
  async authenticate(token: string): Promise<User> {
    const check = await this.deps.tokens.verify(token, this.deps.clock.now());
    if (!check.ok) {
      if (check.reason === 'expired') throw new AppError('token_expired', '登录已过期，请重新登录');
      throw unauthorized('登录信息无效，请重新登录');
    }
    const account = await this.deps.users.findById(check.claims.userId);
    if (!account || account.disabled || account.tokenVersion !== check.claims.tokenVersion)
      throw unauthorized('登录信息已失效，请重新登录');
    return toPublicUser(account);
  }

  private lockedError(lockedUntil: Date, now: Date): AppError {
    const seconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    return new AppError('too_many_requests', `登录失败次数太多，请 ${minutes} 分钟后再试`, { retryAfterSeconds: seconds });
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.deps.hasher.hash('not-a-real-password-just-for-timing');
    return this.dummyHash;
  }
}
