import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { systemClock, type Clock } from './adapters/clock';
import { argon2Hasher, type PasswordHasher } from './adapters/password-hasher';
import { TokenSigner } from './adapters/token-signer';
import type { Config } from './config';
import { ensureDatabaseExists, openDatabase } from './db/database';
import { migrateUp } from './db/migrate';
import { defineModels, type Models } from './db/models';
import { AmendmentRepository } from './db/repositories/amendment-repository';
import { AuditRepository } from './db/repositories/audit-repository';
import { ChainRepository } from './db/repositories/chain-repository';
import { DirectoryRepository } from './db/repositories/directory-repository';
import { JobRepository } from './db/repositories/job-repository';
import { LoginThrottleRepository } from './db/repositories/login-throttle-repository';
import { PublicationRepository } from './db/repositories/publication-repository';
import { SearchRepository } from './db/repositories/search-repository';
import { SettingsRepository } from './db/repositories/settings-repository';
import { UserRepository } from './db/repositories/user-repository';
import { VoucherRepository } from './db/repositories/voucher-repository';
import { Transactor } from './db/transactor';
import { createJobHandlers } from './jobs/handlers';
import type { JobHandlers } from './jobs/job-handler';
import { JobRunner } from './jobs/job-runner';
import type { Logger } from './logger';
import { AmendmentService } from './services/amendment-service';
import { AuditService } from './services/audit-service';
import { AuditTrail } from './services/audit-trail';
import { AuthService } from './services/auth-service';
import { ChainService } from './services/chain-service';
import { ChainVerifier } from './services/chain-verifier';
import { DemoMonthsService } from './services/demo-months-service';
import { DemoSeedService } from './services/demo-seed-service';
import { DemoVoucherWriter } from './services/demo-voucher-writer';
import { DirectoryService } from './services/directory-service';
import { MonthService } from './services/month-service';
import { OpenDataService } from './services/open-data-service';
import { PublicReadService } from './services/public-read-service';
import { ReviewService } from './services/review-service';
import { SearchService } from './services/search-service';
import { UserService } from './services/user-service';
import { StorageJanitor } from './services/storage-janitor';
import { VoucherImages } from './services/voucher-images';
import { VoucherProcessor } from './services/voucher-processor';
import { VoucherService } from './services/voucher-service';
import { imageProcessor } from './images/image-processor';
import { createOcrEngine } from './ocr/create-engine';
import type { OcrEngine } from './ocr/ocr-engine';
import { openStorage, type Storage } from './storage/create-storage';

export interface Container {
  config: Config;
  logger: Logger;
  clock: Clock;
  sequelize: Sequelize;
  models: Models;
  repositories: {
    amendments: AmendmentRepository;
    audit: AuditRepository;
    chain: ChainRepository;
    directory: DirectoryRepository;
    jobs: JobRepository;
    publications: PublicationRepository;
    search: SearchRepository;
    settings: SettingsRepository;
    throttles: LoginThrottleRepository;
    users: UserRepository;
    vouchers: VoucherRepository;
  };
  storage: Storage;
  services: {
    amendments: AmendmentService;
    auditLog: AuditService;
    auth: AuthService;
    chain: ChainService;
    chainVerifier: ChainVerifier;
    demoSeed: DemoSeedService;
    directory: DirectoryService;
    /** Deletes stored files nothing names any more, and sweeps what crashed processes left. */
    janitor: StorageJanitor;
    months: MonthService;
    openData: OpenDataService;
    publicRead: PublicReadService;
    review: ReviewService;
    search: SearchService;
    users: UserService;
    vouchers: VoucherService;
    voucherProcessor: VoucherProcessor;
  };
  jobHandlers: JobHandlers;
  /** The OCR engine, loaded on first use (it takes seconds and hundreds of MB). */
  ocrEngine(): Promise<OcrEngine>;
  createJobRunner(overrides?: Partial<{ concurrency: number; owner: string }>): JobRunner;
  /** Is the database answering? */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ContainerOptions {
  clock?: Clock;
  hasher?: PasswordHasher;
  /** Run pending migrations on open (the server and worker do; `migrate` runs them itself). */
  migrate?: boolean;
}

/** Wires adapters → repositories → services for one process. Nothing here knows about HTTP. */
export async function createContainer(config: Config, logger: Logger, options: ContainerOptions = {}): Promise<Container> {
  const clock = options.clock ?? systemClock;
  const hasher = options.hasher ?? argon2Hasher;
  // Storage first: a bucket that does not answer stops the start before the database is touched.
  const storage = await openStorage(config);
  let sequelize: Sequelize;
  try {
    await ensureDatabaseExists(config.databaseUrl);
    sequelize = await openDatabase(config.databaseUrl);
  } catch (error) {
    storage.close?.();
    throw error;
  }
  try {
    if (options.migrate !== false) {
      const applied = await migrateUp(sequelize, logger);
      if (applied.length) logger.info({ applied }, '[db.migrate:applied]');
    }
    const models = defineModels(sequelize);
    const repositories = {
      amendments: new AmendmentRepository(models),
      audit: new AuditRepository(models),
      chain: new ChainRepository(models),
      directory: new DirectoryRepository(models),
      jobs: new JobRepository(models, clock),
      publications: new PublicationRepository(models),
      search: new SearchRepository(sequelize),
      settings: new SettingsRepository(models),
      throttles: new LoginThrottleRepository(models),
      users: new UserRepository(models),
      vouchers: new VoucherRepository(models),
    };
    const secret =
      config.authSecret ??
      (await repositories.settings.getOrCreate('auth.token_secret', () => randomBytes(48).toString('base64url'), clock.now()));
    const tokens = new TokenSigner(secret, config.tokenTtlSeconds);
    const transactor = new Transactor(sequelize);
    const directory = new DirectoryService(repositories.directory);
    let engine: Promise<OcrEngine> | null = null;
    const ocrEngine = () => (engine ??= createOcrEngine(config.ocrEngine, { threads: config.ocrThreads }));
    const janitor = new StorageJanitor(repositories.vouchers, repositories.chain, storage, logger);
    const trail = new AuditTrail(repositories.audit, clock);
    const months = new MonthService(directory, repositories.publications, repositories.chain);
    const voucherImages = new VoucherImages(storage, imageProcessor);
    const queuedListeners = new Set<() => void>();
    const publicRead = new PublicReadService({ ...repositories, clock, revalidateMs: config.publicCacheRevalidateMs });
    repositories.chain.onAppended((villageId, month) => publicRead.forget(villageId, month));
    const amendments = new AmendmentService({ ...repositories, directory, voucherImages, janitor, trail, transactor, clock });
    const review = new ReviewService({ ...repositories, directory, months, trail, transactor, clock });
    const demoMonths = new DemoMonthsService({
      writer: new DemoVoucherWriter({ vouchers: repositories.vouchers, storage, voucherImages }),
      review,
      amendments,
      clock,
      logger,
    });
    const services = {
      amendments,
      auditLog: new AuditService(directory, repositories.audit, repositories.users),
      auth: new AuthService({
        users: repositories.users,
        throttles: repositories.throttles,
        audit: repositories.audit,
        hasher,
        tokens,
        clock,
        maxFailures: config.loginMaxFailures,
        lockMs: config.loginLockSeconds * 1000,
      }),
      chain: new ChainService(directory, repositories.chain),
      chainVerifier: new ChainVerifier({ ...repositories, directory, storage }),
      demoSeed: new DemoSeedService({ ...repositories, hasher, transactor, clock, months: demoMonths }),
      directory,
      janitor,
      months,
      openData: new OpenDataService({
        months: publicRead,
        storage,
        publicBaseUrl: config.publicBaseUrl,
        logger,
      }),
      publicRead,
      review,
      // Hits are picked out of the public months, so search shows exactly what a month's page shows.
      search: new SearchService(repositories.search, publicRead),
      users: new UserService({ ...repositories, hasher, clock }),
      vouchers: new VoucherService({
        ...repositories,
        directory,
        storage,
        images: imageProcessor,
        voucherImages,
        janitor,
        transactor,
        clock,
        onQueued: () => queuedListeners.forEach((poke) => poke()),
      }),
      voucherProcessor: new VoucherProcessor({
        ...repositories,
        directory,
        images: imageProcessor,
        voucherImages,
        janitor,
        engine: ocrEngine,
        transactor,
        clock,
        logger,
      }),
    };
    const jobHandlers = createJobHandlers(services.voucherProcessor);
    let closed: Promise<void> | null = null;
    return {
      config,
      logger,
      clock,
      sequelize,
      models,
      repositories,
      services,
      storage,
      jobHandlers,
      ocrEngine,
      createJobRunner: (overrides = {}) => {
        const runner = new JobRunner({
          jobs: repositories.jobs,
          handlers: jobHandlers,
          logger,
          concurrency: overrides.concurrency ?? config.workerConcurrency,
          leaseMs: config.jobLeaseSeconds * 1000,
          pollMs: config.jobPollMs,
          owner: overrides.owner,
        });
        queuedListeners.add(() => runner.poke());
        return runner;
      },
      async ping() {
        try {
          await sequelize.query('SELECT 1');
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        closed ??= (async () => {
          if (engine) await (await engine.catch(() => null))?.close();
          await sequelize.close();
          storage.close?.();
        })();
        return closed;
      },
    };
  } catch (error) {
    await sequelize.close();
    storage.close?.();
    throw error;
  }
}
