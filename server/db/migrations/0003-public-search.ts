import { QueryTypes, type QueryInterface } from 'sequelize';
import { searchEntry } from '../../domain/search-text';
import { ref, str, time } from './columns';

// Spelled out so SQLite reports the same type; TEXT (64 KB on MySQL) is too small for a long receipt's tokens.
const mediumText = (allowNull = false) => ({ type: 'MEDIUMTEXT', allowNull });

/** Engine-specific full-text objects: the migrations test leaves exactly these out of its identical-schema check. */
export const FTS_TABLE = 'public_search_fts';
export const FULLTEXT_INDEX = 'public_search_tokens_fulltext';

/**
 * Full-text search over published vouchers. `public_search` holds one row per voucher of a
 * published month (written in the same transaction that publishes or amends it): the filters,
 * the normalised text for the exact match, and the tokens of server/domain/search-text.ts,
 * which each engine indexes natively (FTS5 on SQLite, an InnoDB FULLTEXT index on MySQL).
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const sequelize = qi.sequelize;
  await qi.createTable('public_search', {
    voucher_id: { ...ref('vouchers'), primaryKey: true },
    village_id: ref('villages'),
    town_id: ref('towns'),
    month: str(7, false),
    date: str(10),
    search_text: mediumText(),
    tokens: mediumText(),
    updated_at: time(),
  });
  // The filters; each also serves its foreign key (MySQL would otherwise add unnamed ones).
  await qi.addIndex('public_search', ['village_id', 'month'], { name: 'public_search_village_month' });
  await qi.addIndex('public_search', ['town_id', 'month'], { name: 'public_search_town_month' });
  await qi.addIndex('public_search', ['month', 'date'], { name: 'public_search_month_date' });

  if (sequelize.getDialect() === 'sqlite') {
    // External content: FTS5 reads tokens from public_search by rowid (= voucher_id, an INTEGER
    // PRIMARY KEY), and the triggers keep it in step with every write to the table.
    await sequelize.query(`CREATE VIRTUAL TABLE ${FTS_TABLE} USING fts5(tokens, content='public_search', content_rowid='voucher_id', tokenize='unicode61')`);
    await sequelize.query(`CREATE TRIGGER public_search_fts_insert AFTER INSERT ON public_search BEGIN
      INSERT INTO ${FTS_TABLE}(rowid, tokens) VALUES (new.voucher_id, new.tokens); END`);
    await sequelize.query(`CREATE TRIGGER public_search_fts_delete AFTER DELETE ON public_search BEGIN
      INSERT INTO ${FTS_TABLE}(${FTS_TABLE}, rowid, tokens) VALUES ('delete', old.voucher_id, old.tokens); END`);
    await sequelize.query(`CREATE TRIGGER public_search_fts_update AFTER UPDATE ON public_search BEGIN
      INSERT INTO ${FTS_TABLE}(${FTS_TABLE}, rowid, tokens) VALUES ('delete', old.voucher_id, old.tokens);
      INSERT INTO ${FTS_TABLE}(rowid, tokens) VALUES (new.voucher_id, new.tokens); END`);
  } else {
    // An index takes the stopword setting in force when it is created: none, so no token is
    // ever dropped (ours are hex and cannot be English words anyway). A transaction keeps the
    // SET and the ALTER on one connection of the pool.
    await sequelize.transaction(async (transaction) => {
      await sequelize.query('SET SESSION innodb_ft_enable_stopword = OFF', { transaction });
      try {
        await sequelize.query(`ALTER TABLE public_search ADD FULLTEXT INDEX ${FULLTEXT_INDEX} (tokens)`, { transaction });
      } finally {
        await sequelize.query('SET SESSION innodb_ft_enable_stopword = ON', { transaction });
      }
    });
  }
  await backfill(qi);
}

/**
 * Indexes the months published before this migration, so an upgraded install finds them at
 * once. Reads only columns that exist at this point of the schema's history; the tokens are
 * those of the current search-text module, so if its output ever changes, a new migration
 * must rebuild the index the same way.
 */
async function backfill(qi: QueryInterface): Promise<void> {
  const rows = await qi.sequelize.query<{
    id: number; village_id: number; town_id: number; month: string; date: string | null; payee: string | null; description: string | null;
    invoice_code: string | null; invoice_number: string | null; ocr_lines: string | null; redactions: string | null;
  }>(
    `SELECT v.id, v.village_id, vi.town_id, v.month, v.date, v.payee, v.description, v.invoice_code, v.invoice_number, v.ocr_lines, v.redactions
       FROM vouchers v
       JOIN publications p ON p.village_id = v.village_id AND p.month = v.month AND p.status = 'published'
       JOIN villages vi ON vi.id = v.village_id
      ORDER BY v.id`,
    { type: QueryTypes.SELECT },
  );
  const now = new Date();
  const entries = rows.map((row) =>
    searchEntry(
      {
        id: row.id, villageId: row.village_id, month: row.month, date: row.date, payee: row.payee, description: row.description,
        invoiceCode: row.invoice_code, invoiceNumber: row.invoice_number,
        ocrLines: parseJson<{ lines?: unknown[] } | null>(row.ocr_lines, null)?.lines ?? null,
        redactions: parseJson(row.redactions, []),
      },
      row.town_id,
      now,
    ),
  );
  for (let i = 0; i < entries.length; i += 200)
    await qi.bulkInsert(
      'public_search',
      entries.slice(i, i + 200).map((e) => ({
        voucher_id: e.voucherId, village_id: e.villageId, town_id: e.townId, month: e.month, date: e.date, search_text: e.text, tokens: e.tokens, updated_at: e.updatedAt,
      })),
    );
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export async function down({ context: qi }: { context: QueryInterface }): Promise<void> {
  if (qi.sequelize.getDialect() === 'sqlite') {
    for (const trigger of ['public_search_fts_update', 'public_search_fts_delete', 'public_search_fts_insert'])
      await qi.sequelize.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    await qi.sequelize.query(`DROP TABLE IF EXISTS ${FTS_TABLE}`);
  }
  // On MySQL the FULLTEXT index goes with its table.
  await qi.dropTable('public_search');
}
