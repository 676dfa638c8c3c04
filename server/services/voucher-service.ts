import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { monthInShanghai } from '../../shared/month';
import type { PublicationStatus } from '../../shared/schemas/months';
import type { User } from '../../shared/schemas/users';
import type { StaffVoucher, UploadResult, VoucherPatch } from '../../shared/schemas/vouchers';
import type { Clock } from '../adapters/clock';
import { crashPoint } from '../adapters/crash-points';
import type { AuditRepository } from '../db/repositories/audit-repository';
import { AlreadyExistsError } from '../db/repositories/errors';
import type { JobRepository } from '../db/repositories/job-repository';
import type { PublicationRepository } from '../db/repositories/publication-repository';
import type { VoucherRepository } from '../db/repositories/voucher-repository';
import type { Transactor, Tx } from '../db/transactor';
import { isVillageStaff, type VillageRef } from '../domain/access';
import { editRight } from '../domain/month';
import { factsOf, storageKeysOf, type VoucherRecord } from '../domain/voucher';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { ImageRejectedError, type ImageProcessor } from '../images/image-processor';
import { ACCEPTED_FORMATS_TEXT, MIME_TYPES, sniffImageFormat } from '../images/sniff';
import type { ObjectStorage } from '../storage/object-storage';
import type { DirectoryService } from './directory-service';
import type { StorageJanitor } from './storage-janitor';
import type { VoucherImages } from './voucher-images';

export const PROCESS_VOUCHER_JOB = 'voucher.process';

export interface UploadedFile {
  /** Temporary file on local disk; the caller removes it afterwards. */
  path: string;
  originalName: string;
  size: number;
}

export interface VoucherServiceDeps {
  vouchers: VoucherRepository;
  publications: PublicationRepository;
  jobs: JobRepository;
  audit: AuditRepository;
  directory: DirectoryService;
  storage: ObjectStorage;
  images: ImageProcessor;
  voucherImages: VoucherImages;
  janitor: StorageJanitor;
  transactor: Transactor;
  clock: Clock;
  /** Called after vouchers are queued, so an in-process worker starts at once. */
  onQueued?: () => void;
}

async function readHead(filePath: string, length: number): Promise<Buffer> {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Hashes by streaming, so a 20 MB upload is never held in memory whole. */
async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Keeps only what a client may send back as a file name: no paths; no control, invisible
 * formatting or line-separator characters (a right-to-left override makes `收据\u202Egpj.exe`
 * read as `收据exe.jpg`); at most 255 characters, never cutting one in half.
 */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return Array.from(base.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ''))
    .slice(0, 255)
    .join('')
    .trim();
}

export class VoucherService {
  constructor(private readonly deps: VoucherServiceDeps) {}

  /** Checked before an upload's body is read, so refused requests cost no disk. */
  async assertCanUpload(user: User, villageId: number, month: string): Promise<void> {
    const village = await this.deps.directory.getVillage(villageId);
    const status = (await this.deps.publications.find(villageId, month))?.status ?? 'draft';
    assertMayEdit(user, village, status, false, '只有本村会计可以上传这个村的凭证');
    if (month > monthInShanghai(this.deps.clock.now())) throw new AppError('validation_failed', '不能上传还没到的月份的凭证', { field: 'month' });
  }

  /**
   * Writes to a month's vouchers while holding the month's review row, so a submission or an
   * approval cannot slip in between the check and the write: whichever comes second sees the other.
   */
  private async whileEditable<T>(user: User, village: VillageRef, month: string, reviewerMayEdit: boolean, work: (tx: Tx) => Promise<T>): Promise<T> {
    await this.deps.publications.ensure(village.id, month);
    return this.deps.transactor.runRetrying(async (tx) => {
      const status = (await this.deps.publications.lock(village.id, month, tx))?.status ?? 'draft';
      assertMayEdit(user, village, status, reviewerMayEdit, '只有本村会计可以修改凭证');
      return work(tx);
    });
  }

  /** One result per file; a bad file never stops the others. */
  async ingest(user: User, villageId: number, month: string, files: UploadedFile[], requestId?: string): Promise<UploadResult[]> {
    await this.assertCanUpload(user, villageId, month);
    const village = await this.deps.directory.getVillage(villageId);
    const results: UploadResult[] = [];
    for (const file of files) results.push(await this.ingestOne(user, village, month, file, requestId));
    if (results.some((r) => 'id' in r)) this.deps.onQueued?.();
    return results;
  }

  private async ingestOne(user: User, village: VillageRef, month: string, file: UploadedFile, requestId?: string): Promise<UploadResult> {
    const villageId = village.id;
    const name = cleanFileName(file.originalName);
    const fail = (error: AppError): UploadResult => ({
      file: name,
      error: { code: error.code, message: error.userMessage, ...(typeof error.details.existingVoucherId === 'number' ? { existingVoucherId: error.details.existingVoucherId } : {}) },
    });
    try {
      const head = await readHead(file.path, 64);
      if (file.size === 0 || head.length === 0) throw new AppError('validation_failed', '图片无法读取：文件是空的');
      const format = sniffImageFormat(head);
      if (!format) throw new AppError('unsupported_media_type', `不支持这种文件，请上传 ${ACCEPTED_FORMATS_TEXT} 格式的图片`);
      let size: { width: number; height: number };
      try {
        size = await this.deps.images.inspect(file.path, format);
      } catch (error) {
        if (error instanceof ImageRejectedError)
          throw new AppError('validation_failed', error.reason === 'too_many_pixels' ? '图片像素太多（超过 5000 万），请缩小后再传' : '图片无法读取，可能已损坏', { cause: error });
        throw error;
      }
      const sha256 = await sha256OfFile(file.path);
      const existing = await this.deps.vouchers.findBySha(villageId, sha256);
      if (existing) throw conflict(`这张图片已经上传过（凭证 ${existing.id}）`, { existingVoucherId: existing.id });

      const originalKey = `originals/${sha256}`;
      // Stored first: a crash before the commit below leaves an original no row names, which the
      // storage sweep removes once it is older than its grace period (a retry adopts it before).
      await this.deps.storage.putFile(originalKey, file.path);
      crashPoint('upload.stored');
      let voucher: VoucherRecord;
      try {
        voucher = await this.whileEditable(user, village, month, false, async (tx) => {
          const created = await this.deps.vouchers.create(
            { villageId, month, sha256, originalKey, originalName: name || null, originalMime: MIME_TYPES[format], originalBytes: file.size, ...size, uploadedBy: user.id },
            tx,
          );
          await this.deps.jobs.enqueue({ type: PROCESS_VOUCHER_JOB, payload: { voucherId: created.id }, villageId }, tx);
          // In the same transaction: a voucher is never there without its upload record.
          await this.deps.audit.record(
            {
              at: this.deps.clock.now(),
              actorUserId: user.id,
              actorRole: user.role,
              action: 'voucher.uploaded',
              subjectType: 'voucher',
              subjectId: String(created.id),
              villageId,
              details: { month, sha256, originalName: name, bytes: file.size, format },
              requestId,
            },
            tx,
          );
          return created;
        });
      } catch (error) {
        await this.deps.janitor.deleteUnreferenced([originalKey]);
        if (error instanceof AlreadyExistsError) {
          const other = await this.deps.vouchers.findBySha(villageId, sha256);
          throw conflict(`这张图片已经上传过（凭证 ${other?.id ?? ''}）`, { existingVoucherId: other?.id });
        }
        throw error;
      }
      // Committed but not answered: the client's retry gets 409 naming this voucher.
      crashPoint('upload.committed');
      return { file: name, id: voucher.id, status: 'processing' };
    } catch (error) {
      if (error instanceof AppError) return fail(error);
      throw error;
    }
  }

  async listMonth(user: User, villageId: number, month: string): Promise<StaffVoucher[]> {
    const village = await this.deps.directory.getVillage(villageId);
    if (!isVillageStaff(user, village)) throw forbidden('这个村的账目不归您管');
    return (await this.deps.vouchers.listForMonth(villageId, month)).map(toStaffVoucher);
  }

  /** A voucher the user may see as staff; anything else looks like it does not exist or is not theirs. */
  async getForStaff(user: User, id: number): Promise<VoucherRecord> {
    const voucher = await this.deps.vouchers.findById(id);
    if (!voucher) throw notFound('找不到这张凭证');
    const village = await this.deps.directory.getVillage(voucher.villageId);
    if (!isVillageStaff(user, village)) throw forbidden('这个村的账目不归您管');
    return voucher;
  }

  async get(user: User, id: number): Promise<StaffVoucher> {
    return toStaffVoucher(await this.getForStaff(user, id));
  }

  /** A quick check before slow work (new images); `whileEditable` checks again at the write. */
  private async getForEditing(user: User, id: number, reviewerMayEdit: boolean): Promise<{ voucher: VoucherRecord; village: VillageRef }> {
    const voucher = await this.getForStaff(user, id);
    const village = await this.deps.directory.getVillage(voucher.villageId);
    const status = (await this.deps.publications.find(voucher.villageId, voucher.month))?.status ?? 'draft';
    assertMayEdit(user, village, status, reviewerMayEdit, reviewerMayEdit ? '只有本村会计可以修改凭证' : '只有本村会计可以做这件事');
    return { voucher, village };
  }

  /** Fields, flags and redaction boxes: the accountant before submitting, the town's officials while reviewing. */
  async update(user: User, id: number, patch: VoucherPatch, requestId?: string): Promise<StaffVoucher> {
    const { voucher, village } = await this.getForEditing(user, id, true);
    if (voucher.version !== patch.version) throw conflict('这张凭证刚被别人改过，请刷新后再改');
    if (voucher.status === 'processing') throw conflict('这张凭证还在识别中，请稍后再改');

    const changes: Partial<VoucherRecord> = { ...(patch.fields ?? {}) };
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(patch.fields ?? {})) before[key] = voucher[key as keyof VoucherRecord];
    if (patch.acknowledgeFlags?.length)
      changes.flags = voucher.flags.map((f) => (patch.acknowledgeFlags!.includes(f.type) ? { ...f, acknowledged: true } : f));
    let newKeys: string[] = [];
    if (patch.redactions) {
      const keys = await this.deps.voucherImages.redactedCopies(voucher, patch.redactions);
      changes.redactions = patch.redactions;
      changes.publicDisplayKey = keys.publicDisplayKey;
      changes.publicThumbKey = keys.publicThumbKey;
      newKeys = [keys.publicDisplayKey, keys.publicThumbKey];
      before.redactions = voucher.redactions;
    }
    let saved: boolean;
    try {
      saved = await this.whileEditable(user, village, voucher.month, true, (tx) => this.deps.vouchers.update(id, { version: voucher.version }, changes, tx));
    } catch (error) {
      await this.deps.janitor.deleteUnreferenced(newKeys);
      throw error;
    }
    const oldKeys = [voucher.publicDisplayKey, voucher.publicThumbKey].filter((k): k is string => Boolean(k));
    if (!saved) {
      await this.deps.janitor.deleteUnreferenced(newKeys);
      throw conflict('这张凭证刚被别人改过，请刷新后再改');
    }
    if (patch.redactions) await this.deps.janitor.deleteUnreferenced(oldKeys);
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      actorUserId: user.id,
      actorRole: user.role,
      action: 'voucher.updated',
      subjectType: 'voucher',
      subjectId: String(id),
      villageId: voucher.villageId,
      details: { before, after: { ...(patch.fields ?? {}), ...(patch.redactions ? { redactions: patch.redactions } : {}) }, acknowledged: patch.acknowledgeFlags ?? [] },
      requestId,
    });
    return toStaffVoucher((await this.deps.vouchers.findById(id))!);
  }

  async remove(user: User, id: number, requestId?: string): Promise<void> {
    const { voucher, village } = await this.getForEditing(user, id, false);
    await this.whileEditable(user, village, voucher.month, false, (tx) => this.deps.vouchers.delete(id, tx));
    await this.deps.janitor.deleteUnreferenced(storageKeysOf(voucher));
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      actorUserId: user.id,
      actorRole: user.role,
      action: 'voucher.deleted',
      subjectType: 'voucher',
      subjectId: String(id),
      villageId: voucher.villageId,
      details: { month: voucher.month, sha256: voucher.sha256, amountFen: voucher.amountFen, payee: voucher.payee },
      requestId,
    });
  }

  /**
   * Which stored file answers an image request. Redacted copies of a published month are
   * public; everything else is for the village's staff and its town's officials.
   */
  async openImage(user: User | null, id: number, variant: 'thumb' | 'display' | 'original', redacted: boolean): Promise<{ key: string; contentType: string }> {
    const voucher = await this.deps.vouchers.findById(id);
    if (!voucher) throw notFound('找不到这张凭证');
    const village = await this.deps.directory.getVillage(voucher.villageId);
    const staff = user !== null && isVillageStaff(user, village);
    if (!staff) {
      const published = (await this.deps.publications.find(voucher.villageId, voucher.month))?.status === 'published';
      if (!published) throw user ? forbidden('这个村的账目不归您管') : notFound('找不到这张凭证');
      if (variant === 'original' || !redacted) throw forbidden('原图只有本村和本镇的工作人员可以看');
    }
    if (variant === 'original') return { key: voucher.originalKey, contentType: voucher.originalMime ?? 'application/octet-stream' };
    const key =
      variant === 'thumb' ? (redacted ? voucher.publicThumbKey : voucher.thumbKey) : redacted ? voucher.publicDisplayKey : voucher.displayKey;
    if (!key) throw notFound(voucher.status === 'failed' ? '这张凭证处理失败，没有图片' : '图片还在处理中，请稍后再看');
    return { key, contentType: key.endsWith('.webp') ? 'image/webp' : 'image/jpeg' };
  }

  async reprocess(user: User, id: number, requestId?: string): Promise<StaffVoucher> {
    const { voucher, village } = await this.getForEditing(user, id, false);
    if (voucher.status === 'processing') throw conflict('这张凭证正在识别中');
    await this.whileEditable(user, village, voucher.month, false, async (tx) => {
      const saved = await this.deps.vouchers.update(id, { version: voucher.version }, { status: 'processing', processingError: null }, tx);
      if (!saved) throw conflict('这张凭证刚被别人改过，请刷新后再试');
      await this.deps.jobs.enqueue({ type: PROCESS_VOUCHER_JOB, payload: { voucherId: id }, villageId: voucher.villageId }, tx);
    });
    this.deps.onQueued?.();
    await this.deps.audit.record({
      at: this.deps.clock.now(),
      actorUserId: user.id,
      actorRole: user.role,
      action: 'voucher.reprocess_requested',
      subjectType: 'voucher',
      subjectId: String(id),
      villageId: voucher.villageId,
      requestId,
    });
    return toStaffVoucher((await this.deps.vouchers.findById(id))!);
  }
}

/** Refuses a change to a month's vouchers: 403 for the wrong person, 409 (with the month's state) for the wrong time. */
function assertMayEdit(user: User, village: VillageRef, status: PublicationStatus, reviewerMayEdit: boolean, forbiddenMessage: string): void {
  const right = editRight(user, village, status, reviewerMayEdit);
  if (right === 'forbidden') throw forbidden(forbiddenMessage);
  if (right === 'locked')
    throw conflict(status === 'published' ? '这个月已经公开，不能再改动；如需更正请提交更正申请' : '这个月已经提交审核，不能再改动', { state: status });
}

export function toStaffVoucher(v: VoucherRecord): StaffVoucher {
  const image = (variant: string) => `/api/vouchers/${v.id}/image?variant=${variant}&v=${v.version}`;
  return {
    id: v.id,
    villageId: v.villageId,
    month: v.month,
    status: v.status,
    processingError: v.processingError,
    originalName: v.originalName,
    width: v.width,
    height: v.height,
    ...factsOf(v),
    confidences: v.confidences,
    flags: v.flags,
    redactions: v.redactions,
    ocrEngine: v.ocrEngine,
    ocrText: v.ocrText,
    thumbUrl: v.publicThumbKey ? image('thumb') : null,
    imageUrl: v.publicDisplayKey ? image('display') : null,
    withdrawn: v.withdrawnAt ? { reason: v.withdrawnReason ?? '', at: v.withdrawnAt.toISOString() } : null,
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}
