import { monthInShanghai } from '../../shared/month';
import { CATEGORIES, type Category } from '../../shared/categories';
import type {
  PublicVillage,
  PublicVillageRef,
  PublicVoucher,
  PublicVoucherDetail,
  PublishedMonth,
  VillageStats,
} from '../../shared/schemas/public';
import type { Clock } from '../adapters/clock';
import type { ChainRepository } from '../db/repositories/chain-repository';
import type { DirectoryRepository } from '../db/repositories/directory-repository';
import type { VoucherRepository } from '../db/repositories/voucher-repository';
import { imageShasOf, publishedMonthFromChain } from '../domain/public-month';
import { AppError, notFound } from '../errors';
import { jsonSnapshot, withGzip, type JsonSnapshot } from './public/json-snapshot';
import { LruCache } from './public/lru-cache';

const NOT_PUBLISHED = '这个月还没有公开，或者没有这个月';
const IMAGE_FILE = /^([0-9a-f]{64})\.(jpg|webp)$/;
const IMAGE_TYPES = { jpg: 'image/jpeg', webp: 'image/webp' } as const;

export interface PublicReadDeps {
  chain: ChainRepository;
  directory: DirectoryRepository;
  vouchers: VoucherRepository;
  clock: Clock;
  /** How many village months stay rendered in memory. */
  cacheMonths?: number;
  /**
   * How long a rendered month is served before its chain head is looked up again. Changes made
   * through this process are seen at once (`forget`); another process's amendment within this
   * bound. 0 looks the head up on every read.
   */
  revalidateMs?: number;
}

interface CachedMonth {
  head: string;
  snapshot: JsonSnapshot<PublishedMonth>;
  /** performance.now() of the last head lookup that confirmed it. */
  checkedAt: number;
}

/**
 * What anyone may read: published months only, rendered from the village's public chain.
 * A rendered month is kept until the month's newest chain entry changes, so a read costs one
 * indexed lookup of that entry; every API process derives the same bytes and ETag.
 */
export class PublicReadService {
  private readonly months: LruCache<string, CachedMonth>;

  constructor(private readonly deps: PublicReadDeps) {
    this.months = new LruCache(deps.cacheMonths ?? 2000);
  }

  /** The published month as JSON bytes with their ETag; 404 for a month not published (or no such village). */
  async monthSnapshot(villageId: number, month: string): Promise<JsonSnapshot<PublishedMonth>> {
    const key = `${villageId}/${month}`;
    const cached = this.months.get(key);
    const checkedAt = performance.now();
    if (cached && checkedAt - cached.checkedAt < (this.deps.revalidateMs ?? 0)) return cached.snapshot;
    const head = await this.deps.chain.headOfMonth(villageId, month);
    if (!head) throw notFound(NOT_PUBLISHED);
    if (cached?.head === head.digest) {
      cached.checkedAt = checkedAt;
      return cached.snapshot;
    }

    const entries = await this.deps.chain.listForMonth(villageId, month);
    const village = await this.villageRef(villageId);
    const urls = await this.imageUrls(imageShasOf(entries));
    const body = publishedMonthFromChain(village, entries, (sha) => {
      const url = urls.get(sha);
      if (!url) throw new Error(`image ${sha} of ${key} is not among the published images`);
      return url;
    });
    const snapshot = withGzip(jsonSnapshot(body));
    // Keyed by the head read above: an amendment landing meanwhile gives a new head next time.
    this.months.set(key, { head: entries[entries.length - 1].digest, snapshot, checkedAt });
    return snapshot;
  }

  /** A month's chain just grew: drop its rendering so this process never serves the old one. */
  forget(villageId: number, month: string): void {
    this.months.delete(`${villageId}/${month}`);
  }

  async month(villageId: number, month: string): Promise<PublishedMonth> {
    return (await this.monthSnapshot(villageId, month)).body;
  }

  /** The village and its published months, newest first. */
  async village(villageId: number): Promise<PublicVillage> {
    const village = await this.villageRef(villageId);
    const heads = await this.deps.chain.monthHeads(villageId);
    const months = await Promise.all(heads.map((h) => this.month(villageId, h.month)));
    return {
      village,
      months: months
        .sort((a, b) => (a.month < b.month ? 1 : -1))
        .map((m) => ({ month: m.month, count: m.count, totalFen: m.totalFen, publishedAt: m.publishedAt, digest: m.digest, amendmentCount: m.amendments.length })),
    };
  }

  /** One published receipt with its corrections; 404 while its month is not published. */
  async voucher(voucherId: number): Promise<PublicVoucherDetail> {
    const row = await this.deps.vouchers.findById(voucherId);
    if (!row) throw notFound('找不到这张票据，或者它还没有公开');
    const head = await this.deps.chain.headOfMonth(row.villageId, row.month);
    if (!head) throw notFound('找不到这张票据，或者它还没有公开');
    const month = await this.month(row.villageId, row.month);
    const voucher = month.vouchers.find((v) => v.id === voucherId);
    if (!voucher) throw notFound('找不到这张票据，或者它还没有公开');
    return {
      village: month.village,
      voucher,
      amendments: month.amendments.filter((a) => a.voucherId === voucherId),
      digest: month.digest,
      publicationDigest: month.publicationDigest,
    };
  }

  /** Monthly totals and totals by category of a year's published months. */
  async stats(villageId: number, year?: number): Promise<VillageStats> {
    const thisYear = Number(monthInShanghai(this.deps.clock.now()).slice(0, 4));
    const wanted = year ?? thisYear;
    if (wanted > thisYear + 1) throw new AppError('bad_request', `年份不能晚于 ${thisYear + 1}`, { field: 'year' });
    const village = await this.villageRef(villageId);
    const published = new Set((await this.deps.chain.monthHeads(villageId)).map((h) => h.month));

    const byCategory = new Map<Category, { count: number; totalFen: number }>();
    const months: VillageStats['months'] = [];
    for (let m = 1; m <= 12; m++) {
      const month = `${wanted}-${String(m).padStart(2, '0')}`;
      if (!published.has(month)) {
        months.push({ month, published: false, count: 0, totalFen: 0 });
        continue;
      }
      const view = await this.month(villageId, month);
      months.push({ month, published: true, count: view.count, totalFen: view.totalFen });
      for (const v of view.vouchers) {
        if (v.status !== 'valid') continue;
        const category = v.category ?? '其他';
        const sum = byCategory.get(category) ?? { count: 0, totalFen: 0 };
        sum.count += 1;
        sum.totalFen += v.amountFen ?? 0;
        byCategory.set(category, sum);
      }
    }
    const categories = [...byCategory.entries()]
      .map(([category, sum]) => ({ category, ...sum }))
      .sort((a, b) => b.totalFen - a.totalFen || CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
    return { village, year: wanted, months, categories, totalFen: months.reduce((s, m) => s + m.totalFen, 0) };
  }

  /**
   * A public image by its content address. Only images some published month shows now are
   * served: a copy replaced by a correction (say, to hide a phone number) is kept for
   * verification but no longer handed out.
   */
  async openImage(file: string): Promise<{ key: string; contentType: string; sha256: string }> {
    const match = IMAGE_FILE.exec(file);
    if (!match) throw new AppError('bad_request', '图片地址不对', { field: 'file' });
    const key = `images/${file}`;
    const named = await this.deps.chain.publishedKeys([key]);
    if (!named.has(key) || !(await this.deps.vouchers.isCurrentPublicImage(key))) throw notFound('没有这张图片，或者它没有公开');
    return { key, contentType: IMAGE_TYPES[match[2] as keyof typeof IMAGE_TYPES], sha256: match[1] };
  }

  /** Storage key of a public receipt's thumbnail, for renderers that embed it. */
  thumbnailKey(voucher: PublicVoucher): string {
    return `images/${voucher.thumbUrl.split('/').pop()}`;
  }

  displayKey(voucher: PublicVoucher): string {
    return `images/${voucher.imageUrl.split('/').pop()}`;
  }

  private async villageRef(villageId: number): Promise<PublicVillageRef> {
    const village = await this.deps.directory.findVillage(villageId);
    if (!village) throw notFound('没有这个村');
    const town = await this.deps.directory.findTown(village.townId);
    return { id: village.id, name: village.name, townId: village.townId, townName: town?.name ?? '' };
  }

  private async imageUrls(shas: string[]): Promise<Map<string, string>> {
    const candidates = shas.flatMap((sha) => [`images/${sha}.jpg`, `images/${sha}.webp`]);
    const found = await this.deps.chain.publishedKeys(candidates);
    const urls = new Map<string, string>();
    for (const key of found) urls.set(key.slice('images/'.length, 'images/'.length + 64), `/api/images/${key.slice('images/'.length)}`);
    return urls;
  }
}
