import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { PublicVoucher, PublishedMonth } from '../../shared/schemas/public';
import { VOUCHERS_DIR } from './fixtures';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A published month as the public read side hands it out, for renderer tests that need no
 * database: vouchers numbered from 1, count and total over the valid ones as the service computes them.
 */
export function publishedMonthOf(vouchers: Partial<PublicVoucher>[], overrides: Partial<PublishedMonth> = {}): PublishedMonth {
  const month = overrides.month ?? '2026-10';
  const full: PublicVoucher[] = vouchers.map((v, i) => ({
    id: i + 1,
    villageId: 7,
    month,
    amountFen: 10_000 * (i + 1),
    date: `${month}-${String((i % 28) + 1).padStart(2, '0')}`,
    payee: `收款方${i + 1}`,
    description: null,
    category: '办公用品',
    invoiceCode: null,
    invoiceNumber: null,
    thumbUrl: `/api/images/${sha(`thumb ${i}`)}.webp`,
    imageUrl: `/api/images/${sha(`display ${i}`)}.jpg`,
    status: 'valid',
    withdrawnReason: null,
    amendmentCount: 0,
    ...v,
  }));
  const valid = full.filter((v) => v.status === 'valid');
  return {
    village: { id: 7, name: '甲一村', townId: 1, townName: '甲镇' },
    month,
    publishedAt: '2026-11-03T02:30:00.000Z',
    count: valid.length,
    totalFen: valid.reduce((sum, v) => sum + (v.amountFen ?? 0), 0),
    digest: sha(`latest ${month}`),
    publicationDigest: sha(`publication ${month}`),
    vouchers: full,
    amendments: [],
    ...overrides,
  };
}

/**
 * Thumbnails made from the real voucher photos the way processing makes them (upright, 320 px
 * long side), as WebP like the stored ones, or as JPEG. Cached per process.
 */
const made = new Map<string, Buffer[]>();
export async function realThumbnails(count: number, format: 'webp' | 'jpeg' = 'webp'): Promise<Buffer[]> {
  const key = `${count}/${format}`;
  if (!made.has(key)) {
    const files = fs.readdirSync(VOUCHERS_DIR).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().slice(0, count);
    const thumbs = [];
    for (const file of files) {
      const pipeline = sharp(fs.readFileSync(path.join(VOUCHERS_DIR, file))).autoOrient().resize({ width: 320, height: 320, fit: 'inside' });
      thumbs.push(await (format === 'webp' ? pipeline.webp({ quality: 72 }) : pipeline.jpeg({ quality: 82 })).toBuffer());
    }
    made.set(key, thumbs);
  }
  return made.get(key)!;
}
