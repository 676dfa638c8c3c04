import type { Readable } from 'node:stream';
import type { User } from '../../../shared/schemas/users';
import { OpenDataService } from '../../../server/services/open-data-service';
import type { ObjectStorage } from '../../../server/storage/object-storage';
import { databaseKinds } from '../../helpers/databases';
import { seedReadyVoucher } from '../../helpers/review';
import { createStaffFixture, PASSWORD, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

/** The real storage, noting which keys were read; while `gate` is set, reads wait for it. */
class ReadLog implements ObjectStorage {
  reads: string[] = [];
  gate: Promise<void> | null = null;
  constructor(private readonly inner: ObjectStorage) {}
  put = (key: string, data: Buffer) => this.inner.put(key, data);
  putFile = (key: string, file: string) => this.inner.putFile(key, file);
  get = async (key: string) => {
    this.reads.push(key);
    await this.gate;
    return this.inner.get(key);
  };
  stream = (key: string): Promise<Readable> => this.inner.stream(key);
  exists = (key: string) => this.inner.exists(key);
  size = (key: string) => this.inner.size(key);
  delete = (key: string) => this.inner.delete(key);
  list = (prefix: string) => this.inner.list(prefix);
}

/** Sheets are rendered once per version of a month, and only a few at a time. */
describe.each(databaseKinds())('the open data service on %s', (kind) => {
  let env: TestEnv;
  let staff: StaffFixture;
  let accountant: User;
  let official: User;
  const thumbs: Record<string, string[]> = {};
  const voucherIds: number[] = [];

  beforeAll(async () => {
    env = await createTestEnv(kind);
    staff = await createStaffFixture(env.container);
    const { review, auth } = env.container.services;
    const login = async (username: string) => auth.authenticate((await auth.login(username, PASSWORD)).token);
    [accountant, official] = [await login('acct-a1'), await login('official-a')];
    for (const month of ['2026-09', '2026-10']) {
      thumbs[month] = [];
      for (let i = 0; i < 3; i++) {
        const voucher = await seedReadyVoucher(env, staff.villageA1, month);
        thumbs[month].push(voucher.publicThumbKey!);
        voucherIds.push(voucher.id);
      }
      await review.submit(accountant, staff.villageA1, month);
      await review.approve(official, staff.villageA1, month, {});
    }
  });
  afterAll(async () => env.close());

  function service(renderConcurrency = 2) {
    const storage = new ReadLog(env.container.storage);
    const { publicRead } = env.container.services;
    const lookedUp: string[] = [];
    const openData = new OpenDataService({
      months: {
        month: async (villageId, month) => {
          const published = await publicRead.month(villageId, month);
          lookedUp.push(month);
          return published;
        },
        thumbnailKey: (voucher) => publicRead.thumbnailKey(voucher),
      },
      storage,
      publicBaseUrl: 'https://yiyanming.example.cn',
      logger: env.container.logger,
      renderConcurrency,
    });
    return { openData, storage, lookedUp };
  }

  test('requests for the same sheet at once share one render, and later ones get it from memory', async () => {
    const { openData, storage } = service();
    const [a, b] = await Promise.all([openData.boardPdf(staff.villageA1, '2026-10'), openData.boardPdf(staff.villageA1, '2026-10')]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(storage.reads.sort()).toEqual([...thumbs['2026-10']].sort());
    const again = await openData.boardPdf(staff.villageA1, '2026-10');
    expect(again.bytes.equals(a.bytes)).toBe(true);
    expect(storage.reads).toHaveLength(3);
  });

  test('an approved correction makes the next request render the month again', async () => {
    const { openData, storage } = service();
    const before = await openData.boardPdf(staff.villageA1, '2026-09');
    const { amendments } = env.container.services;
    const amendment = await amendments.request(accountant, voucherIds[0], { changes: { fields: { payee: '更正后的商店' } }, reason: '收款方写错了' });
    await amendments.approve(official, amendment.id, {});
    const after = await openData.boardPdf(staff.villageA1, '2026-09');
    expect(after.bytes.equals(before.bytes)).toBe(false);
    expect(storage.reads).toHaveLength(6);
  });

  test('with one render at a time, a second sheet waits until the first is done', async () => {
    const { openData, storage, lookedUp } = service(1);
    let open!: () => void;
    storage.gate = new Promise((resolve) => (open = resolve));
    const both = Promise.all([openData.boardPdf(staff.villageA1, '2026-10'), openData.boardPdf(staff.villageA1, '2026-09')]);
    // Both months are looked up and one render is loading its thumbnails, held at the gate.
    while (lookedUp.length < 2 || storage.reads.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setImmediate(resolve));
    const monthOf = (key: string) => (thumbs['2026-10'].includes(key) ? '2026-10' : '2026-09');
    expect(storage.reads).toHaveLength(3);
    expect(new Set(storage.reads.map(monthOf)).size).toBe(1);
    open();
    await both;
    expect(new Set(storage.reads.slice(3).map(monthOf)).size).toBe(1);
    expect(storage.reads).toHaveLength(6);
  });
});
