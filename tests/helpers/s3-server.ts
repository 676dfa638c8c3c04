import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

/** A real S3 server for tests (Ceph's radosgw: `bash scripts/radosgw.sh start`). */
export interface S3TestSettings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The S3 server named by TEST_S3_ENDPOINT (with TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY
 * and TEST_S3_REGION), or null, and the S3 tests are skipped. Under CI a missing
 * TEST_S3_ENDPOINT is an error, so the S3 tests can never be skipped silently.
 */
export function s3TestServer(): S3TestSettings | null {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  if (!endpoint) {
    if (process.env.CI === 'true') throw new Error('CI=true but TEST_S3_ENDPOINT is not set: the S3 tests must run in CI');
    return null;
  }
  const accessKeyId = process.env.TEST_S3_ACCESS_KEY_ID;
  const secretAccessKey = process.env.TEST_S3_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('TEST_S3_ENDPOINT is set but TEST_S3_ACCESS_KEY_ID or TEST_S3_SECRET_ACCESS_KEY is not');
  }
  return { endpoint, region: process.env.TEST_S3_REGION || 'us-east-1', accessKeyId, secretAccessKey };
}

/** A client for the test server: path-style, and no flexible checksums (radosgw ignores them). */
export function s3TestClient(settings: S3TestSettings, secretAccessKey = settings.secretAccessKey): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: true,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A fresh valid bucket name: lowercase letters, digits and dashes, at most 63 characters. */
export function uniqueBucketName(prefix: string): string {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const head = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63 - suffix.length - 1)
    .replace(/-+$/, '');
  return `${head || 'test'}-${suffix}`;
}

/** Removes a bucket with everything in it: objects, unfinished multipart uploads, the bucket. */
export async function deleteBucketFully(settings: S3TestSettings, bucket: string): Promise<void> {
  const client = s3TestClient(settings);
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (objects.length > 0) {
        const result = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
        if (result.Errors?.length) throw new Error(`could not delete ${result.Errors.map((e) => `${e.Key}: ${e.Code}`).join(', ')}`);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await client.send(
        new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
      );
      for (const upload of page.Uploads ?? []) {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key!, UploadId: upload.UploadId! }));
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}

export interface TestBucket {
  name: string;
  settings: S3TestSettings;
  /** The server's configuration for this bucket (STORAGE_DRIVER=s3 and the S3_* variables). */
  env: Record<string, string>;
  remove(): Promise<void>;
}

/** A new empty bucket on the test server; throws when there is none (check `s3TestServer()` first). */
export async function createTestBucket(prefix: string): Promise<TestBucket> {
  const settings = s3TestServer();
  if (!settings) throw new Error('no S3 test server: set TEST_S3_ENDPOINT (bash scripts/radosgw.sh start)');
  const name = uniqueBucketName(prefix);
  const client = s3TestClient(settings);
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    client.destroy();
  }
  return {
    name,
    settings,
    env: s3ServerEnv(settings, name),
    remove: () => deleteBucketFully(settings, name),
  };
}

/** The server's environment for a bucket on the test server. */
export function s3ServerEnv(settings: S3TestSettings, bucket: string): Record<string, string> {
  return {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: settings.endpoint,
    S3_REGION: settings.region,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: settings.accessKeyId,
    S3_SECRET_ACCESS_KEY: settings.secretAccessKey,
  };
}

/** Every key in a bucket with its bytes' sha256, to compare storage with what the database names. */
export async function bucketContents(settings: S3TestSettings, bucket: string): Promise<Map<string, string>> {
  const client = s3TestClient(settings);
  const out = new Map<string, string>();
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
        out.set(object.Key!, createHash('sha256').update(await answer.Body!.transformToByteArray()).digest('hex'));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    client.destroy();
  }
  return out;
}
