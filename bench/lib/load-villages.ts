/**
 * Fixtures of bench/load: villages whose accountants upload during the run, each with a
 * published month that villagers read, and the photos those accountants upload.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { CATEGORIES } from '../../shared/categories';
import { monthInShanghai } from '../../shared/month';
import type { Container } from '../../server/container';
import { ReceiptPainter } from '../../server/demo/receipt-image';
import { planMonthReceipts } from '../../server/demo/receipt-plan';
import { SeededRandom } from '../../server/demo/seeded-random';
import { imageKeyFor } from '../../server/domain/voucher';

export const LOAD_PASSWORD = 'bench-load-password-42';
const TOWN = '负载镇';
const VILLAGES = ['东岭村', '西河村', '南坪村', '北山村', '中湾村', '上塘村', '下岗村', '前庄村', '后洼村', '石桥村'];
const PAYEES = ['县供电公司', '镇卫生院', '东方文具商行', '李家五金店', '县自来水公司', '村道修补工程队'];

/** The month accountants upload into (this month in Shanghai), the month before (published), and today's day of the month. */
export function loadMonths(): { currentMonth: string; publishedMonth: string; today: number } {
  const currentMonth = monthInShanghai(new Date());
  const previous = new Date(`${currentMonth}-15T00:00:00Z`);
  previous.setUTCMonth(previous.getUTCMonth() - 1);
  const today = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(8, 10));
  return { currentMonth, publishedMonth: previous.toISOString().slice(0, 7), today };
}

export interface LoadVillage {
  villageId: number;
  villageName: string;
  username: string;
  accountantName: string;
}

async function put(container: Container, data: Buffer, ext: 'jpg' | 'webp'): Promise<string> {
  const key = imageKeyFor(createHash('sha256').update(data).digest('hex'), ext);
  await container.storage.put(key, data);
  return key;
}

/**
 * A town of `count` villages, each with its accountant and a month of `receipts` receipts
 * published through the real review service (facts written directly, no OCR), as
 * bench/lib/published-month.ts does for the read benchmark.
 */
export async function seedLoadVillages(container: Container, count: number, receipts: number, publishedMonth: string): Promise<LoadVillage[]> {
  if (count > VILLAGES.length) throw new Error(`at most ${VILLAGES.length} villages`);
  const { directory, users, auth, review } = container.services;
  const town = await directory.addTown(TOWN);
  await users.createUser({ username: 'load-official', password: LOAD_PASSWORD, displayName: '负载干部', role: 'official', townId: town.id }, null);
  const official = await auth.authenticate((await auth.login('load-official', LOAD_PASSWORD)).token);
  const { vouchers } = container.repositories;
  const villages: LoadVillage[] = [];
  for (let v = 0; v < count; v++) {
    const village = await directory.addVillage(town.id, VILLAGES[v]);
    const username = `load-acct-${v + 1}`;
    const accountantName = `会计${v + 1}号`;
    await users.createUser({ username, password: LOAD_PASSWORD, displayName: accountantName, role: 'accountant', villageId: village.id }, null);
    const accountant = await auth.authenticate((await auth.login(username, LOAD_PASSWORD)).token);
    for (let i = 0; i < receipts; i++) {
      const image = sharp({ create: { width: 480, height: 360, channels: 3, background: { r: (v * 50 + i) % 256, g: (i * 11) % 256, b: (v * 17 + i * 5) % 256 } } });
      const jpeg = await image.clone().jpeg().toBuffer();
      const sha256 = createHash('sha256').update(jpeg).digest('hex');
      await container.storage.put(`originals/${sha256}`, jpeg);
      const created = await vouchers.create({
        villageId: village.id, month: publishedMonth, sha256, originalKey: `originals/${sha256}`, originalName: `receipt-${i}.jpg`, originalMime: 'image/jpeg', originalBytes: jpeg.length, width: 480, height: 360, uploadedBy: null,
      });
      const display = await put(container, jpeg, 'jpg');
      const thumb = await put(container, await image.clone().resize(160).webp().toBuffer(), 'webp');
      await vouchers.update(created.id, { version: created.version }, {
        status: 'ready', displayKey: display, thumbKey: thumb, publicDisplayKey: display, publicThumbKey: thumb, ocrEngine: 'paddle',
        amountFen: 2_000 + ((i * 6151 + v * 977) % 300_000), date: `${publishedMonth}-${String((i % 28) + 1).padStart(2, '0')}`,
        payee: PAYEES[(i + v) % PAYEES.length], description: `第${i + 1}张：村务开支`, category: CATEGORIES[(i + v) % CATEGORIES.length],
        flags: [], redactions: [], ocrLines: [],
      });
    }
    await review.submit(accountant, village.id, publishedMonth);
    await review.approve(official, village.id, publishedMonth, {});
    villages.push({ villageId: village.id, villageName: VILLAGES[v], username, accountantName });
  }
  return villages;
}

export interface UploadFile {
  name: string;
  bytes: Buffer;
}

/**
 * `count` photos of the village's receipts for `month`, as a phone would take them: the demo
 * receipt painter's 收据, 领款单 and 发票 (real Chinese text, seals, personal data to redact),
 * turned a little on the desk, lit a little differently and scaled to 1600 px, the size the
 * server reads at. Every photo differs, so none is refused as a duplicate.
 */
export async function drawUploads(painter: ReceiptPainter, village: LoadVillage, month: string, lastDay: number, count: number): Promise<UploadFile[]> {
  const receipts = planMonthReceipts({ seed: 'bench-load', townName: TOWN, villageName: village.villageName, accountant: village.accountantName, month, count, lastDay });
  if (receipts.length < count) throw new Error(`the receipt catalogue has only ${receipts.length} sellers`);
  const rng = new SeededRandom(`bench-load/${village.villageName}`);
  const files: UploadFile[] = [];
  for (const receipt of receipts) {
    const drawn = await painter.draw(receipt);
    const angle = (rng.int(-25, 25) || 7) / 10;
    const bytes = await sharp(drawn.jpeg)
      .rotate(angle, { background: { r: 190, g: 184, b: 172 } })
      .modulate({ brightness: rng.int(92, 106) / 100 })
      .resize({ width: 1600, height: 1600, fit: 'inside' })
      .jpeg({ quality: 85, mozjpeg: false })
      .toBuffer();
    files.push({ name: receipt.fileName, bytes });
  }
  return files;
}
