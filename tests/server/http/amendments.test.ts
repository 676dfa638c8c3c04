import { databaseKinds } from '../../helpers/databases';
import { auditOf, ID_BOX, idCardLine, seedReadyVoucher, useStaffServer, type Who } from '../../helpers/review';

/** Corrections after publication: each transition and refusal with its state, status and audit row. */
describe.each(databaseKinds())('amending a published month on %s', (kind) => {
  const month = '2025-03';
  const ids: number[] = [];
  let publicationDigest: string;

  const t = useStaffServer(kind, async () => {
    for (let i = 0; i < 9; i++) ids.push((await seedReadyVoucher(t.env, t.staff.villageA1, month, { ocrLines: [idCardLine()], redactions: [ID_BOX] })).id);
    await seedReadyVoucher(t.env, t.staff.villageA1, '2025-04');
    for (const action of ['submit', 'approve'] as const) {
      const res = await t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/${month}/${action}`, { token: t.tokens[action === 'submit' ? 'accountantA1' : 'officialA'] });
      expect(res.status).toBe(200);
      publicationDigest = res.body.digest;
    }
  });

  const requestAmendment = (voucherId: number, body: unknown, who: Who = 'accountantA1') =>
    t.server.request('POST', `/api/vouchers/${voucherId}/amendments`, { json: body, token: t.tokens[who] });
  const decide = (id: number, action: 'approve' | 'reject', who: Who = 'officialA', json?: unknown) =>
    t.server.request('POST', `/api/amendments/${id}/${action}`, { json, token: t.tokens[who] });
  const manifestOf = async (digest: string) => JSON.parse((await t.server.request('GET', `/api/chain/${digest}`)).text);
  const voucher = async (id: number) => (await t.server.request('GET', `/api/vouchers/${id}`, { token: t.tokens.accountantA1 })).body.voucher;
  const lastAudit = async (type: string, id: number) => (await auditOf(t.env, type, id)).at(-1);

  test('an amount correction: requested (pending), approved by an official, applied, and chained naming what changed', async () => {
    const before = await voucher(ids[0]);
    const requested = await requestAmendment(ids[0], { changes: { fields: { amountFen: 12_345 } }, reason: '发票金额抄错了' });
    expect(requested.status).toBe(201);
    expect(requested.body.amendment).toMatchObject({ status: 'pending', voucherId: ids[0], reason: '发票金额抄错了', digest: null });
    const id = requested.body.amendment.id;
    expect(await lastAudit('amendment', id)).toMatchObject({ action: 'amendment.requested', actorUserId: t.staff.users.accountantA1.id, details: { voucherId: ids[0], after: { status: 'pending' } } });
    // Nothing changes until an official approves.
    expect((await voucher(ids[0])).amountFen).toBe(before.amountFen);

    const approved = await decide(id, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body.amendment).toMatchObject({ status: 'approved', decidedBy: t.staff.users.officialA.id, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await voucher(ids[0])).amountFen).toBe(12_345);
    const manifest = await manifestOf(approved.body.amendment.digest);
    expect(manifest).toMatchObject({
      kind: 'amendment',
      month,
      amends: publicationDigest,
      amendment: { id, reason: '发票金额抄错了', requestedBy: { role: 'accountant', name: 'acct-a1' } },
      voucher: { id: ids[0], amountFen: 12_345 },
      withdrawn: false,
      changes: { amountFen: { from: before.amountFen, to: 12_345 } },
      approvedBy: { role: 'official', name: 'official-a' },
    });
    expect(await lastAudit('amendment', id)).toMatchObject({
      action: 'amendment.approved',
      details: { voucherId: ids[0], before: { status: 'pending' }, after: { status: 'approved' }, digest: approved.body.amendment.digest },
    });

    const again = await decide(id, 'approve');
    expect(again.status).toBe(409);
    expect(again.body.error.state).toBe('approved');
    expect(await lastAudit('amendment', id)).toMatchObject({ action: 'amendment.approve_refused', details: { state: 'approved' } });
  });

  test('withdrawing: the voucher stays listed as withdrawn with its reason, and no longer counts', async () => {
    const requested = await requestAmendment(ids[1], { changes: { withdraw: true }, reason: '重复报销，已退回' }, 'officialA');
    expect(requested.status).toBe(201);
    const approved = await decide(requested.body.amendment.id, 'approve');
    expect(approved.status).toBe(200);
    const list = (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/months/${month}/vouchers`, { token: t.tokens.accountantA1 })).body.vouchers;
    expect(list.find((v: { id: number }) => v.id === ids[1]).withdrawn).toEqual({ reason: '重复报销，已退回', at: expect.any(String) });
    const manifest = await manifestOf(approved.body.amendment.digest);
    expect(manifest).toMatchObject({ withdrawn: true, changes: { withdrawn: { from: false, to: true } } });
    const counted = list.filter((v: { id: number; withdrawn: unknown }) => !v.withdrawn).reduce((s: number, v: { amountFen: number }) => s + v.amountFen, 0);
    expect(manifest.totalFen).toBe(counted);

    const more = await requestAmendment(ids[1], { changes: { fields: { payee: '别的' } }, reason: '再改' });
    expect(more.status).toBe(409);
    expect(more.body.error.state).toBe('withdrawn');
    expect(await lastAudit('voucher', ids[1])).toMatchObject({ action: 'amendment.request_refused', details: { state: 'withdrawn' } });
  });

  test('new redaction boxes make new public images; the published ones stay in storage', async () => {
    const record = (await t.env.container.repositories.vouchers.findById(ids[2]))!;
    const box = { box: [300, 300, 200, 100], type: 'manual', source: 'manual' };
    const requested = await requestAmendment(ids[2], { changes: { redactions: [ID_BOX, box] }, reason: '还有一处手写电话没遮住' });
    const approved = await decide(requested.body.amendment.id, 'approve');
    expect(approved.status).toBe(200);
    const after = (await t.env.container.repositories.vouchers.findById(ids[2]))!;
    expect(after.publicDisplayKey).not.toBe(record.publicDisplayKey);
    expect(await t.env.container.storage.exists(record.publicDisplayKey!)).toBe(true);
    expect(await t.env.container.storage.exists(after.publicDisplayKey!)).toBe(true);
    const manifest = await manifestOf(approved.body.amendment.digest);
    expect(Object.keys(manifest.changes).sort()).toEqual(['displaySha256', 'thumbSha256']);
  });

  test('removing the box over an ID card is refused (409) unless the approving official writes why', async () => {
    const requested = await requestAmendment(ids[3], { changes: { redactions: [] }, reason: '遮挡框挡住了金额' });
    const id = requested.body.amendment.id;
    const refused = await decide(id, 'approve');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ state: 'pending' });
    expect(await lastAudit('amendment', id)).toMatchObject({ action: 'amendment.approve_refused', details: { state: 'pending' } });
    const approved = await decide(id, 'approve', 'officialA', { overrideReason: '这是样例号码，不是真实身份证' });
    expect(approved.status).toBe(200);
    const actions = (await auditOf(t.env, 'amendment', id)).map((e) => e.action);
    expect(actions).toEqual(['amendment.requested', 'amendment.approve_refused', 'amendment.approval_override', 'amendment.approved']);
  });

  test('rejecting needs a reason; a rejected amendment cannot be approved after', async () => {
    const requested = await requestAmendment(ids[4], { changes: { fields: { payee: '错的收款方' } }, reason: '收款方写错' });
    const id = requested.body.amendment.id;
    expect((await decide(id, 'reject', 'officialA', {})).status).toBe(422);
    const rejected = await decide(id, 'reject', 'officialA', { reason: '原来的收款方是对的' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.amendment).toMatchObject({ status: 'rejected', rejectionReason: '原来的收款方是对的' });
    expect(await lastAudit('amendment', id)).toMatchObject({ action: 'amendment.rejected', details: { before: { status: 'pending' }, after: { status: 'rejected' }, reason: '原来的收款方是对的' } });
    const late = await decide(id, 'approve');
    expect(late.status).toBe(409);
    expect(late.body.error.state).toBe('rejected');
    expect((await voucher(ids[4])).payee).not.toBe('错的收款方');
  });

  test('two amendments of one voucher: after the first is approved, the second is stale (409) and stays pending', async () => {
    const first = (await requestAmendment(ids[5], { changes: { fields: { amountFen: 111 } }, reason: '第一次' })).body.amendment.id;
    const second = (await requestAmendment(ids[5], { changes: { fields: { amountFen: 222 } }, reason: '第二次' })).body.amendment.id;
    expect((await decide(first, 'approve')).status).toBe(200);
    const stale = await decide(second, 'approve');
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ state: 'pending' });
    expect(stale.body.error.message).toContain('重新提出');
    expect((await voucher(ids[5])).amountFen).toBe(111);
  });

  test('two approvals of one amendment at once apply it exactly once', async () => {
    const id = (await requestAmendment(ids[5], { changes: { fields: { description: '并发审核' } }, reason: '补写说明' })).body.amendment.id;
    const answers = await Promise.all([decide(id, 'approve'), decide(id, 'approve', 'admin'), decide(id, 'approve')]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const entries = (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/chain`)).body.entries;
    const digests = answers.filter((a) => a.status === 200).map((a) => a.body.amendment.digest);
    expect(entries.filter((e: { digest: string }) => digests.includes(e.digest))).toHaveLength(1);
    expect((await auditOf(t.env, 'amendment', id)).filter((e) => e.action === 'amendment.approved')).toHaveLength(1);
  });

  test("approvals of amendments to different vouchers at once keep the month's chain and totals right", async () => {
    const requests = [
      { changes: { fields: { amountFen: 50_000 } }, reason: '金额更正' },
      { changes: { withdraw: true }, reason: '不属于本月' },
      { changes: { fields: { amountFen: 70_000 } }, reason: '金额更正' },
    ];
    const pending = await Promise.all(requests.map(async (body, i) => (await requestAmendment(ids[6 + i], body)).body.amendment.id));
    const answers = await Promise.all(pending.map((id) => decide(id, 'approve')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await t.env.container.services.chainVerifier.verify(t.staff.villageA1)).problems).toEqual([]);
  });

  test('an amendment to a month that is not published is refused (409) with its state', async () => {
    const draft = (await t.env.container.repositories.vouchers.listForMonth(t.staff.villageA1, '2025-04'))[0];
    const res = await requestAmendment(draft.id, { changes: { fields: { amountFen: 1 } }, reason: '改' });
    expect(res.status).toBe(409);
    expect(res.body.error.state).toBe('draft');
    expect(await lastAudit('voucher', draft.id)).toMatchObject({ action: 'amendment.request_refused', details: { code: 'conflict', state: 'draft' } });
  });

  test.each([
    ["another village's accountant requesting", () => requestAmendment(ids[5], { changes: { fields: { amountFen: 1 } }, reason: '改' }, 'accountantA2'), 'voucher'],
    ["another town's official requesting", () => requestAmendment(ids[5], { changes: { fields: { amountFen: 1 } }, reason: '改' }, 'officialB'), 'voucher'],
  ] as const)('%s is refused (403) and recorded', async (_name, send, subject) => {
    const res = await send();
    expect(res.status).toBe(403);
    expect(await lastAudit(subject, ids[5])).toMatchObject({ action: 'amendment.request_refused', details: { code: 'forbidden' } });
  });

  test("approving or rejecting is for the town's officials: the accountant and another town get 403, recorded", async () => {
    const id = (await requestAmendment(ids[5], { changes: { fields: { payee: '某商店' } }, reason: '补全收款方' })).body.amendment.id;
    for (const who of ['accountantA1', 'officialB'] as const) {
      expect((await decide(id, 'approve', who)).status).toBe(403);
      expect(await lastAudit('amendment', id)).toMatchObject({ action: 'amendment.approve_refused', actorUserId: t.staff.users[who].id, details: { code: 'forbidden' } });
      expect((await decide(id, 'reject', who, { reason: '不行' })).status).toBe(403);
      expect(await lastAudit('amendment', id)).toMatchObject({ action: 'amendment.reject_refused', details: { code: 'forbidden' } });
    }
    const list = await t.server.request('GET', `/api/villages/${t.staff.villageA1}/months/${month}/amendments`, { token: t.tokens.officialA });
    expect(list.body.amendments.find((a: { id: number }) => a.id === id).status).toBe('pending');
  });

  test.each([
    ['no changes', { changes: {}, reason: '改' }, 'changes'],
    ['no reason', { changes: { fields: { amountFen: 1 } } }, 'reason'],
    ['withdrawing and changing at once', { changes: { withdraw: true, fields: { amountFen: 1 } }, reason: '改' }, 'changes'],
    ['an amount that is not whole fen', { changes: { fields: { amountFen: 1.5 } }, reason: '改' }, 'changes.fields.amountFen'],
    ['a box off the image', { changes: { redactions: [{ box: [600, 400, 200, 200], type: 'manual', source: 'manual' }] }, reason: '改' }, 'changes.redactions'],
    ['the value it already has', { changes: { fields: { category: '办公用品' } }, reason: '改' }, 'changes'],
    ['the boxes it already has', { changes: { redactions: [ID_BOX] }, reason: '改' }, 'changes'],
  ])('%s is 422 naming the field, and nothing is filed', async (_name, body, field) => {
    const before = await t.env.container.models.Amendment.count();
    const res = await requestAmendment(ids[5], body);
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe(field);
    expect(await t.env.container.models.Amendment.count()).toBe(before);
  });

  test('an amendment that does not exist is 404', async () => {
    expect((await decide(999_999, 'approve')).status).toBe(404);
  });

  test('after all of the above, the chain and the database still agree', async () => {
    expect((await t.env.container.services.chainVerifier.verify()).problems).toEqual([]);
  });
  test('pending requests are listed for the town official and the village, not for another town or village', async () => {
    const requested = await requestAmendment(ids[8], { changes: { fields: { payee: '待审核的收款方' } }, reason: '收款方写错了' });
    expect(requested.status).toBe(201);
    const pendingFor = async (who: Who) => {
      const res = await t.server.request('GET', '/api/amendments/pending', { token: t.tokens[who] });
      expect(res.status).toBe(200);
      return (res.body.amendments as Array<{ id: number; status: string }>).map((a) => a.id);
    };
    const id = requested.body.amendment.id;
    for (const who of ['officialA', 'accountantA1', 'admin'] as const) expect(await pendingFor(who)).toContain(id);
    for (const who of ['officialB', 'accountantA2', 'accountantB1'] as const) expect(await pendingFor(who)).not.toContain(id);
    expect((await decide(id, 'reject', 'officialA', { reason: '不需要更正' })).status).toBe(200);
    expect(await pendingFor('officialA')).not.toContain(id);
  });
});
