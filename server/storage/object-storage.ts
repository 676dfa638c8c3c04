import type { Readable } from 'node:stream';

/**
 * Where file bytes live. Keys are content-addressed paths chosen by the server
 * (`originals/<sha256>`, `images/<sha256>.webp`), never anything a client sent.
 * Every put is atomic: a key is either absent or holds its complete bytes.
 */
export interface ObjectStorage {
  /** Stores bytes; a key that already exists is left as it is (same key, same content). */
  put(key: string, data: Buffer): Promise<void>;
  /** Stores a local file's bytes under the key (the file itself is left in place). */
  putFile(key: string, filePath: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  stream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /** Size in bytes, or null when the key is absent. */
  size(key: string): Promise<number | null>;
  /** Removing an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Every key under a prefix (for checks and clean-up). */
  list(prefix: string): Promise<string[]>;
}

/**
 * Storage that knows when each object was last written, so what crashed processes left behind
 * (an object no record came to name, a write never finished) can be swept after a grace period.
 */
export interface SweepableStorage {
  /** When the key was last written, or null when absent; a put of a key already there counts. */
  writtenAt(key: string): Promise<Date | null>;
  /** Every key under a prefix with when it was last written, in one listing (no request per key). */
  listWritten(prefix: string): Promise<Array<{ key: string; writtenAt: Date }>>;
  /** Removes writes begun before `before` that never finished (their process died); returns how many. */
  removeAbandonedWrites(before: Date): Promise<number>;
}

/** Storage that can hand out a short-lived link to an object, for clients to fetch it directly. */
export interface PresigningStorage {
  presignedUrl(key: string, seconds: number, contentType?: string): Promise<string>;
}

export function canPresign(storage: ObjectStorage): storage is ObjectStorage & PresigningStorage {
  return typeof (storage as Partial<PresigningStorage>).presignedUrl === 'function';
}

const KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

export function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.includes('..') || key.length > 200) throw new Error(`invalid storage key "${key}"`);
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no object stored under "${key}"`);
    this.name = 'ObjectNotFoundError';
  }
}

/** The storage did not answer, or refused us (network down, credentials revoked): worth retrying later. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}
