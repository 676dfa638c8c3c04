import { createHash } from 'node:crypto';
import { runCli } from '../../../server/cli/index';
import type { VoucherRecord } from '../../../server/domain/voucher';
import { databaseKinds } from '../../helpers/databases';
import { IMG_ONERROR, SCRIPT_TAG } from '../../helpers/hostile-corpus';
import type { HttpResponse } from '../../helpers/http-client';
import { publishMonth, submitMonth } from '../../helpers/publish';
import { seedReadyVoucher, useStaffServer } from '../../helpers/review';

/**
 * Hostile text in the fields people type: a voucher's payee and description through
 * PATCH /api/vouchers/:id, and the public search box. Text is either refused (422 naming the
 * field, nothing changed) or stored exactly as sent and handed back as JSON text; a query is
 * never code, never a wildcard, and never a 500.
 */
describe.each(databaseKinds())('hostile text on %s', (kind) => {
  const month = '2025-10';
  let draft: VoucherRecord;
  const searchable = {} as Record<'percent' | 'underscore' | 'backslash' | 'quote' | 'markup' | 'sql' | 'plain', VoucherRecord>;

  const t = useStaffServer(kind, async () => {
    draft = await seedReadyVoucher(t.env, t.staff.villageA1, month, { payee: '原来的收款方', description: '原来的说明' });
    // A published month for searching: one receipt per character that means something to SQL or LIKE.
    const [percent, underscore, backslash, quote, markup, sql, plain] = await publishMonth(t, t.staff.villageA2, '2025-09', [
      { payee: '打折%商店', description: '九折' },
      { payee: '下划线_文具', description: null },
      { payee: '反斜杠\\五金', description: null },
      { payee: "王's 小店", description: null },
      { payee: IMG_ONERROR, description: SCRIPT_TAG },
      { payee: '"; DROP TABLE vouchers; --', description: "Robert'); DROP TABLE vouchers;--" },
      { payee: '红星水泥厂', description: '打九折' },
    ]);
    Object.assign(searchable, { percent, underscore, backslash, quote, markup, sql, plain });
  }, 60_000);

  /** Row counts of every table. */
  async function rowCounts() {
    const counts: Record<string, number> = {};
    for (const [name, model] of Object.entries(t.env.container.models)) counts[name] = await (model as { count(): Promise<number> }).count();
    return counts;
  }

  const current = async () => (await t.server.request('GET', `/api/vouchers/${draft.id}`, { token: t.tokens.accountantA1 })).body.voucher;
  /** PATCHes the draft voucher with `body` merged over the version the editor saw. */
  const patch = async (body: Record<string, unknown>) => t.server.request('PATCH', `/api/vouchers/${draft.id}`, { json: { version: (await current()).version, ...body }, token: t.tokens.accountantA1 });
  const patchRaw = (text: string) => t.server.request('PATCH', `/api/vouchers/${draft.id}`, { body: text, headers: { 'Content-Type': 'application/json' }, token: t.tokens.accountantA1 });

  function expectError(res: HttpResponse, status: number, code: string, field?: string): void {
    expect({ status: res.status, code: res.body?.error?.code, field: res.body?.error?.field }).toEqual({ status, code, field });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  }

  describe('PATCH /api/vouchers/:id', () => {
    test.each<[string, Record<string, unknown>, string, RegExp]>([
      ['a payee of 201 characters', { payee: '长'.repeat(201) }, 'fields.payee', /收款方最多 200 个字/],
      ['a payee of 201 four-byte characters', { payee: '𠮷'.repeat(201) }, 'fields.payee', /收款方最多 200 个字/],
      ['a description of 501 characters', { description: '长'.repeat(501) }, 'fields.description', /说明最多 500 个字/],
      ['a NUL in the payee', { payee: '红星\u0000水泥厂' }, 'fields.payee', /控制字符/],
      ['a terminal escape sequence in the payee', { payee: '红星\u001b[2J\u001b[31m水泥厂' }, 'fields.payee', /控制字符/],
      ['a line break in the payee', { payee: '红星\n水泥厂' }, 'fields.payee', /控制字符/],
      ['a DEL and a C1 control in the payee', { payee: '红星\u007f\u0085水泥厂' }, 'fields.payee', /控制字符/],
      ['a right-to-left override in the payee', { payee: '红星水泥厂\u202e001' }, 'fields.payee', /控制字符/],
      ['a bell in the description', { description: '修路\u0007' }, 'fields.description', /控制字符/],
      ['half of a character (a lone surrogate) in the description', { description: '修路\ud800' }, 'fields.description', /残缺的字/],
      ['a number as the payee', { payee: 123 }, 'fields.payee', /[\u4e00-\u9fff]/],
      ['a query object as the payee', { payee: { $gt: '' } }, 'fields.payee', /[\u4e00-\u9fff]/],
      ['an amount far too large', { amountFen: 1e308 }, 'fields.amountFen', /[\u4e00-\u9fff]/],
      ['an amount as a string', { amountFen: '100' }, 'fields.amountFen', /[\u4e00-\u9fff]/],
      ['an amount with a fraction of a fen', { amountFen: 1.5 }, 'fields.amountFen', /整数/],
      ['SQL as an invoice number', { invoiceNumber: "' OR 1=1 --" }, 'fields.invoiceNumber', /发票号码/],
      ['a category that does not exist', { category: '<script>' }, 'fields.category', /[\u4e00-\u9fff]/],
    ])('%s is 422 naming the field, and nothing changes', async (_what, fields, field, message) => {
      const before = await current();
      const counts = await rowCounts();
      const res = await patch({ fields });
      expectError(res, 422, 'validation_failed', field);
      expect(res.body.error.message).toMatch(message);
      expect(await current()).toEqual(before);
      expect(await rowCounts()).toEqual(counts);
    });

    test.each<[string, string, string]>([
      ['a __proto__ key', '{"version":1,"__proto__":{"admin":true}}', '__proto__'],
      ['a constructor key inside the fields', '{"version":1,"fields":{"constructor":{"prototype":{"admin":true}}}}', 'constructor'],
    ])('%s is 422 naming it, and nothing is polluted', async (_what, body, field) => {
      const before = await current();
      const res = await patchRaw(body.replace('"version":1', `"version":${before.version}`));
      expectError(res, 422, 'validation_failed', field);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
      expect(await current()).toEqual(before);
    });

    test('a body over the JSON limit is 413 without being read, and nothing changes', async () => {
      const before = await current();
      const res = await patch({ fields: { description: '长'.repeat(100_000) } });
      expectError(res, 413, 'payload_too_large');
      expect(await current()).toEqual(before);
    });

    test.each<[string, Record<string, string>]>([
      ['HTML with an event handler and a script', { payee: IMG_ONERROR, description: SCRIPT_TAG }],
      ['SQL', { payee: `Robert'); DROP TABLE vouchers;--`, description: '"; DROP TABLE vouchers; --' }],
      ['LIKE and escape characters', { payee: '%_\\!%', description: "100% 's \\n" }],
      ['line breaks and tabs in the description', { payee: '红星水泥厂', description: '第一行\n第二行\r\n\t第三行' }],
      ['exactly 200 and 500 characters', { payee: '收'.repeat(200), description: '说'.repeat(500) }],
      ['200 four-byte characters and emoji', { payee: '𠮷'.repeat(200), description: '👨‍👩‍👧 家庭 🧾 收据' }],
    ])('%s is stored verbatim, as text', async (_what, fields) => {
      const res = await patch({ fields });
      expect(res.status).toBe(200);
      expect(res.body.voucher).toMatchObject(fields);
      expect(await current()).toMatchObject(fields);
      // The audit log keeps the same text.
      const audit = await t.env.container.repositories.audit.listForSubject('voucher', String(draft.id));
      expect(audit.at(-1)).toMatchObject({ action: 'voucher.updated', details: expect.objectContaining({ after: fields }) });
      // Every table is still there.
      expect((await rowCounts()).Voucher).toBeGreaterThan(0);
    });

    test('the POST alias the mini-program uses applies the same rules', async () => {
      const before = await current();
      const res = await t.server.request('POST', `/api/vouchers/${draft.id}`, { json: { version: before.version, fields: { payee: '红星\u0000' } }, token: t.tokens.accountantA1 });
      expectError(res, 422, 'validation_failed', 'fields.payee');
    });
  });

  describe('POST /api/vouchers/:id/amendments', () => {
    test.each<[string, Record<string, string>, string]>([
      ['a NUL in the payee', { payee: '红星\u0000水泥厂' }, 'changes.fields.payee'],
      ['a direction override in the payee', { payee: '红星\u202e厂泥水' }, 'changes.fields.payee'],
      ['a bell in the description', { description: '修路\u0007' }, 'changes.fields.description'],
    ])('a correction with %s is 422 naming the field, like an edit, and nothing is requested', async (_what, fields, field) => {
      const before = await rowCounts();
      const res = await t.server.request('POST', `/api/vouchers/${searchable.plain.id}/amendments`, { json: { changes: { fields }, reason: '更正' }, token: t.tokens.accountantA2 });
      expectError(res, 422, 'validation_failed', field);
      expect(res.body.error.message).toMatch(/控制字符/);
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('published, hostile text comes back as the same text', () => {
    test('the month, the receipt and the CSV hold the markup exactly as typed, served as JSON and CSV', async () => {
      const { villageA2 } = t.staff;
      const monthRes = await t.server.request('GET', `/api/villages/${villageA2}/months/2025-09`);
      expect(monthRes.headers.get('content-type')).toMatch(/^application\/json/);
      const markup = monthRes.body.vouchers.find((v: { id: number }) => v.id === searchable.markup.id);
      expect(markup).toMatchObject({ payee: IMG_ONERROR, description: SCRIPT_TAG });
      const one = await t.server.request('GET', `/api/vouchers/${searchable.markup.id}/public`);
      expect(one.headers.get('content-type')).toMatch(/^application\/json/);
      expect(one.body).toMatchObject({ voucher: { payee: IMG_ONERROR, description: SCRIPT_TAG } });
      const csv = await t.server.request('GET', `/api/villages/${villageA2}/months/2025-09/export.csv`);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.headers.get('x-content-type-options')).toBe('nosniff');
      // RFC 4180: quotes inside a quoted cell are doubled.
      expect(csv.text).toContain(`"${IMG_ONERROR.replace(/"/g, '""')}"`);
      expect(csv.text).toContain(SCRIPT_TAG);
    });
  });

  describe('GET /api/search with characters that mean something to SQL or LIKE', () => {
    const search = (q: string) => t.server.request('GET', `/api/search?q=${encodeURIComponent(q)}&pageSize=50`);
    const idsFor = async (q: string) => {
      const res = await search(q);
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
      return res.body.hits.map((h: { id: number }) => h.id);
    };
    let counts: Record<string, number>;
    beforeAll(async () => {
      counts = await rowCounts();
    });

    /** Hits come newest month first, then by date, then newest receipt: here all share month and date. */
    test.each<[string, Array<keyof typeof searchable>]>([
      ['%', ['percent']],
      ['_', ['markup', 'underscore']], // window.__pwned has two
      ['\\', ['backslash']],
      ["'", ['sql', 'quote']],
      ['折%', ['percent']],
      ['"; DROP TABLE vouchers; --', ['sql']],
      ["Robert'); DROP TABLE vouchers;--", ['sql']],
      ['<script>', ['markup']],
      ['onerror="window.__pwned=1"', ['markup']],
    ])('%s finds only the receipts that hold it, literally', async (q, which) => {
      expect(await idsFor(q)).toEqual(which.map((k) => searchable[k].id));
    });

    test.each([['%%'], ['%_'], ['_%'], ['打%折'], ['打_折'], ['%'.repeat(100)], ["' OR '1'='1"], ["%' OR 1=1 --"], ['\\%'], ['*'], ['水泥" OR "1']])(
      '%s is no wildcard and no code: it finds nothing',
      async (q) => {
        expect(await idsFor(q)).toEqual([]);
      },
    );

    test.each([
      ['a NUL', 'q=%00'],
      ['bytes that are not UTF-8', 'q=%FF%FE'],
      ['an encoded lone surrogate', 'q=%ED%A0%80'],
      ['control characters only', 'q=%01%1B%7F'],
    ])('%s is answered with nothing found, not a 500', async (_what, query) => {
      const res = await t.server.request('GET', `/api/search?${query}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 0, hits: [] });
    });

    test.each([
      ['q as an array', 'q[]=%25', 'q'],
      ['a village id with SQL', `q=%25&villageId=${encodeURIComponent('1 OR 1=1')}`, 'villageId'],
      ['a page with SQL', `q=%25&page=${encodeURIComponent('1; DROP TABLE vouchers')}`, 'page'],
      ['q over 100 characters', `q=${'%25'.repeat(101)}`, 'q'],
    ])('%s is 400 naming the parameter', async (_what, query, field) => {
      const res = await t.server.request('GET', `/api/search?${query}`);
      expectError(res, 400, 'bad_request', field);
    });

    test('afterwards every table holds what it held, and plain searches still work', async () => {
      expect(await rowCounts()).toEqual(counts);
      expect(await idsFor('水泥')).toEqual([searchable.plain.id]);
      expect(await idsFor('打折')).toEqual([searchable.percent.id]);
    });
  });

  test('a month holding hostile text is published, its manifest hashes to its digest, and verify passes', async () => {
    await submitMonth(t, t.staff.villageA1, month);
    expect((await t.server.request('POST', `/api/villages/${t.staff.villageA1}/months/${month}/approve`, { token: t.tokens.officialA })).status).toBe(200);
    const published = (await t.server.request('GET', `/api/villages/${t.staff.villageA1}/months/${month}`)).body;
    expect(published.vouchers[0]).toMatchObject({ id: draft.id, payee: (await current()).payee, description: (await current()).description });
    const manifest = await fetch(`${t.server.baseUrl}/api/chain/${published.digest}`);
    expect(createHash('sha256').update(Buffer.from(await manifest.arrayBuffer())).digest('hex')).toBe(published.digest);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['verify'], { out: (l) => out.push(l), err: (l) => err.push(l) }, { DATABASE_URL: t.env.database.url, STORAGE_DIR: t.env.config.storageDir, LOG_LEVEL: 'silent' });
    expect({ code, err }).toEqual({ code: 0, err: [] });
  });
});
