import type { PublishedMonth, SearchHit, SearchQuery, SearchResult } from '../../shared/schemas/public';
import type { SearchRepository } from '../db/repositories/search-repository';
import { queryTerms } from '../domain/search-text';

/** Where hits are read from: the same chain-derived months the month page shows. */
export interface PublishedMonths {
  month(villageId: number, month: string): Promise<PublishedMonth>;
}

/**
 * Full-text search over published receipts. The index (filled when a month is published or
 * amended) only finds the receipts; what a hit shows is picked out of its published month, so
 * search shows exactly what the month page shows, a withdrawn receipt included as withdrawn.
 */
export class SearchService {
  constructor(
    private readonly index: SearchRepository,
    private readonly published: PublishedMonths,
  ) {}

  async search(query: SearchQuery): Promise<SearchResult> {
    const { q, page, pageSize } = query;
    const terms = queryTerms(q);
    if (!terms) return { q, page, pageSize, total: 0, hits: [] };
    const { total, rows } = await this.index.search(
      terms,
      { townId: query.townId, villageId: query.villageId, from: query.from, to: query.to },
      { limit: pageSize, offset: (page - 1) * pageSize },
    );
    // A page usually comes from a few months: read each once (they are cached by the reader).
    const months = new Map<string, Promise<PublishedMonth>>();
    const monthOf = (villageId: number, month: string) => {
      const key = `${villageId}/${month}`;
      if (!months.has(key)) months.set(key, this.published.month(villageId, month));
      return months.get(key)!;
    };
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const month = await monthOf(row.villageId, row.month);
      const voucher = month.vouchers.find((v) => v.id === row.voucherId);
      // Indexed and published in one transaction, so it is there; never show what the month page does not.
      if (voucher) hits.push({ ...voucher, villageName: month.village.name, townId: month.village.townId });
    }
    return { q, page, pageSize, total, hits };
  }
}
