import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Redaction } from '../../shared/schemas/vouchers';
import { imageKeyFor, type VoucherRecord } from '../../server/domain/voucher';
import type { OcrLine } from '../../server/ocr/ocr-engine';
import type { DatabaseKind } from './databases';
import { startTestServer, type TestServer } from './http-client';
import { createStaffFixture, PASSWORD, type StaffFixture } from './staff-fixture';
import { createTestEnv, type StorageKind, type TestEnv } from './test-env';

export type Who = keyof StaffFixture['users'];

/** A bearer token for every account of the staff fixture. */
export async function loginAll(server: TestServer, staff: StaffFixture): Promise<Record<Who, string>> {
  const tokens = {} as Record<Who, string>;
  for (const [who, user] of Object.entries(staff.users))
    tokens[who as Who] = (await server.request('POST', '/api/auth/login', { json: { username: user.username, password: PASSWORD } })).body.token;
  return tokens;
}

export interface StaffServer {
  env: TestEnv;
  server: TestServer;
  staff: StaffFixture;
  tokens: Record<Who, string>;
  close(): Promise<void>;
}

/** A fresh database, the real app on a socket, the staff fixture and everyone logged in. */
export async function startStaffServer(kind: DatabaseKind, settings: Record<string, string> = {}, storage: StorageKind = 'local'): Promise<StaffServer> {
  const env = await createTestEnv(kind, settings, { storage });
  const server = await startTestServer(env.container);
  const staff = await createStaffFixture(env.container);
  const tokens = await loginAll(server, staff);
  return {
    env,
    server,
    staff,
    tokens,
    async close() {
      await server.close();
      await env.close();
    },
  };
}

/**
 * For a describe block: starts a staff server before its tests (then runs `setup`) and closes
 * it after. The fields of the returned object are there once `beforeAll` has run.
 */
export function useStaffServer(kind: DatabaseKind, setup?: (t: StaffServer) => Promise<void>, setupTimeoutMs?: number, storage: StorageKind = 'local'): StaffServer {
  const t = {} as StaffServer;
  beforeAll(async () => {
    Object.assign(t, await startStaffServer(kind, {}, storage));
    await setup?.(t);
  }, setupTimeoutMs);
  afterAll(() => t.close());
  return t;
}

/** A resident ID number with a correct check character, and the OCR line that shows it at `box`. */
export const ID_NUMBER = '11010519491231002X';
export function idCardLine(box: [number, number, number, number] = [20, 100, 400, 30]): OcrLine {
  return { text: `身份证号：${ID_NUMBER}`, box, confidence: 0.95 };
}
/** A redaction box that covers `idCardLine()`'s number whole. */
export const ID_BOX: Redaction = { box: [120, 90, 320, 50], type: 'idcard', source: 'manual' };

let seeded = 0;

async function storeImage(env: TestEnv, data: Buffer, ext: 'jpg' | 'webp'): Promise<string> {
  const key = imageKeyFor(createHash('sha256').update(data).digest('hex'), ext);
  await env.container.storage.put(key, data);
  return key;
}

/**
 * A voucher as processing leaves it, made without OCR so tests stay fast: a small real image
 * (its own colour, so its own hash) stored as original, display copy and thumbnail, and the
 * facts given. `ocrLines` feed the personal-data check at approval.
 */
export async function seedReadyVoucher(
  env: TestEnv,
  villageId: number,
  month: string,
  facts: Partial<Pick<VoucherRecord, 'amountFen' | 'payee' | 'description' | 'date' | 'category' | 'flags' | 'redactions' | 'ocrLines' | 'status'>> = {},
): Promise<VoucherRecord> {
  const n = ++seeded;
  const image = sharp({ create: { width: 640, height: 480, channels: 3, background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 13 + process.pid) % 256 } } });
  const jpeg = await image.clone().jpeg().toBuffer();
  const webp = await image.clone().resize(320).webp().toBuffer();
  const sha256 = createHash('sha256').update(jpeg).digest('hex');
  const { vouchers } = env.container.repositories;
  await env.container.storage.put(`originals/${sha256}`, jpeg);
  const created = await vouchers.create({
    villageId, month, sha256, originalKey: `originals/${sha256}`, originalName: `seed-${n}.jpg`, originalMime: 'image/jpeg', originalBytes: jpeg.length, width: 640, height: 480, uploadedBy: null,
  });
  const display = await storeImage(env, jpeg, 'jpg');
  const thumb = await storeImage(env, webp, 'webp');
  await vouchers.update(created.id, { version: created.version }, {
    status: 'ready', displayKey: display, thumbKey: thumb, publicDisplayKey: display, publicThumbKey: thumb, ocrEngine: 'paddle',
    amountFen: 10_000 * n, date: `${month}-05`, payee: `收款方${n}`, category: '办公用品', flags: [], redactions: [], ocrLines: [],
    ...facts,
  });
  return (await vouchers.findById(created.id))!;
}

/** Audit rows about a subject, oldest first, as `action` plus details. */
export async function auditOf(env: TestEnv, subjectType: string, subjectId: string | number) {
  return env.container.repositories.audit.listForSubject(subjectType, String(subjectId));
}
