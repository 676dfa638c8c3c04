import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  assertValidKey,
  ObjectNotFoundError,
  StorageUnavailableError,
  type ObjectStorage,
  type PresigningStorage,
  type SweepableStorage,
} from './object-storage';

export interface S3Settings {
  /** Empty for AWS itself; `http://host:port` for radosgw, MinIO, Ceph, OSS and the like. */
  endpoint: string | null;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Keys are stored under this prefix (`yiyanming/`), so several installs can share a bucket. */
  prefix: string;
  /** Create the bucket at start when it is missing; otherwise a missing bucket stops the start. */
  createBucket: boolean;
  /** Where villagers' phones reach the storage, for presigned links; defaults to `endpoint`. */
  publicEndpoint: string | null;
}

/** Files above this go up in parts (lib-storage), so a slow link never resends a whole 20 MB photo. */
const PART_BYTES = 8 * 1024 * 1024;

/** Thrown at start: the operator must fix the configuration or the storage. */
export class StorageConfigError extends Error {}

function clientFor(settings: S3Settings, endpoint: string | null): S3Client {
  return new S3Client({
    region: settings.region,
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // radosgw (and most non-AWS servers) reject the newer flexible checksums on streamed bodies.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 5000,
      requestTimeout: 60_000,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    }),
  });
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchUpload' || statusOf(error) === 404;
}

/**
 * An S3-compatible bucket. Every PUT is atomic in S3 (an object appears only once complete),
 * and a multipart upload is invisible until completed, so no half-written object is ever
 * readable under a real key; uploads left incomplete by a killed process are aborted by
 * `removeAbandonedWrites`. A put of an existing key writes it again (same key, same bytes),
 * which also renews its LastModified for the sweep's grace period.
 */
export class S3Storage implements ObjectStorage, SweepableStorage, PresigningStorage {
  private readonly client: S3Client;
  private readonly publicClient: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = clientFor(settings, settings.endpoint);
    this.publicClient = settings.publicEndpoint && settings.publicEndpoint !== settings.endpoint ? clientFor(settings, settings.publicEndpoint) : this.client;
  }

  get description(): string {
    return `s3 ${this.settings.endpoint ?? 'aws'} bucket ${this.settings.bucket}${this.settings.prefix ? ` prefix ${this.settings.prefix}` : ''}`;
  }

  /** Checks at start that the bucket answers to these credentials (creating it if allowed). */
  async check(): Promise<void> {
    const where = `S3 bucket "${this.settings.bucket}" at ${this.settings.endpoint ?? `AWS ${this.settings.region}`}`;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
      return;
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 401)
        throw new StorageConfigError(`${where} refused the credentials (HTTP ${status}): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY`);
      if (status !== 404) throw new StorageConfigError(`${where} is unreachable: ${describe(error)}`);
    }
    if (!this.settings.createBucket)
      throw new StorageConfigError(`${where} does not exist: create it, or set S3_CREATE_BUCKET=1 to let the server create it`);
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.settings.bucket }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou') throw new StorageConfigError(`${where} could not be created: ${describe(error)}`);
    }
  }

  private objectKey(key: string): string {
    assertValidKey(key);
    return this.settings.prefix + key;
  }

  /** Runs one S3 call; anything but "not found" that is the storage's fault becomes StorageUnavailableError. */
  private async call<T>(key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      if (error instanceof S3ServiceException && statusOf(error) !== undefined && statusOf(error)! < 500 && statusOf(error) !== 403)
        throw error;
      throw new StorageUnavailableError(`${this.description}: ${describe(error)}`, { cause: error });
    }
  }

  async put(key: string, data: Buffer): Promise<void> {
    const Key = this.objectKey(key);
    // Content-MD5: the server refuses a body damaged on the way instead of storing it.
    const md5 = createHash('md5').update(data).digest('base64');
    await this.call(key, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key, Body: data, ContentLength: data.length, ContentMD5: md5 })),
    );
  }

  async putFile(key: string, filePath: string): Promise<void> {
    const Key = this.objectKey(key);
    const { size } = await fs.promises.stat(filePath);
    if (size <= PART_BYTES) {
      await this.put(key, await fs.promises.readFile(filePath));
      return;
    }
    await this.call(key, async () => {
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.settings.bucket, Key, Body: fs.createReadStream(filePath) },
        partSize: PART_BYTES,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    });
  }

  async get(key: string): Promise<Buffer> {
    return this.call(key, async () => {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return Buffer.from(await answer.Body!.transformToByteArray());
    });
  }

  async stream(key: string): Promise<Readable> {
    return this.call(key, async () => {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return answer.Body as Readable;
    });
  }

  private async head(key: string): Promise<{ size: number; lastModified: Date } | null> {
    try {
      const answer = await this.call(key, () => this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) })));
      return { size: answer.ContentLength ?? 0, lastModified: answer.LastModified ?? new Date(0) };
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async size(key: string): Promise<number | null> {
    return (await this.head(key))?.size ?? null;
  }

  async writtenAt(key: string): Promise<Date | null> {
    return (await this.head(key))?.lastModified ?? null;
  }

  async delete(key: string): Promise<void> {
    try {
      await this.call(key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) })));
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listWritten(prefix)).map((item) => item.key);
  }

  async listWritten(prefix: string): Promise<Array<{ key: string; writtenAt: Date }>> {
    const items: Array<{ key: string; writtenAt: Date }> = [];
    let token: string | undefined;
    do {
      const page = await this.call(prefix, () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: this.settings.prefix + prefix, ContinuationToken: token }),
        ),
      );
      for (const item of page.Contents ?? [])
        if (item.Key) items.push({ key: item.Key.slice(this.settings.prefix.length), writtenAt: item.LastModified ?? new Date(0) });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async removeAbandonedWrites(before: Date): Promise<number> {
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.call('', () =>
        this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.settings.bucket, Prefix: this.settings.prefix || undefined, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        ),
      );
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= before) continue;
        await this.call(upload.Key, () =>
          this.client.send(new AbortMultipartUploadCommand({ Bucket: this.settings.bucket, Key: upload.Key!, UploadId: upload.UploadId! })),
        ).catch((error) => {
          if (!(error instanceof ObjectNotFoundError)) throw error;
        });
        removed++;
      }
      if (!page.IsTruncated) return removed;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }

  async presignedUrl(key: string, seconds: number, contentType?: string): Promise<string> {
    return getSignedUrl(
      this.publicClient,
      new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key), ...(contentType ? { ResponseContentType: contentType } : {}) }),
      { expiresIn: seconds },
    );
  }

  close(): void {
    this.client.destroy();
    if (this.publicClient !== this.client) this.publicClient.destroy();
  }
}

function describe(error: unknown): string {
  const status = statusOf(error);
  const name = (error as { name?: string; code?: string })?.code ?? (error as { name?: string })?.name;
  const message = error instanceof Error ? error.message : String(error);
  return [status ? `HTTP ${status}` : null, name, message].filter(Boolean).join(' ');
}
