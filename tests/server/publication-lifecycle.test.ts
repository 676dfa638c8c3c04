import { createHash } from 'node:crypto';
import { runCli } from '../../server/cli/index';
import { voucherFixture } from '../helpers/fixtures';
import { auditOf, useStaffServer, type Who } from '../helpers/review';
import { databaseAndStorageKinds, envOf } from '../helpers/test-env';
import { filesForm } from '../helpers/upload';

/**
 * The whole way of a month through the real pipeline (PP-OCR): upload three sample vouchers,
 * submit, reject, fix, resubmit, approve, amend one amount, withdraw one voucher, publish a
 * second month; then `verify` passes and the public chain links every entry by `prev`.
 */
describe.each(databaseAndStorageKinds())('a month from upload to amended publication on %s with %s storage', (kind, storage) => {
  const ids: Record<string, number> = {};

  const t = useStaffServer(kind, undefined, 60_000, storage);

  const village = () => t.staff.villageA1;
  const monthAction = (month: string, action: string, who: Who, json?: unknown) =>
    t.server.request('POST', `/api/villages/${village()}/months/${month}/${action}`, { json, token: t.tokens[who] });
  const voucher = async (id: number) => (await t.server.request('GET', `/api/vouchers/${id}`, { token: t.tokens.accountantA1 })).body.voucher;
  async function upload(month: string, files: string[]) {
    const res = await t.server.request('POST', `/api/villages/${village()}/months/${month}/vouchers`, {
      body: filesForm(files.map((name) => ({ name, data: voucherFixture(name) }))),
      token: t.tokens.accountantA1,
    });
    expect(res.status).toBe(202);
    for (const r of res.body.results) ids[r.file] = r.id;
    await t.env.container.createJobRunner().drain();
  }
  /** What the accountant does before submitting: look at every flag and accept it. */
  async function acknowledgeAll(month: string) {
    const list = (await t.server.request('GET', `/api/villages/${village()}/months/${month}/vouchers`, { token: t.tokens.accountantA1 })).body.vouchers;
    for (const v of list) {
      expect(v.status).toBe('ready');
      const open = v.flags.filter((f: { acknowledged: boolean }) => !f.acknowledged).map((f: { type: string }) => f.type);
      if (open.length) expect((await t.server.request('PATCH', `/api/vouchers/${v.id}`, { json: { version: v.version, acknowledgeFlags: open }, token: t.tokens.accountantA1 })).status).toBe(200);
    }
  }

  test('upload → submit → reject → fix → resubmit → approve', async () => {
    await upload('2026-01', ['v001.jpg', 'v002.jpg', 'v003.jpg']);
    await acknowledgeAll('2026-01');
    expect((await monthAction('2026-01', 'submit', 'accountantA1')).body.status).toBe('submitted');

    const rejected = await monthAction('2026-01', 'reject', 'officialA', { reason: '劳务费收据金额请与原件核对' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: '劳务费收据金额请与原件核对' });

    const receipt = await voucher(ids['v001.jpg']);
    const fixed = await t.server.request('PATCH', `/api/vouchers/${receipt.id}`, {
      json: { version: receipt.version, fields: { amountFen: 84_000, description: '修路劳务费' } },
      token: t.tokens.accountantA1,
    });
    expect(fixed.status).toBe(200);
    expect((await monthAction('2026-01', 'submit', 'accountantA1')).body.status).toBe('submitted');

    // The receipt's ID card and phone number were boxed by the pipeline, so no override is needed.
    const approved = await monthAction('2026-01', 'approve', 'officialA');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'published', digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await auditOf(t.env, 'month', `${village()}/2026-01`)).map((e) => e.action)).toEqual(['month.submitted', 'month.rejected', 'month.submitted', 'month.approved']);

    // Published: the redacted images are public, and match the manifest's hashes.
    const manifest = JSON.parse((await t.server.request('GET', `/api/chain/${approved.body.digest}`)).text);
    expect(manifest.vouchers.map((v: { id: number }) => v.id)).toEqual([ids['v001.jpg'], ids['v002.jpg'], ids['v003.jpg']]);
    expect(manifest.vouchers[0]).toMatchObject({ amountFen: 84_000, description: '修路劳务费' });
    const publicImage = await fetch(`${t.server.baseUrl}/api/vouchers/${ids['v001.jpg']}/image?variant=display`);
    expect(publicImage.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await publicImage.arrayBuffer())).digest('hex')).toBe(manifest.vouchers[0].displaySha256);
  }, 120_000);

  test('after publication: amend one amount, withdraw one voucher, each approved by an official', async () => {
    const amend = await t.server.request('POST', `/api/vouchers/${ids['v003.jpg']}/amendments`, {
      json: { changes: { fields: { amountFen: 280_000 } }, reason: '发票价税合计应为 2800.00 元' },
      token: t.tokens.accountantA1,
    });
    expect(amend.status).toBe(201);
    expect((await t.server.request('POST', `/api/amendments/${amend.body.amendment.id}/approve`, { token: t.tokens.officialA })).status).toBe(200);

    const withdraw = await t.server.request('POST', `/api/vouchers/${ids['v002.jpg']}/amendments`, {
      json: { changes: { withdraw: true }, reason: '这笔已在上月报销，重复入账' },
      token: t.tokens.officialA,
    });
    expect((await t.server.request('POST', `/api/amendments/${withdraw.body.amendment.id}/approve`, { token: t.tokens.officialA })).status).toBe(200);

    expect(await voucher(ids['v003.jpg'])).toMatchObject({ amountFen: 280_000, withdrawn: null });
    expect((await voucher(ids['v002.jpg'])).withdrawn).toMatchObject({ reason: '这笔已在上月报销，重复入账' });
  });

  test('a second month is published after them; verify passes; the public chain links every entry by prev', async () => {
    await upload('2026-02', ['v005.jpg']);
    await acknowledgeAll('2026-02');
    expect((await monthAction('2026-02', 'submit', 'accountantA1')).status).toBe(200);
    expect((await monthAction('2026-02', 'approve', 'officialA')).status).toBe(200);

    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['verify'], { out: (l) => out.push(l), err: (l) => err.push(l) }, envOf(t.env));
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.join('\n')).toContain('4 chain entries (2 publications, 2 amendments), 2 published month(s), 4 voucher(s)');

    const chain = (await t.server.request('GET', `/api/villages/${village()}/chain`)).body.entries;
    expect(chain.map((e: { kind: string; month: string }) => `${e.kind} ${e.month}`)).toEqual(['publication 2026-01', 'amendment 2026-01', 'amendment 2026-01', 'publication 2026-02']);
    chain.forEach((entry: { prev: string | null }, i: number) => expect(entry.prev).toBe(i ? chain[i - 1].digest : null));
    for (const entry of chain) {
      const bytes = Buffer.from(await (await fetch(`${t.server.baseUrl}/api/chain/${entry.digest}`)).arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.digest);
    }
    const withdrawal = JSON.parse((await t.server.request('GET', `/api/chain/${chain[2].digest}`)).text);
    expect(withdrawal).toMatchObject({ amends: chain[0].digest, withdrawn: true, voucher: { id: ids['v002.jpg'] }, amendment: { reason: '这笔已在上月报销，重复入账' } });
    // 840.00 (fixed) + 2800.00 (amended); the withdrawn 200.00 no longer counts.
    expect(withdrawal.totalFen).toBe(84_000 + 280_000);
  });
});
