import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { CATEGORIES } from '../../shared/categories';
import type { Container } from '../../server/container';
import { imageKeyFor } from '../../server/domain/voucher';

const PAYEES = ['县供电公司', '新华书店城关店', '村道修补工程队', '镇卫生院', '东方文具商行', '李家五金店', '顺风物流', '县自来水公司'];
const PASSWORD = 'bench-password-42';

async function put(container: Container, data: Buffer, ext: 'jpg' | 'webp'): Promise<string> {
  const key = imageKeyFor(createHash('sha256').update(data).digest('hex'), ext);
  await container.storage.put(key, data);
  return key;
}

/**
 * A town, a village and a month of `count` receipts published through the real review
 * service. Receipts skip OCR (their facts are written directly), which is not what a read
 * benchmark measures; each gets its own small image so every URL differs.
 */
export async function seedPublishedMonth(container: Container, count: number, month = '2026-01'): Promise<{ villageId: number; month: string }> {
  const { directory, users, auth, review } = container.services;
  const town = await directory.addTown('基准镇');
  const village = await directory.addVillage(town.id, '基准村');
  await users.createUser({ username: 'bench-acct', password: PASSWORD, displayName: '基准会计', role: 'accountant', villageId: village.id }, null);
  await users.createUser({ username: 'bench-official', password: PASSWORD, displayName: '基准干部', role: 'official', townId: town.id }, null);
  const accountant = await auth.authenticate((await auth.login('bench-acct', PASSWORD)).token);
  const official = await auth.authenticate((await auth.login('bench-official', PASSWORD)).token);

  const { vouchers } = container.repositories;
  for (let i = 0; i < count; i++) {
    const image = sharp({ create: { width: 480, height: 360, channels: 3, background: { r: i % 256, g: (i * 7) % 256, b: (i * 13) % 256 } } });
    const jpeg = await image.clone().jpeg().toBuffer();
    const sha256 = createHash('sha256').update(jpeg).digest('hex');
    await container.storage.put(`originals/${sha256}`, jpeg);
    const created = await vouchers.create({
      villageId: village.id, month, sha256, originalKey: `originals/${sha256}`, originalName: `receipt-${i}.jpg`, originalMime: 'image/jpeg', originalBytes: jpeg.length, width: 480, height: 360, uploadedBy: null,
    });
    const display = await put(container, jpeg, 'jpg');
    const thumb = await put(container, await image.clone().resize(160).webp().toBuffer(), 'webp');
    await vouchers.update(created.id, { version: created.version }, {
      status: 'ready', displayKey: display, thumbKey: thumb, publicDisplayKey: display, publicThumbKey: thumb, ocrEngine: 'paddle',
      amountFen: 1_000 + ((i * 7919) % 500_000), date: `${month}-${String((i % 28) + 1).padStart(2, '0')}`,
      payee: PAYEES[i % PAYEES.length], description: `第${i + 1}张：购买办公和维修用品`, category: CATEGORIES[i % CATEGORIES.length],
      invoiceCode: String(3_300_000_000 + i).padStart(12, '0'), invoiceNumber: String(10_000_000 + i),
      flags: [], redactions: [], ocrLines: [],
    });
  }
  await review.submit(accountant, village.id, month);
  await review.approve(official, village.id, month, {});
  return { villageId: village.id, month };
}
