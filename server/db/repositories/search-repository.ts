import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { QueryTerms, SearchEntry } from '../../domain/search-text';
import { dialectOf } from '../database';

export interface SearchFilters {
  townId?: number;
  villageId?: number;
  /** Months, both ends included. */
  from?: string;
  to?: string;
}

export interface SearchPage {
  /** Every match, across pages. */
  total: number;
  /** Newest month first, then newest date, then newest voucher. */
  rows: Array<{ voucherId: number; villageId: number; month: string }>;
}

const COLUMNS = ['voucher_id', 'village_id', 'town_id', 'month', 'date', 'search_text', 'tokens', 'updated_at'];
const ROWS_PER_INSERT = 100;

/** `%`, `_` and the escape character itself are plain text in a query. */
function likeContains(text: string): string {
  return `%${text.replace(/[!%_]/g, '!$&')}%`;
}

/**
 * The search index of published vouchers (table `public_search`, see migration 0003). Raw SQL
 * because the full-text part differs by engine: an external-content FTS5 table kept in step by
 * triggers on SQLite, a FULLTEXT index on MySQL. Every value goes in as a replacement.
 */
export class SearchRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Writes (or rewrites) these vouchers' rows; runs inside the transaction that publishes or
   * amends them. An upsert rather than delete-and-insert: on InnoDB, deleting absent keys takes
   * gap locks that make two villages publishing at once deadlock. SQLite's upsert fires the
   * update trigger that keeps FTS5 in step.
   */
  async upsert(entries: SearchEntry[], transaction: Transaction): Promise<void> {
    const mysql = dialectOf(this.sequelize) === 'mysql';
    const updates = COLUMNS.slice(1)
      .map((c) => (mysql ? `${c} = VALUES(${c})` : `${c} = excluded.${c}`))
      .join(', ');
    const conflict = mysql ? `ON DUPLICATE KEY UPDATE ${updates}` : `ON CONFLICT (voucher_id) DO UPDATE SET ${updates}`;
    for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
      const chunk = entries.slice(i, i + ROWS_PER_INSERT);
      const placeholders = chunk.map(() => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
      const values = chunk.flatMap((e) => [e.voucherId, e.villageId, e.townId, e.month, e.date, e.text, e.tokens, e.updatedAt]);
      await this.sequelize.query(`INSERT INTO public_search (${COLUMNS.join(', ')}) VALUES ${placeholders} ${conflict}`, { replacements: values, transaction });
    }
  }

  /**
   * One page of matches. The full-text index narrows to rows holding every token; the LIKE on
   * the normalised text then keeps exact matches only (the tokens say nothing about order).
   */
  async search(terms: QueryTerms, filters: SearchFilters, page: { limit: number; offset: number }): Promise<SearchPage> {
    const mysql = dialectOf(this.sequelize) === 'mysql';
    const where = [
      mysql ? 'MATCH (ps.tokens) AGAINST (:match IN BOOLEAN MODE)' : 'ps.voucher_id IN (SELECT rowid FROM public_search_fts WHERE public_search_fts MATCH :match)',
      // Binary on MySQL: utf8mb4_unicode_ci would equate characters normalising kept apart.
      mysql ? "ps.search_text COLLATE utf8mb4_bin LIKE :like ESCAPE '!'" : "ps.search_text LIKE :like ESCAPE '!'",
      // The index only ever holds published months; this keeps it so should anything slip.
      "EXISTS (SELECT 1 FROM publications p WHERE p.village_id = ps.village_id AND p.month = ps.month AND p.status = 'published')",
    ];
    if (filters.townId !== undefined) where.push('ps.town_id = :townId');
    if (filters.villageId !== undefined) where.push('ps.village_id = :villageId');
    if (filters.from !== undefined) where.push('ps.month >= :from');
    if (filters.to !== undefined) where.push('ps.month <= :to');
    const replacements = {
      // Tokens are [0-9a-z] only, so neither engine's query syntax can be reached through them.
      match: mysql ? terms.tokens.map((t) => `+${t}`).join(' ') : terms.tokens.map((t) => `"${t}"`).join(' '),
      like: likeContains(terms.text),
      ...filters,
      limit: page.limit,
      offset: page.offset,
    };
    const from = `FROM public_search ps WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.sequelize.query<{ total: number | string }>(`SELECT COUNT(*) AS total ${from}`, { replacements, type: QueryTypes.SELECT });
    if (Number(total) === 0) return { total: 0, rows: [] };
    const rows = await this.sequelize.query<{ voucherId: number; villageId: number; month: string }>(
      `SELECT ps.voucher_id AS voucherId, ps.village_id AS villageId, ps.month AS month ${from}
        ORDER BY ps.month DESC, ps.date DESC, ps.voucher_id DESC LIMIT :limit OFFSET :offset`,
      { replacements, type: QueryTypes.SELECT },
    );
    return { total: Number(total), rows: rows.map((r) => ({ voucherId: Number(r.voucherId), villageId: Number(r.villageId), month: r.month })) };
  }

  /** How many vouchers are indexed (for the backfill's test and operators). */
  async count(): Promise<number> {
    const [{ n }] = await this.sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM public_search', { type: QueryTypes.SELECT });
    return Number(n);
  }
}
