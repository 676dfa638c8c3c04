import type { VoucherRecord } from '../../../server/domain/voucher';
import type { OcrLine } from '../../../server/ocr/ocr-engine';
import { searchResultSchema, type SearchHit } from '../../../shared/schemas/public';
import { databaseKinds } from '../../helpers/databases';
import { amendVoucher, publishMonth, submitMonth } from '../../helpers/publish';
import { ID_BOX, ID_NUMBER, idCardLine, seedReadyVoucher, useStaffServer } from '../../helpers/review';

/**
 * GET /api/search: anyone, without logging in, finds receipts of published months by payee,
 * description, invoice code and number, and the OCR text the public may read.
 */
describe.each(databaseKinds())('searching published receipts on %s', (kind) => {
  const v = {} as Record<string, VoucherRecord>;
  const paged: VoucherRecord[] = [];

  const t = useStaffServer(
    kind,
    async () => {
      const { villageA1, villageA2, villageB1 } = t.staff;
      /** Sets what seedReadyVoucher leaves empty, before the month is submitted. */
      const withInvoice = async (voucher: VoucherRecord, invoiceCode: string | null, invoiceNumber: string | null, description: string) => {
        await t.env.container.repositories.vouchers.update(voucher.id, { version: voucher.version }, { invoiceCode, invoiceNumber, description });
        return (await t.env.container.repositories.vouchers.findById(voucher.id))!;
      };

      // 甲镇甲一村, January: cement, electricity, and one receipt later withdrawn.
      const cement = await seedReadyVoucher(t.env, villageA1, '2025-01', { payee: '红星 水泥厂', date: '2025-01-10' });
      v.cement = await withInvoice(cement, '033001900111', '04512345', '村道修补用水泥，请泥水匠');
      v.power = await seedReadyVoucher(t.env, villageA1, '2025-01', { payee: '国网电力公司', date: '2025-01-20' });
      v.power = await withInvoice(v.power, '044001900222', '00998877', '一月电费');
      v.twice = await seedReadyVoucher(t.env, villageA1, '2025-01', { payee: '重复报账单位', date: '2025-01-21' });
      await submitMonth(t, villageA1, '2025-01');
      await approve(villageA1, '2025-01', 'officialA');

      // February: an ID card number boxed (its line is left out whole) and a phone number the
      // official published unboxed with an override: it must still not be findable.
      const phoneLine: OcrLine = { text: '经手人电话 139-1234-5678', box: [20, 200, 400, 30], confidence: 0.95 };
      v.phone = await seedReadyVoucher(t.env, villageA1, '2025-02', { payee: '村委会食堂', ocrLines: [idCardLine(), phoneLine], redactions: [ID_BOX] });
      await submitMonth(t, villageA1, '2025-02');
      await approve(villageA1, '2025-02', 'officialA', { overrideReason: '经手人同意公开联系电话' });

      // The same cement works in another village of the town, and a third one in the other town.
      [v.cementA2] = await publishMonth(t, villageA2, '2025-02', [{ payee: '红星 水泥厂', date: '2025-02-03' }]);
      v.cementB1 = await seedReadyVoucher(t.env, villageB1, '2025-03', { payee: '水泥制品公司', date: '2025-03-01' });
      const marks = await seedReadyVoucher(t.env, villageB1, '2025-03', { payee: `王's "小店"`, date: '2025-03-02' });
      v.marks = await withInvoice(marks, null, null, '打九折 %折 打% _折 打_ A*B+C-D\\E');
      await submitMonth(t, villageB1, '2025-03');
      await approve(villageB1, '2025-03', 'officialB');

      // Months never published: a draft, one waiting for review, one sent back.
      v.draft = await seedReadyVoucher(t.env, villageA1, '2025-04', { payee: '草稿里的砂石料' });
      v.submitted = await seedReadyVoucher(t.env, villageA1, '2025-05', { payee: '待审的砂石料' });
      await submitMonth(t, villageA1, '2025-05');
      v.rejected = await seedReadyVoucher(t.env, villageA1, '2025-06', { payee: '退回的砂石料' });
      await submitMonth(t, villageA1, '2025-06');
      expect((await t.server.request('POST', `/api/villages/${villageA1}/months/2025-06/reject`, { token: t.tokens.officialA, json: { reason: '附件不全' } })).status).toBe(200);

      // Seven receipts with one word, over two months and three villages, for paging.
      paged.push(...(await publishMonth(t, villageA1, '2025-07', [{ payee: '办公费报销', date: '2025-07-05' }, { payee: '办公费报销', date: '2025-07-20' }, { payee: '办公费报销', date: '2025-07-20' }])));
      paged.push(...(await publishMonth(t, villageA2, '2025-07', [{ payee: '办公费报销', date: '2025-07-10' }, { payee: '办公费报销', date: null }])));
      paged.push(...(await publishMonth(t, villageB1, '2025-08', [{ payee: '办公费报销', date: '2025-08-01' }, { payee: '办公费报销', date: '2025-08-31' }])));

      // Corrections after publication: a payee renamed, a receipt withdrawn.
      await amendVoucher(t, v.power, { fields: { payee: '城南供电所' } }, '收款单位名称写错了');
      await amendVoucher(t, v.twice, { withdraw: true }, '重复报账，已退回');
    },
    120_000,
  );

  async function approve(villageId: number, month: string, who: 'officialA' | 'officialB', json?: unknown) {
    const res = await t.server.request('POST', `/api/villages/${villageId}/months/${month}/approve`, { token: t.tokens[who], json });
    expect(res.status).toBe(200);
  }

  async function search(params: Record<string, string | number>) {
    const res = await t.server.request('GET', `/api/search?${new URLSearchParams(Object.entries(params).map(([k, x]): [string, string] => [k, String(x)]))}`);
    expect({ params, status: res.status }).toEqual({ params, status: 200 });
    return searchResultSchema.parse(res.body);
  }
  /** Ids of the hits of a query, in their order. */
  const idsFor = async (q: string, params: Record<string, string | number> = {}) => (await search({ q, ...params, pageSize: 50 })).hits.map((h) => h.id);

  describe('Chinese words', () => {
    test('a two-character word finds every receipt with it, newest month first, in any village', async () => {
      expect(await idsFor('水泥')).toEqual([v.cementB1.id, v.cementA2.id, v.cement.id]);
      expect(await idsFor('电费')).toEqual([v.power.id]);
    });

    test('one character finds receipts with it', async () => {
      expect(await idsFor('泥')).toEqual([v.cementB1.id, v.cementA2.id, v.cement.id]);
      expect(await idsFor('匠')).toEqual([v.cement.id]);
    });

    test('a longer phrase matches only where it is written whole', async () => {
      expect(await idsFor('村道修补用水泥')).toEqual([v.cement.id]);
      expect(await idsFor('水泥制品')).toEqual([v.cementB1.id]);
      expect(await idsFor('村道修补用砂石')).toEqual([]);
    });

    test('a word across a space of the payee is found; one running from the payee into the description is not', async () => {
      expect(await idsFor('红星水泥厂')).toEqual([v.cementA2.id, v.cement.id]);
      expect(await idsFor('厂村道')).toEqual([]);
    });

    test('every pair of characters present but not next to each other is no match', async () => {
      // 水泥 and 泥水 are both in 「用水泥，请泥水匠」, yet 水泥水 is not.
      expect(await idsFor('水泥水')).toEqual([]);
      expect(await idsFor('泥水匠')).toEqual([v.cement.id]);
    });

    test('words found nowhere find nothing', async () => {
      expect(await search({ q: '化肥' })).toEqual({ q: '化肥', page: 1, pageSize: 20, total: 0, hits: [] });
    });
  });

  test('invoice codes and numbers are found by their digits, whole or in part', async () => {
    expect(await idsFor('04512345')).toEqual([v.cement.id]);
    expect(await idsFor('4512')).toEqual([v.cement.id]);
    expect(await idsFor('033001900111')).toEqual([v.cement.id]);
  });

  test('a hit is the receipt exactly as its published month shows it, with its village and town', async () => {
    const [hit] = (await search({ q: '村道修补' })).hits;
    const month = (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/months/2025-01`)).body;
    expect(hit).toEqual<SearchHit>({ ...month.vouchers.find((x: { id: number }) => x.id === v.cement.id), villageName: '甲一村', townId: t.staff.townA });
    expect(hit).toMatchObject({ payee: '红星 水泥厂', invoiceNumber: '04512345', status: 'valid' });
  });

  describe('corrections', () => {
    test('an amended payee is found by its new name, no longer by its old one', async () => {
      const [hit] = (await search({ q: '城南供电' })).hits;
      expect(hit).toMatchObject({ id: v.power.id, payee: '城南供电所', amendmentCount: 1 });
      expect(await idsFor('国网电力')).toEqual([]);
    });

    test('a withdrawn receipt stays findable, reported as withdrawn with the reason', async () => {
      const { hits } = await search({ q: '重复报账' });
      expect(hits).toEqual([expect.objectContaining({ id: v.twice.id, status: 'withdrawn', withdrawnReason: '重复报账，已退回' })]);
    });
  });

  test('nothing of a draft, submitted or sent-back month is ever found', async () => {
    for (const q of ['砂石料', '草稿里的砂石料', '待审', '退回的', '砂']) expect({ q, ids: await idsFor(q) }).toEqual({ q, ids: [] });
  });

  describe('personal data in the OCR text', () => {
    test('a phone number published outside every box cannot be found, whole or in part; the rest of its line can', async () => {
      for (const q of ['13912345678', '139-1234-5678', '1391234', '12345678', '5678']) expect({ q, ids: await idsFor(q) }).toEqual({ q, ids: [] });
      expect(await idsFor('经手人电话')).toEqual([v.phone.id]);
    });

    test('a line under a redaction box is left out whole: neither the ID number nor its label is found', async () => {
      for (const q of [ID_NUMBER, ID_NUMBER.slice(0, 8), '身份证']) expect({ q, ids: await idsFor(q) }).toEqual({ q, ids: [] });
    });
  });

  describe('characters that mean something to SQL, LIKE or full-text syntax are plain text', () => {
    test.each([['%'], ['_'], ["'"], ['"'], ['*'], ['+'], ['-'], ['\\'], ["王's"], ['"小店"'], ['a*b+c-d\\e'], ['打%'], ['_折']])('%s finds only the receipt with it', async (q) => {
      expect(await idsFor(q)).toEqual([v.marks.id]);
    });

    test.each([
      // Every pair of characters is there, and 打九折 would match the pattern if % or _ were wildcards.
      ['打%折'],
      ['打_折'],
      ["' OR 1=1 --"],
      ["%' OR '1'='1"],
      ['"; DROP TABLE vouchers; --'],
      ['水泥" OR "1'],
      ['+水泥 -电费'],
      ['水泥*'],
      ['!'],
      ['\\%'],
    ])('%s finds nothing and breaks nothing', async (q) => {
      expect(await search({ q })).toMatchObject({ total: 0, hits: [] });
    });

    test('the database is intact afterwards', async () => {
      expect(await idsFor('水泥')).toHaveLength(3);
    });
  });

  describe('filters', () => {
    test.each<[string, (s: typeof t.staff) => Record<string, string | number>, string[]]>([
      ['the town', (s) => ({ townId: s.townA }), ['cementA2', 'cement']],
      ['the other town', (s) => ({ townId: s.townB }), ['cementB1']],
      ['the village', (s) => ({ villageId: s.villageA2 }), ['cementA2']],
      ['a village and a town it is not in', (s) => ({ villageId: s.villageA1, townId: s.townB }), []],
      ['from a month on', () => ({ from: '2025-02' }), ['cementB1', 'cementA2']],
      ['up to a month', () => ({ to: '2025-02' }), ['cementA2', 'cement']],
      ['one month', () => ({ from: '2025-02', to: '2025-02' }), ['cementA2']],
      ['a month and a town', (s) => ({ from: '2025-02', townId: s.townA }), ['cementA2']],
    ])('by %s', async (_name, params, expected) => {
      expect(await idsFor('水泥', params(t.staff))).toEqual(expected.map((k) => v[k].id));
    });
  });

  describe('pages', () => {
    /** Newest month first, then the receipt's date (latest first, undated last), then the newest receipt. */
    const expectedOrder = () =>
      [...paged]
        .sort((a, b) => b.month.localeCompare(a.month) || (b.date ?? '').localeCompare(a.date ?? '') || b.id - a.id)
        .map((x) => x.id);

    test('all matches are counted; each page holds its share in order, without gaps or repeats', async () => {
      const pages = [];
      for (const page of [1, 2, 3]) pages.push(await search({ q: '报销', page, pageSize: 3 }));
      expect(pages.map((p) => [p.page, p.pageSize, p.total, p.hits.length])).toEqual([[1, 3, 7, 3], [2, 3, 7, 3], [3, 3, 7, 1]]);
      expect(pages.flatMap((p) => p.hits.map((h) => h.id))).toEqual(expectedOrder());
    });

    test('a page past the end is empty but still says how many there are', async () => {
      expect(await search({ q: '报销', page: 4, pageSize: 3 })).toMatchObject({ total: 7, hits: [] });
    });

    test('twenty to a page unless asked otherwise', async () => {
      expect(await search({ q: '报销' })).toMatchObject({ page: 1, pageSize: 20, total: 7 });
    });
  });

  test('the index holds exactly the published receipts, and on SQLite FTS5 agrees with its table after every rewrite', async () => {
    expect(await t.env.container.repositories.search.count()).toBe(7 + 7);
    if (kind === 'sqlite') await t.env.container.sequelize.query("INSERT INTO public_search_fts(public_search_fts, rank) VALUES ('integrity-check', 1)");
  });

  describe('bad requests are 400 naming the field', () => {
    test.each<[string, string, string]>([
      ['q longer than 100 characters', `q=${encodeURIComponent('水'.repeat(101))}`, 'q'],
      ['an empty q', 'q=', 'q'],
      ['a blank q', 'q=%20%20', 'q'],
      ['no q', 'villageId=1', 'q'],
      ['a malformed month', 'q=水泥&from=2025-13', 'from'],
      ['a month in another format', 'q=水泥&to=2025/03', 'to'],
      ['from after to', 'q=水泥&from=2025-05&to=2025-03', 'from'],
      ['a village id that is not a number', 'q=水泥&villageId=abc', 'villageId'],
      ['a town id of zero', 'q=水泥&townId=0', 'townId'],
      ['a negative village id', 'q=水泥&villageId=-3', 'villageId'],
      ['a fractional town id', 'q=水泥&townId=1.5', 'townId'],
      ['page zero', 'q=水泥&page=0', 'page'],
      ['more than 50 to a page', 'q=水泥&pageSize=51', 'pageSize'],
      ['q given twice', 'q=水泥&q=电费', 'q'],
    ])('%s', async (_name, query, field) => {
      const res = await t.server.request('GET', `/api/search?${query}`);
      expect({ status: res.status, field: res.body.error.field }).toEqual({ status: 400, field });
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    });

    test('exactly 100 characters is fine', async () => {
      expect(await search({ q: '水'.repeat(100) })).toMatchObject({ total: 0 });
    });

    test('an unknown parameter is refused', async () => {
      expect((await t.server.request('GET', '/api/search?q=水泥&sort=id')).status).toBe(400);
    });
  });
});
