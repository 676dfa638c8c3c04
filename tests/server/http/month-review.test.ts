import { databaseKinds } from '../../helpers/databases';
import { auditOf, ID_BOX, ID_NUMBER, idCardLine, seedReadyVoucher, useStaffServer, type Who } from '../../helpers/review';

/** Every transition of a month, and every refusal: the state after, the HTTP status, the audit row. */
describe.each(databaseKinds())('reviewing a month on %s', (kind) => {

  const t = useStaffServer(kind);

  const act = (action: 'submit' | 'approve' | 'reject', who: Who, month: string, json?: unknown, village = t.staff.villageA1) =>
    t.server.request('POST', `/api/villages/${village}/months/${month}/${action}`, { json, token: t.tokens[who] });
  const stateOf = async (month: string, village = t.staff.villageA1) =>
    (await t.server.request('GET', `/api/villages/${village}/months/${month}/status`, { token: t.tokens.admin })).body;
  const lastAudit = async (month: string, village = t.staff.villageA1) => (await auditOf(t.env, 'month', `${village}/${month}`)).at(-1);
  const auditCount = async () => t.env.container.models.AuditEvent.count();

  /** A month with one ready voucher, submitted by its accountant. */
  async function submittedMonth(month: string, facts = {}) {
    const voucher = await seedReadyVoucher(t.env, t.staff.villageA1, month, facts);
    expect((await act('submit', 'accountantA1', month)).status).toBe(200);
    return voucher;
  }

  describe('submit', () => {
    test('draft → submitted by the village accountant; recorded with before and after', async () => {
      const voucher = await seedReadyVoucher(t.env, t.staff.villageA1, '2025-01');
      const res = await act('submit', 'accountantA1', '2025-01');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'submitted', submittedAt: expect.any(String), publishedAt: null, digest: null });
      expect(await lastAudit('2025-01')).toMatchObject({
        action: 'month.submitted',
        actorUserId: t.staff.users.accountantA1.id,
        villageId: t.staff.villageA1,
        details: { before: { status: 'draft' }, after: { status: 'submitted' }, vouchers: 1, totalFen: voucher.amountFen },
      });
    });

    test.each([
      ['a voucher still being read', '2025-02', { status: 'processing' }, '还在识别中'],
      ['a voucher that failed', '2025-03', { status: 'failed' }, '处理失败'],
      ['a "needs checking" flag nobody acknowledged', '2025-04', { flags: [{ type: 'needs_checking', message: '金额没认清', acknowledged: false }] }, '需要核对'],
      ['a likely duplicate nobody acknowledged', '2025-05', { flags: [{ type: 'duplicate', message: '可能重复', acknowledged: false }] }, '可能重复'],
    ])('refused (409) while there is %s; the month stays a draft', async (_name, month, facts, message) => {
      const voucher = await seedReadyVoucher(t.env, t.staff.villageA1, month, facts as never);
      const res = await act('submit', 'accountantA1', month);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', state: 'draft' });
      expect(res.body.error.message).toContain(`凭证 ${voucher.id} ${message}`);
      expect((await stateOf(month)).status).toBe('draft');
      expect(await lastAudit(month)).toMatchObject({ action: 'month.submit_refused', details: { code: 'conflict', state: 'draft' } });
    });

    test('acknowledged flags no longer hold the month back', async () => {
      const flags = [{ type: 'needs_checking', message: '金额没认清', acknowledged: false }, { type: 'personal_data', message: '有身份证号', acknowledged: false }];
      const voucher = await seedReadyVoucher(t.env, t.staff.villageA1, '2025-06', { flags } as never);
      expect((await act('submit', 'accountantA1', '2025-06')).status).toBe(409);
      const ack = await t.server.request('PATCH', `/api/vouchers/${voucher.id}`, { json: { version: voucher.version, acknowledgeFlags: ['needs_checking'] }, token: t.tokens.accountantA1 });
      expect(ack.status).toBe(200);
      // An unacknowledged personal-data flag does not block: the redaction check at approval does.
      expect((await act('submit', 'accountantA1', '2025-06')).status).toBe(200);
    });

    test.each([
      ['an official', 'officialA'],
      ["another village's accountant", 'accountantA2'],
    ] as const)('refused (403) for %s; recorded', async (_name, who) => {
      await seedReadyVoucher(t.env, t.staff.villageA1, '2025-07');
      const res = await act('submit', who, '2025-07');
      expect(res.status).toBe(403);
      expect((await stateOf('2025-07')).status).toBe('draft');
      expect(await lastAudit('2025-07')).toMatchObject({ action: 'month.submit_refused', actorUserId: t.staff.users[who].id, details: { code: 'forbidden' } });
    });

    test('refused (409) when already submitted, naming the state', async () => {
      await submittedMonth('2025-08');
      const res = await act('submit', 'accountantA1', '2025-08');
      expect(res.status).toBe(409);
      expect(res.body.error.state).toBe('submitted');
      expect(await lastAudit('2025-08')).toMatchObject({ action: 'month.submit_refused', details: { state: 'submitted' } });
    });

    test('a month that has not come yet is refused (422)', async () => {
      expect((await act('submit', 'accountantA1', '2099-01')).status).toBe(422);
    });
  });

  describe('reject', () => {
    test('submitted → rejected with the reason, which the accountant sees; the month is editable again', async () => {
      const voucher = await submittedMonth('2025-09');
      const res = await act('reject', 'officialA', '2025-09', { reason: '第 3 张金额与发票不符' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'rejected', rejectionReason: '第 3 张金额与发票不符' });
      const seen = await t.server.request('GET', `/api/villages/${t.staff.villageA1}/months/2025-09/status`, { token: t.tokens.accountantA1 });
      expect(seen.body.rejectionReason).toBe('第 3 张金额与发票不符');
      expect(await lastAudit('2025-09')).toMatchObject({
        action: 'month.rejected',
        actorUserId: t.staff.users.officialA.id,
        details: { before: { status: 'submitted' }, after: { status: 'rejected' }, reason: '第 3 张金额与发票不符' },
      });
      const edit = await t.server.request('PATCH', `/api/vouchers/${voucher.id}`, { json: { version: voucher.version, fields: { amountFen: 4321 } }, token: t.tokens.accountantA1 });
      expect(edit.status).toBe(200);
      // Sent again, the old reason is no longer shown.
      expect((await act('submit', 'accountantA1', '2025-09')).body).toMatchObject({ status: 'submitted', rejectionReason: null });
    });

    test.each([
      ['no reason at all', '2025-10', {}],
      ['an empty reason', '2025-11', { reason: '   ' }],
    ])('with %s is 422 naming the field; nothing changes and nothing is recorded', async (_name, month, body) => {
      await submittedMonth(month);
      const before = await auditCount();
      const res = await act('reject', 'officialA', month, body);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ field: 'reason', message: '请写明理由' });
      expect((await stateOf(month)).status).toBe('submitted');
      expect(await auditCount()).toBe(before);
    });

    test("refused (403) for another town's official and for the accountant; recorded", async () => {
      await submittedMonth('2025-12');
      for (const who of ['officialB', 'accountantA1'] as const) {
        const res = await act('reject', who, '2025-12', { reason: '不行' });
        expect(res.status).toBe(403);
        expect(await lastAudit('2025-12')).toMatchObject({ action: 'month.reject_refused', actorUserId: t.staff.users[who].id, details: { code: 'forbidden' } });
      }
      expect((await stateOf('2025-12')).status).toBe('submitted');
    });

    test('refused (409) for a month that is not submitted, naming its state', async () => {
      const res = await act('reject', 'officialA', '2024-01', { reason: '不行' });
      expect(res.status).toBe(409);
      expect(res.body.error.state).toBe('draft');
      expect(await lastAudit('2024-01')).toMatchObject({ action: 'month.reject_refused', details: { state: 'draft' } });
    });
  });

  describe('approve', () => {
    test('submitted → published by an official of the town: a chain entry, its digest, an audit row', async () => {
      const voucher = await submittedMonth('2024-02');
      const res = await act('approve', 'officialA', '2024-02');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'published', publishedAt: expect.any(String), digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const manifest = JSON.parse((await t.server.request('GET', `/api/chain/${res.body.digest}`)).text);
      expect(manifest).toMatchObject({ kind: 'publication', month: '2024-02', totalFen: voucher.amountFen, approvedBy: { role: 'official', name: 'official-a' } });
      expect(manifest.vouchers.map((v: { id: number }) => v.id)).toEqual([voucher.id]);
      expect(await lastAudit('2024-02')).toMatchObject({
        action: 'month.approved',
        actorUserId: t.staff.users.officialA.id,
        details: { before: { status: 'submitted' }, after: { status: 'published' }, digest: res.body.digest, vouchers: 1 },
      });
    });

    test.each(['draft', 'rejected', 'published'] as const)('refused (409) for a %s month, with the current state in the answer', async (state) => {
      const month = { draft: '2024-03', rejected: '2024-04', published: '2024-05' }[state];
      if (state !== 'draft') await submittedMonth(month);
      if (state === 'rejected') await act('reject', 'officialA', month, { reason: '重做' });
      if (state === 'published') await act('approve', 'officialA', month);
      const res = await act('approve', 'officialA', month);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'conflict', state });
      expect((await stateOf(month)).status).toBe(state);
      expect(await lastAudit(month)).toMatchObject({ action: 'month.approve_refused', details: { code: 'conflict', state } });
    });

    test("refused (403) for another town's official and for accountants; recorded", async () => {
      await submittedMonth('2024-06');
      for (const who of ['officialB', 'accountantA1'] as const) {
        const res = await act('approve', who, '2024-06');
        expect(res.status).toBe(403);
        expect(await lastAudit('2024-06')).toMatchObject({ action: 'month.approve_refused', actorUserId: t.staff.users[who].id, details: { code: 'forbidden' } });
      }
      expect((await stateOf('2024-06')).status).toBe('submitted');
    });

    test('refused (409) while an ID card number lies outside every box; an override with a reason publishes and is recorded', async () => {
      const voucher = await submittedMonth('2024-07', { ocrLines: [idCardLine()] });
      const refused = await act('approve', 'officialA', '2024-07');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain(`凭证 ${voucher.id}`);
      expect(refused.body.error.code).toBe('personal_data_uncovered');
      expect((await stateOf('2024-07')).status).toBe('submitted');
      expect(await lastAudit('2024-07')).toMatchObject({ action: 'month.approve_refused', details: { state: 'submitted' } });

      const empty = await act('approve', 'officialA', '2024-07', { overrideReason: '' });
      expect(empty.status).toBe(422);

      const res = await act('approve', 'officialA', '2024-07', { overrideReason: '此为单位统一社会信用代码，不是身份证号' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('published');
      const events = await auditOf(t.env, 'month', `${t.staff.villageA1}/2024-07`);
      const override = events.find((e) => e.action === 'month.approval_override')!;
      expect(override).toMatchObject({ actorUserId: t.staff.users.officialA.id, details: { reason: '此为单位统一社会信用代码，不是身份证号', uncovered: [{ voucherId: voucher.id, type: 'idcard' }] } });
      // Positions only: the number itself never reaches the audit log.
      expect(JSON.stringify(events)).not.toContain(ID_NUMBER);
    });

    test('an official who boxes the number while reviewing can approve without an override', async () => {
      const voucher = await submittedMonth('2024-08', { ocrLines: [idCardLine()] });
      const edit = await t.server.request('PATCH', `/api/vouchers/${voucher.id}`, { json: { version: voucher.version, redactions: [ID_BOX] }, token: t.tokens.officialA });
      expect(edit.status).toBe(200);
      expect((await act('approve', 'officialA', '2024-08')).status).toBe(200);
      expect((await auditOf(t.env, 'month', `${t.staff.villageA1}/2024-08`)).map((e) => e.action)).not.toContain('month.approval_override');
    });
  });

  describe('the review queue', () => {
    test("lists the town's submitted months with counts, totals and flags, for its officials only", async () => {
      const flags = [{ type: 'personal_data', message: '有身份证号', acknowledged: true }];
      const a = await seedReadyVoucher(t.env, t.staff.villageA2, '2024-09', { flags, ocrLines: [idCardLine()] } as never);
      const b = await seedReadyVoucher(t.env, t.staff.villageA2, '2024-09');
      expect((await act('submit', 'accountantA2', '2024-09', undefined, t.staff.villageA2)).status).toBe(200);
      const queue = await t.server.request('GET', '/api/review-queue', { token: t.tokens.officialA });
      expect(queue.status).toBe(200);
      expect(queue.body.months.find((m: { villageId: number; month: string }) => m.villageId === t.staff.villageA2 && m.month === '2024-09')).toEqual({
        villageId: t.staff.villageA2,
        villageName: '甲二村',
        month: '2024-09',
        submittedAt: expect.any(String),
        voucherCount: 2,
        totalFen: a.amountFen! + b.amountFen!,
        flags: { needs_checking: 0, duplicate: 0, personal_data: 1 },
        uncoveredPersonalData: 1,
      });
      expect(queue.body.months.every((m: { villageId: number }) => m.villageId !== t.staff.villageB1)).toBe(true);
      expect((await t.server.request('GET', '/api/review-queue', { token: t.tokens.officialB })).body.months).toEqual([]);
      expect((await t.server.request('GET', '/api/review-queue', { token: t.tokens.accountantA2 })).status).toBe(403);
    });
  });
  describe('editing a voucher from WeChat', () => {
    test('POST to the voucher address saves like PATCH (wx.request cannot send PATCH), with the same version check', async () => {
      const voucher = await seedReadyVoucher(t.env, t.staff.villageA1, '2023-07');
      const saved = await t.server.request('POST', `/api/vouchers/${voucher.id}`, { json: { version: voucher.version, fields: { amountFen: 9876 } }, token: t.tokens.accountantA1 });
      expect(saved.status).toBe(200);
      expect(saved.body.voucher).toMatchObject({ amountFen: 9876, version: voucher.version + 1 });
      const stale = await t.server.request('POST', `/api/vouchers/${voucher.id}`, { json: { version: voucher.version, fields: { amountFen: 1 } }, token: t.tokens.accountantA1 });
      expect(stale.status).toBe(409);
      const other = await t.server.request('POST', `/api/vouchers/${voucher.id}`, { json: { version: voucher.version + 1, fields: { amountFen: 1 } }, token: t.tokens.accountantA2 });
      expect(other.status).toBe(403);
      expect((await t.server.request('GET', `/api/vouchers/${voucher.id}`, { token: t.tokens.accountantA1 })).body.voucher.amountFen).toBe(9876);
    });
  });
});
