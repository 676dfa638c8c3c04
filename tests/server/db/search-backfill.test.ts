import { QueryTypes } from 'sequelize';
import { migrateUp } from '../../../server/db/migrate';
import * as publicSearch from '../../../server/db/migrations/0003-public-search';
import { databaseKinds } from '../../helpers/databases';
import { amendVoucher, publishMonth, submitMonth } from '../../helpers/publish';
import { ID_BOX, idCardLine, seedReadyVoucher, useStaffServer } from '../../helpers/review';

/**
 * Upgrading an install whose months were published before search existed: migration 0003
 * indexes them, so search works at once, with the same rules as publishing does.
 */
describe.each(databaseKinds())('migration 0003 on an install with published months, on %s', (kind) => {
  const t = useStaffServer(kind);

  test('indexes every published receipt as it is now, and nothing of an unpublished month', async () => {
    const { villageA1, villageB1 } = t.staff;
    const [cement, power] = await publishMonth(t, villageA1, '2025-01', [
      { payee: '红星水泥厂', ocrLines: [idCardLine(), { text: '送货 石子 三车', box: [20, 200, 300, 30], confidence: 0.9 }], redactions: [ID_BOX] },
      { payee: '国网电力公司' },
    ]);
    await amendVoucher(t, power, { fields: { payee: '城南供电所' } }, '收款单位名称写错了');
    const [sand] = await publishMonth(t, villageB1, '2025-02', [{ payee: '河沙供应站' }]);
    await seedReadyVoucher(t.env, villageA1, '2025-03', { payee: '待审的水泥款' });
    await submitMonth(t, villageA1, '2025-03');

    // Back to the schema before search, as an older install has it.
    const { sequelize } = t.env.container;
    await publicSearch.down({ context: sequelize.getQueryInterface() });
    await sequelize.query("DELETE FROM schema_migrations WHERE name = '0003-public-search'");
    const tables = await sequelize.getQueryInterface().showAllTables();
    expect(JSON.stringify(tables)).not.toMatch(/public_search/);

    expect(await migrateUp(sequelize)).toEqual(['0003-public-search']);
    expect(await t.env.container.repositories.search.count()).toBe(3);
    const rows = await sequelize.query<{ voucher_id: number; search_text: string }>('SELECT voucher_id, search_text FROM public_search ORDER BY voucher_id', { type: QueryTypes.SELECT });
    expect(rows.map((r) => Number(r.voucher_id))).toEqual([cement.id, power.id, sand.id]);

    const ids = async (q: string) => (await t.server.request('GET', `/api/search?q=${encodeURIComponent(q)}`)).body.hits.map((h: { id: number }) => h.id);
    expect(await ids('水泥')).toEqual([cement.id]);
    expect(await ids('石子')).toEqual([cement.id]);
    expect(await ids('身份证')).toEqual([]);
    expect(await ids('城南供电')).toEqual([power.id]);
    expect(await ids('国网')).toEqual([]);
    expect(await ids('河沙')).toEqual([sand.id]);
    expect(await ids('待审')).toEqual([]);
  });
});
