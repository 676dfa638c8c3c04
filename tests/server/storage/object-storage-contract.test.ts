import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { LocalDiskStorage } from '../../../server/storage/local-disk-storage';
import { ObjectNotFoundError } from '../../../server/storage/object-storage';
import { S3Storage } from '../../../server/storage/s3-storage';
import type { Storage } from '../../../server/storage/create-storage';
import { createTestBucket, s3TestClient, s3TestServer, type TestBucket } from '../../helpers/s3-server';

/**
 * One contract, two adapters: whatever the server does with local disk it can do with an S3
 * bucket (here Ceph's radosgw), byte for byte.
 */
interface Subject {
  storage: Storage;
  /** Starts a write the way a process killed mid-upload leaves it: begun, never finished. */
  leaveUnfinishedWrite(key: string): Promise<void>;
  close(): Promise<void>;
}

async function localSubject(): Promise<Subject> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yym-storage-'));
  const storage = new LocalDiskStorage(root);
  return {
    storage,
    async leaveUnfinishedWrite() {
      const part = path.join(root, '.tmp', `${randomBytes(4).toString('hex')}.part`);
      fs.writeFileSync(part, randomBytes(1000));
      const old = new Date(Date.now() - 10_000);
      fs.utimesSync(part, old, old);
    },
    async close() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

async function s3Subject(bucket: TestBucket, prefix = ''): Promise<Subject> {
  const { settings, name } = bucket;
  const storage = new S3Storage({
    endpoint: settings.endpoint,
    region: settings.region,
    bucket: name,
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    forcePathStyle: true,
    prefix,
    createBucket: false,
    publicEndpoint: settings.endpoint,
  });
  await storage.check();
  return {
    storage,
    async leaveUnfinishedWrite(key) {
      const client = s3TestClient(settings);
      try {
        const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: name, Key: prefix + key }));
        const body = randomBytes(1000);
        await client.send(new UploadPartCommand({ Bucket: name, Key: prefix + key, UploadId, PartNumber: 1, Body: body, ContentLength: body.length }));
      } finally {
        client.destroy();
      }
    },
    async close() {
      storage.close();
    },
  };
}

const server = s3TestServer();
const kinds: Array<'local' | 's3' | 's3 with prefix'> = server ? ['local', 's3', 's3 with prefix'] : ['local'];
let bucket: TestBucket | null = null;

beforeAll(async () => {
  if (server) bucket = await createTestBucket('contract');
}, 60_000);
afterAll(async () => {
  await bucket?.remove();
}, 60_000);

describe.each(kinds)('object storage contract: %s', (kind) => {
  let subject: Subject;
  let storage: Storage;
  // Each test gets its own prefix inside the shared bucket (and the prefixed adapter one more level).
  let ns: string;

  beforeEach(async () => {
    subject = kind === 'local' ? await localSubject() : await s3Subject(bucket!, kind === 's3 with prefix' ? 'install-a/' : '');
    storage = subject.storage;
    ns = `t${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await subject.close();
  });

  test('bytes put under a key come back identical, by get and by stream, with their size', async () => {
    const data = randomBytes(300_000);
    await storage.put(`${ns}/a.webp`, data);
    expect((await storage.get(`${ns}/a.webp`)).equals(data)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.stream(`${ns}/a.webp`)) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(await storage.size(`${ns}/a.webp`)).toBe(data.length);
    expect(await storage.exists(`${ns}/a.webp`)).toBe(true);
  });

  test('a file larger than one upload part (multipart on S3) is stored byte for byte', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yym-big-')), 'big.jpg');
    const data = randomBytes(17 * 1024 * 1024 + 123);
    fs.writeFileSync(file, data);
    try {
      await storage.putFile(`${ns}/originals/big`, file);
      expect(await storage.size(`${ns}/originals/big`)).toBe(data.length);
      expect((await storage.get(`${ns}/originals/big`)).equals(data)).toBe(true);
      expect(fs.readFileSync(file).length).toBe(data.length); // the source stays where it was
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  }, 60_000);

  test('a small file is stored from disk too', async () => {
    const file = path.join(os.tmpdir(), `yym-small-${randomBytes(4).toString('hex')}.jpg`);
    fs.writeFileSync(file, 'small');
    try {
      await storage.putFile(`${ns}/small`, file);
      expect((await storage.get(`${ns}/small`)).toString()).toBe('small');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  test('an absent key: get and stream throw ObjectNotFoundError, size is null, delete is fine', async () => {
    await expect(storage.get(`${ns}/missing`)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.stream(`${ns}/missing`)).rejects.toBeInstanceOf(ObjectNotFoundError);
    expect(await storage.size(`${ns}/missing`)).toBeNull();
    expect(await storage.exists(`${ns}/missing`)).toBe(false);
    expect(await storage.writtenAt(`${ns}/missing`)).toBeNull();
    await expect(storage.delete(`${ns}/missing`)).resolves.toBeUndefined();
  });

  test('putting a key again keeps its bytes and counts as a fresh write', async () => {
    await storage.put(`${ns}/same`, Buffer.from('content'));
    const first = (await storage.writtenAt(`${ns}/same`))!;
    // S3 keeps LastModified to the second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await storage.put(`${ns}/same`, Buffer.from('content'));
    expect((await storage.get(`${ns}/same`)).toString()).toBe('content');
    expect((await storage.writtenAt(`${ns}/same`))!.getTime()).toBeGreaterThan(first.getTime());
  });

  test('list gives every key under a prefix, sorted, with when each was written; delete removes one', async () => {
    const before = Date.now() - 5000;
    for (const key of ['images/b.webp', 'images/a.jpg', 'originals/x', 'other/y']) await storage.put(`${ns}/${key}`, Buffer.from(key));
    expect(await storage.list(`${ns}/images`)).toEqual([`${ns}/images/a.jpg`, `${ns}/images/b.webp`]);
    expect(await storage.list(`${ns}/`)).toEqual([`${ns}/images/a.jpg`, `${ns}/images/b.webp`, `${ns}/originals/x`, `${ns}/other/y`]);
    const written = await storage.listWritten(`${ns}/originals`);
    expect(written.map((w) => w.key)).toEqual([`${ns}/originals/x`]);
    expect(written[0].writtenAt.getTime()).toBeGreaterThan(before);
    await storage.delete(`${ns}/images/a.jpg`);
    expect(await storage.list(`${ns}/images`)).toEqual([`${ns}/images/b.webp`]);
  });

  test('an unfinished write is never readable or listed, and the sweep of abandoned writes removes it', async () => {
    await subject.leaveUnfinishedWrite(`${ns}/originals/half`);
    expect(await storage.exists(`${ns}/originals/half`)).toBe(false);
    expect(await storage.list(`${ns}`)).toEqual([]);
    expect(await storage.removeAbandonedWrites(new Date(Date.now() - 3_600_000))).toBe(0);
    expect(await storage.removeAbandonedWrites(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await storage.removeAbandonedWrites(new Date(Date.now() + 60_000))).toBe(0);
  });

  test('keys a client could have shaped are refused before any I/O', async () => {
    for (const key of ['../etc/passwd', '/abs', 'a/../b', 'Upper/case', '', 'a//b', 'x'.repeat(201)])
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
  });
});

(server ? describe : describe.skip)('S3 storage, seen from the bucket', () => {
  test('a prefixed installation keeps to its prefix: another prefix in the same bucket sees none of its keys', async () => {
    const a = await s3Subject(bucket!, 'install-a/');
    const b = await s3Subject(bucket!, 'install-b/');
    try {
      await a.storage.put('images/shared.webp', Buffer.from('a'));
      expect(await b.storage.exists('images/shared.webp')).toBe(false);
      expect(await b.storage.list('images')).toEqual([]);
      await b.storage.put('images/shared.webp', Buffer.from('b'));
      expect((await a.storage.get('images/shared.webp')).toString()).toBe('a');
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a presigned link serves its object to anyone who has it, and no other key', async () => {
    const s = await s3Subject(bucket!);
    try {
      const data = randomBytes(5000);
      await s.storage.put('images/presigned.webp', data);
      const url = await (s.storage as S3Storage).presignedUrl('images/presigned.webp', 60, 'image/webp');
      const answer = await fetch(url);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('image/webp');
      expect(Buffer.from(await answer.arrayBuffer()).equals(data)).toBe(true);
      const tampered = url.replace('presigned.webp', 'other.webp');
      expect((await fetch(tampered)).status).toBe(403);
    } finally {
      await s.close();
    }
  });
});
