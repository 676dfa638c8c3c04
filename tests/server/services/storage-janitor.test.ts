import { createHash, randomBytes } from 'node:crypto';
import { seedReadyVoucher } from '../../helpers/review';
import { createStaffFixture, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, databaseAndStorageKinds, type TestEnv } from '../../helpers/test-env';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Files are content-addressed and shared, so a file goes only when nothing names it — the same
 * rule on local disk and in an S3 bucket.
 */
describe.each(databaseAndStorageKinds())('the storage janitor on %s with %s storage', (kind, storage) => {
  let env: TestEnv;
  let staff: StaffFixture;

  beforeAll(async () => {
    env = await createTestEnv(kind, {}, { storage });
    staff = await createStaffFixture(env.container);
  }, 60_000);
  afterAll(() => env?.close(), 60_000);

  async function stray(prefix: 'originals' | 'images'): Promise<string> {
    const data = randomBytes(2000);
    const key = prefix === 'originals' ? `originals/${sha(data)}` : `images/${sha(data)}.webp`;
    await env.container.storage.put(key, data);
    return key;
  }

  test('deleteUnreferenced removes the keys no voucher names and keeps the ones a voucher still uses', async () => {
    const voucher = await seedReadyVoucher(env, staff.villageA1, '2026-04');
    const loose = await stray('images');
    await env.container.services.janitor.deleteUnreferenced([voucher.thumbKey!, voucher.originalKey, loose]);
    const { storage: files } = env.container;
    expect(await files.exists(loose)).toBe(false);
    expect(await files.exists(voucher.thumbKey!)).toBe(true);
    expect(await files.exists(voucher.originalKey)).toBe(true);
  });

  test('a sweep removes leftovers written before its cut-off that nothing names, and nothing newer', async () => {
    const voucher = await seedReadyVoucher(env, staff.villageA1, '2026-04');
    const leftovers = [await stray('originals'), await stray('images')];
    const { janitor } = env.container.services;
    const { storage: files } = env.container;

    const early = await janitor.sweep(new Date(Date.now() - 3_600_000));
    expect(early.deleted).toEqual([]);
    for (const key of leftovers) expect(await files.exists(key)).toBe(true);

    const late = await janitor.sweep(new Date(Date.now() + 60_000));
    expect(late.deleted.sort()).toEqual([...leftovers].sort());
    for (const key of leftovers) expect(await files.exists(key)).toBe(false);
    for (const key of [voucher.originalKey, voucher.displayKey!, voucher.thumbKey!]) expect(await files.exists(key)).toBe(true);
    expect(late.checked).toBeGreaterThanOrEqual(5);
  });
});
