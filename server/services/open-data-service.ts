import type { PublicVoucher, PublishedMonth } from '../../shared/schemas/public';
import { renderBoardPdf } from '../exports/board-pdf';
import { monthCsvFilename, renderMonthCsv, safeFileNamePart } from '../exports/month-csv';
import type { Logger } from '../logger';
import { ObjectNotFoundError, type ObjectStorage } from '../storage/object-storage';
import { LruCache } from './public/lru-cache';

/** What open data needs from the public read side (PublicReadService). */
export interface PublishedMonths {
  /** The month as published; AppError not_found when it is not published or does not exist. */
  month(villageId: number, month: string): Promise<PublishedMonth>;
  /** Storage key of a receipt's public (redacted) thumbnail. */
  thumbnailKey(voucher: PublicVoucher): string;
}

export interface ExportFile {
  /** With the village's name, for people: `甲一村-2026-10.csv`. */
  filename: string;
  /** ASCII only, for clients that ignore RFC 5987: `village-3-2026-10.csv`. */
  asciiFilename: string;
  contentType: string;
  bytes: Buffer;
}

export interface OpenDataDeps {
  months: PublishedMonths;
  storage: ObjectStorage;
  /** Where villagers reach the app; the board's QR code opens `<base>/m/<villageId>/<month>`. */
  publicBaseUrl: string;
  logger: Logger;
  /** Rendered sheets kept in memory (a 200-receipt sheet is about 2 MB). */
  cachedSheets?: number;
  /** Sheets rendered at once; more requests wait, so a burst cannot take every core. */
  renderConcurrency?: number;
}

interface CachedSheet {
  fingerprint: string;
  bytes: Buffer;
}

/** The app's page of a month, where the short link and the QR code lead. */
export function monthPagePath(villageId: number, month: string): string {
  return `/pages/month/index?${new URLSearchParams({ villageId: String(villageId), month })}`;
}

/**
 * Published months in forms for people without the app: a CSV for spreadsheets and the A4
 * sheet for the village's bulletin board. Only what the public read side shows goes in.
 */
export class OpenDataService {
  private readonly sheets: LruCache<string, CachedSheet>;
  private readonly rendering = new Map<string, Promise<Buffer>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(private readonly deps: OpenDataDeps) {
    this.sheets = new LruCache(deps.cachedSheets ?? 16);
  }

  /** The short link printed as the sheet's QR code. */
  monthLink(villageId: number, month: string): string {
    return `${this.deps.publicBaseUrl}/m/${villageId}/${month}`;
  }

  monthPagePath(villageId: number, month: string): string {
    return monthPagePath(villageId, month);
  }

  async monthCsv(villageId: number, month: string): Promise<ExportFile> {
    const published = await this.deps.months.month(villageId, month);
    return {
      filename: monthCsvFilename(published),
      asciiFilename: `village-${villageId}-${month}.csv`,
      contentType: 'text/csv; charset=utf-8',
      bytes: renderMonthCsv(published),
    };
  }

  async boardPdf(villageId: number, month: string): Promise<ExportFile> {
    const published = await this.deps.months.month(villageId, month);
    return {
      filename: `${safeFileNamePart(published.village.name)}-${month}-公开栏.pdf`,
      asciiFilename: `village-${villageId}-${month}-board.pdf`,
      contentType: 'application/pdf',
      bytes: await this.sheet(published),
    };
  }

  /**
   * A sheet is rendered once per version of its month: the digest covers every receipt and
   * image shown, the names and link cover the rest. Requests for a sheet being rendered share it.
   */
  private async sheet(month: PublishedMonth): Promise<Buffer> {
    const key = `${month.village.id}/${month.month}`;
    const url = this.monthLink(month.village.id, month.month);
    const fingerprint = [month.digest, month.village.name, month.village.townName, url].join('\n');
    const cached = this.sheets.get(key);
    if (cached?.fingerprint === fingerprint) return cached.bytes;
    const pending = this.rendering.get(fingerprint);
    if (pending) return pending;
    const render = this.limited(() => renderBoardPdf({ month, url, loadThumbnail: (v) => this.thumbnail(month, v) }))
      .then((bytes) => {
        this.sheets.set(key, { fingerprint, bytes });
        return bytes;
      })
      .finally(() => this.rendering.delete(fingerprint));
    this.rendering.set(fingerprint, render);
    return render;
  }

  /** A lost image must not keep the whole month off the board: the sheet shows a blank, the log says which. */
  private async thumbnail(month: PublishedMonth, voucher: PublicVoucher): Promise<Buffer | null> {
    const key = this.deps.months.thumbnailKey(voucher);
    try {
      return await this.deps.storage.get(key);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      this.deps.logger.warn({ villageId: month.village.id, month: month.month, voucherId: voucher.id, key }, '[open-data:thumbnail-missing]');
      return null;
    }
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    const max = this.deps.renderConcurrency ?? 2;
    // A finishing render hands its slot straight to the next in line, so `running` never overshoots.
    if (this.running >= max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
