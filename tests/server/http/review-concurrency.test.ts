import { databaseKinds } from '../../helpers/databases';
import { auditOf, seedReadyVoucher, useStaffServer, type Who } from '../../helpers/review';
import { filesForm } from '../../helpers/upload';

describe.each(databaseKinds())('review under concurrency, and who edits when, on %s', (kind) => {

  const t = useStaffServer(kind);

  const act = (action: 'submit' | 'approve', who: Who, month: string) =>
    t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/${month}/${action}`, { token: t.tokens[who] });
  const patch = (id: number, version: number, who: Who, fields: Record<string, unknown>) =>
    t.server.request('PATCH', `/api/vouchers/${id}`, { json: { version, fields }, token: t.tokens[who] });

  test.each(['2023-01', '2023-02', '2023-03'])('six approvals of %s at once publish it exactly once', async (month) => {
    await seedReadyVoucher(t.env, t.staff.villageA1, month);
    await seedReadyVoucher(t.env, t.staff.villageA1, month);
    expect((await act('submit', 'accountantA1', month)).status).toBe(200);
    const answers = await Promise.all(['officialA', 'admin', 'officialA', 'admin', 'officialA', 'officialA'].map((who) => act('approve', who as Who, month)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    for (const lost of answers.filter((a) => a.status === 409)) expect(lost.body.error.state).toBe('published');
    const entries = await t.env.container.models.ChainEntry.findAll({ where: { villageId: t.staff.villageA1, month } });
    expect(entries).toHaveLength(1);
    const events = await auditOf(t.env, 'month', `${t.staff.villageA1}/${month}`);
    expect(events.filter((e) => e.action === 'month.approved')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'month.approve_refused')).toHaveLength(5);
  });

  test('approvals of different months of one village at once keep one unbroken chain', async () => {
    const months = ['2023-04', '2023-05', '2023-06', '2023-07'];
    for (const month of months) {
      await seedReadyVoucher(t.env, t.staff.villageA1, month);
      expect((await act('submit', 'accountantA1', month)).status).toBe(200);
    }
    const answers = await Promise.all(months.map((month) => act('approve', 'officialA', month)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const chain = (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/chain`)).body.entries;
    chain.forEach((entry: { seq: number; prev: string | null }, i: number) => {
      expect(entry.seq).toBe(i + 1);
      expect(entry.prev).toBe(i === 0 ? null : chain[i - 1].digest);
    });
  });

  test.each([1, 2, 3, 4, 5])('an edit racing a submission either lands before it (and is submitted) or gets 409 (round %i)', async (round) => {
    const month = `2022-0${round}`;
    const voucher = await seedReadyVoucher(t.env, t.staff.villageA1, month, { amountFen: 1000 });
    const [edit, submit] = await Promise.all([patch(voucher.id, voucher.version, 'accountantA1', { amountFen: 2000 }), act('submit', 'accountantA1', month)]);
    expect(submit.status).toBe(200);
    const submitted = (await auditOf(t.env, 'month', `${t.staff.villageA1}/${month}`)).find((e) => e.action === 'month.submitted')!;
    const stored = await t.env.container.repositories.vouchers.findById(voucher.id);
    if (edit.status === 200) {
      expect({ stored: stored!.amountFen, submittedTotal: submitted.details!.totalFen }).toEqual({ stored: 2000, submittedTotal: 2000 });
    } else {
      expect(edit.status).toBe(409);
      expect({ stored: stored!.amountFen, submittedTotal: submitted.details!.totalFen }).toEqual({ stored: 1000, submittedTotal: 1000 });
    }
  });

  describe('who may change vouchers in each state', () => {
    let voucherId: number;
    const current = async () => (await t.env.container.repositories.vouchers.findById(voucherId))!;

    beforeAll(async () => {
      voucherId = (await seedReadyVoucher(t.env, t.staff.villageA1, '2021-01')).id;
    });

    test('while a draft: the accountant edits; an official may not yet (403)', async () => {
      expect((await patch(voucherId, (await current()).version, 'officialA', { payee: '镇里改的' })).status).toBe(403);
      expect((await patch(voucherId, (await current()).version, 'accountantA1', { payee: '会计改的' })).status).toBe(200);
    });

    test('just submitted: the accountant editing, deleting, reprocessing or uploading gets 409 naming the state', async () => {
      const before = await current();
      expect((await act('submit', 'accountantA1', '2021-01')).status).toBe(200);
      const edit = await patch(voucherId, before.version, 'accountantA1', { payee: '提交后改的' });
      expect(edit.status).toBe(409);
      expect(edit.body.error.state).toBe('submitted');
      expect((await t.server.request('DELETE', `/api/vouchers/${voucherId}`, { token: t.tokens.accountantA1 })).status).toBe(409);
      expect((await t.server.request('POST', `/api/vouchers/${voucherId}/reprocess`, { token: t.tokens.accountantA1 })).status).toBe(409);
      const upload = await t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/2021-01/vouchers`, {
        body: filesForm([{ name: 'late.jpg', data: Buffer.from('not read: refused before the body') }]),
        token: t.tokens.accountantA1,
      });
      expect(upload.status).toBe(409);
      expect((await current()).payee).toBe('会计改的');
    });

    test("while submitted: the town's officials correct fields and boxes; others may not; deleting stays the accountant's", async () => {
      const edit = await patch(voucherId, (await current()).version, 'officialA', { payee: '镇里核对后改的' });
      expect(edit.status).toBe(200);
      const boxes = await t.server.request('PATCH', `/api/vouchers/${voucherId}`, {
        json: { version: (await current()).version, redactions: [{ box: [10, 10, 100, 40], type: 'manual', source: 'manual' }] },
        token: t.tokens.officialA,
      });
      expect(boxes.status).toBe(200);
      expect((await patch(voucherId, (await current()).version, 'officialB', { payee: 'x' })).status).toBe(403);
      expect((await t.server.request('DELETE', `/api/vouchers/${voucherId}`, { token: t.tokens.officialA })).status).toBe(403);
      const events = await auditOf(t.env, 'voucher', voucherId);
      expect(events.filter((e) => e.action === 'voucher.updated').at(-1)).toMatchObject({ actorUserId: t.staff.users.officialA.id });
    });

    test('once published: nobody edits in place (409), the way is an amendment', async () => {
      expect((await act('approve', 'officialA', '2021-01')).status).toBe(200);
      for (const who of ['accountantA1', 'officialA', 'admin'] as const) {
        const res = await patch(voucherId, (await current()).version, who, { payee: '公开后改的' });
        expect(res.status).toBe(409);
        expect(res.body.error.state).toBe('published');
      }
    });
  });
});
