import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../server/cli/index';
import { databaseKinds } from '../../helpers/databases';
import { seedReadyVoucher } from '../../helpers/review';
import { createStaffFixture, type StaffFixture } from '../../helpers/staff-fixture';
import { createTestEnv, type TestEnv } from '../../helpers/test-env';

/** `verify` passes on an honest store, and names each kind of tampering. */
describe.each(databaseKinds())('verify on %s', (kind) => {
  let env: TestEnv;
  let staff: StaffFixture;
  let cliEnv: NodeJS.ProcessEnv;
  const published: number[] = [];

  beforeAll(async () => {
    env = await createTestEnv(kind);
    cliEnv = { DATABASE_URL: env.database.url, STORAGE_DIR: env.config.storageDir, LOG_LEVEL: 'silent' };
    staff = await createStaffFixture(env.container);
    const { review, amendments, auth } = env.container.services;
    const login = async (username: string) => (await auth.authenticate((await auth.login(username, 'correct-horse-42')).token));
    const [accountant, official] = [await login('acct-a1'), await login('official-a')];
    for (const month of ['2025-01', '2025-02']) {
      for (let i = 0; i < 2; i++) published.push((await seedReadyVoucher(env, staff.villageA1, month)).id);
      await review.submit(accountant, staff.villageA1, month);
      await review.approve(official, staff.villageA1, month, {});
    }
    const amendment = await amendments.request(accountant, published[0], { changes: { fields: { amountFen: 777 } }, reason: '更正金额' });
    await amendments.approve(official, amendment.id, {});
    // Another village with a published month, to show --village narrows the check.
    await seedReadyVoucher(env, staff.villageB1, '2025-01');
    const [accountantB, officialB] = [await login('acct-b1'), await login('official-b')];
    await review.submit(accountantB, staff.villageB1, '2025-01');
    await review.approve(officialB, staff.villageB1, '2025-01', {});
  });
  afterAll(async () => env.close());

  async function verify(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['verify', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l) }, cliEnv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('an honest store passes and says what was checked', async () => {
    const result = await verify();
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain(`village ${staff.villageA1} 甲一村: 3 chain entries (2 publications, 1 amendments), 2 published month(s), 4 voucher(s)`);
    expect(result.out).toContain(`village ${staff.villageB1} 乙一村: 1 chain entries`);
    // Four vouchers and a fifth in village B, display and thumbnail each; the amendment changed no image.
    expect(result.out).toContain('10 published image(s) re-hashed from storage');
    expect(result.out).toContain('verify: everything matches');
  });

  test('--village checks one village, by id or name', async () => {
    for (const ref of [String(staff.villageB1), '乙镇/乙一村']) {
      const result = await verify('--village', ref);
      expect(result.code).toBe(0);
      expect(result.out).not.toContain('甲一村');
      expect(result.out).toContain('2 published image(s)');
    }
    expect((await verify('--village', '没有这个村')).code).toBe(1);
  });

  test('one changed byte of a stored published image is named', async () => {
    const voucher = (await env.container.repositories.vouchers.findById(published[1]))!;
    const file = path.join(env.config.storageDir, ...voucher.publicThumbKey!.split('/'));
    const original = fs.readFileSync(file);
    const changed = Buffer.from(original);
    changed[changed.length >> 1] ^= 0x01;
    fs.writeFileSync(file, changed);
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.err).toContain(`MISMATCH image ${voucher.publicThumbKey}: stored bytes hash to`);
      expect(result.out).toContain('verify: 1 mismatch(es)');
    } finally {
      fs.writeFileSync(file, original);
    }
    const missing = path.join(env.config.storageDir, ...voucher.publicDisplayKey!.split('/'));
    fs.renameSync(missing, `${missing}.moved`);
    try {
      expect((await verify()).err).toContain(`image ${voucher.publicDisplayKey}: missing from storage`);
    } finally {
      fs.renameSync(`${missing}.moved`, missing);
    }
  });

  test('one field changed in the database is named: a voucher amount, a manifest, a withdrawal', async () => {
    const { Voucher, ChainEntry } = env.container.models;
    const voucher = (await Voucher.findByPk(published[2]))!;
    await Voucher.update({ amountFen: Number(voucher.amountFen) + 100 }, { where: { id: voucher.id } });
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.err).toContain(`voucher ${voucher.id} amountFen: the database has ${Number(voucher.amountFen) + 100}, the chain ${voucher.amountFen}`);
    } finally {
      await Voucher.update({ amountFen: voucher.amountFen }, { where: { id: voucher.id } });
    }

    const entry = (await ChainEntry.findOne({ where: { villageId: staff.villageA1, seq: 1 } }))!;
    await ChainEntry.update({ manifest: entry.manifest.replace('"totalFen":', '"totalFen":1') }, { where: { id: entry.id } });
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.err).toContain(`entry #1 ${entry.digest}: its manifest hashes to`);
    } finally {
      await ChainEntry.update({ manifest: entry.manifest }, { where: { id: entry.id } });
    }

    await Voucher.update({ withdrawnAt: new Date(), withdrawnReason: '悄悄撤掉' }, { where: { id: published[3] } });
    try {
      expect((await verify()).err).toContain(`voucher ${published[3]}: the database says withdrawn, the chain the opposite`);
    } finally {
      await Voucher.update({ withdrawnAt: null, withdrawnReason: null }, { where: { id: published[3] } });
    }
    expect((await verify()).code).toBe(0);
  });

  test('a deleted chain entry is named, whether in the middle or the last', async () => {
    const { ChainEntry } = env.container.models;
    const entries = await ChainEntry.findAll({ where: { villageId: staff.villageA1 }, order: [['seq', 'ASC']] });
    const middle = entries[1];
    await ChainEntry.destroy({ where: { id: middle.id } });
    try {
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.err).toContain('entry #2 is missing (the next one stored is #3)');
      expect(result.err).toContain(`entry #3 ${entries[2].digest}: prev is ${middle.digest}, but the entry before it is ${entries[0].digest}`);
    } finally {
      await ChainEntry.create(middle.get({ plain: true }));
    }
    expect((await verify()).code).toBe(0);

    const last = entries[2];
    await ChainEntry.destroy({ where: { id: last.id } });
    const result = await verify();
    expect(result.code).toBe(1);
    // The chain alone still links up; the database knows an approved amendment and an amount it cannot explain.
    expect(result.err).toMatch(/approved amendment \d+ has no entry in the chain/);
  });
});
