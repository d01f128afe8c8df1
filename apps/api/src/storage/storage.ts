import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, stat, unlink, readFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";

/** Result of storing one object. */
export interface StoredObject {
  /** Content address: the lower-case hex SHA-256 of the bytes. */
  key: string;
  sha256: string;
  size: number;
}

export interface PutOptions {
  /** Refuse (ObjectTooLargeError) past this many bytes; nothing is kept. */
  maxBytes?: number;
  /** Sees every chunk as it is written (callers keep small objects in memory to parse them). */
  tap?: (chunk: Buffer) => void;
}

/** Thrown when an object exceeds the caller's byte limit (nothing is kept). */
export class ObjectTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`object exceeds the limit of ${limitBytes} bytes`);
  }
}

/**
 * Object storage for DICOM files. Content-addressed: `put` returns the SHA-256 of what it
 * stored as the key, so storing the same bytes twice is one object and a stored object is
 * never overwritten with different bytes.
 *
 * Implementations: {@link LocalFileStorage} (default, under the data directory). An
 * S3-compatible backend implements the same interface (design in README "Imaging"):
 * `put` → multipart upload to a temporary key while hashing, then CopyObject to
 * `dicom/<sha256[0..2]>/<sha256>` (If-None-Match: * so an existing object is kept) and delete
 * the temporary key; `get` → GetObject (with Range for frames); `exists` → HeadObject.
 * Configuration: DICOM_STORAGE=s3, S3_ENDPOINT, S3_BUCKET, S3_REGION, credentials from the
 * standard AWS environment/instance role (never in this repository).
 */
export interface ObjectStorage {
  /** Streams the bytes to storage; atomic (a crash leaves no partial object under its key). */
  put(stream: Readable, options?: PutOptions): Promise<StoredObject>;
  /** Stores bytes already in memory (same guarantees as `put`). */
  putBytes(bytes: Buffer): Promise<StoredObject>;
  /** Makes every completed `put` durable (group commit); call before indexing the keys. */
  sync(): Promise<void>;
  /** A stream of the object, optionally a byte range [start, end] inclusive. */
  get(key: string, range?: { start: number; end: number }): Readable;
  /** The whole object in memory (callers use it for one instance at a time). */
  read(key: string): Promise<Buffer>;
  /** Reads `length` bytes at `offset` (frame retrieval). */
  readRange(key: string, offset: number, length: number): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
}

const KEY = /^[0-9a-f]{64}$/;

/**
 * Local filesystem storage: `<root>/<aa>/<sha256>` where `aa` is the first two hex digits.
 * Write path: temp file in `<root>/tmp` (same filesystem) while hashing → fdatasync → rename to
 * the content address (atomic on POSIX); `sync()` then fsyncs the touched directories once per
 * request (group commit) before the index transaction. Content that is already stored is not
 * written again. A crash leaves at most a temp file (removed on the next start by
 * {@link LocalFileStorage.cleanTemp}) or an unindexed object (harmless; re-sending reuses it).
 */
export class LocalFileStorage implements ObjectStorage {
  private readonly tmpDir: string;
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private readonly dirs = new Set<string>();
  private readonly dirtyDirs = new Set<string>();

  constructor(readonly root: string) {
    this.root = path.resolve(root);
    this.tmpDir = path.join(this.root, "tmp");
  }

  async init(): Promise<this> {
    await mkdir(this.tmpDir, { recursive: true });
    return this;
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error("invalid storage key");
    return path.join(this.root, key.slice(0, 2), key);
  }

  async put(stream: Readable, options: PutOptions = {}): Promise<StoredObject> {
    const tmp = path.join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash("sha256");
    let size = 0;
    const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const fh = await open(tmp, "wx");
    let closed = false;
    try {
      for await (const chunk of stream) {
        const b = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
        size += b.length;
        if (size > max) throw new ObjectTooLargeError(max);
        hash.update(b);
        options.tap?.(b);
        await fh.write(b);
      }
      const sha256 = hash.digest("hex");
      if (await this.exists(sha256)) {
        // same content already stored: nothing to make durable
        await fh.close();
        closed = true;
        await unlink(tmp);
        return { key: sha256, sha256, size };
      }
      await fh.datasync();
      await fh.close();
      closed = true;
      const dest = this.pathOf(sha256);
      const dir = path.dirname(dest);
      if (!this.dirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.dirs.add(dir);
      }
      await rename(tmp, dest);
      this.dirtyDirs.add(dir);
      return { key: sha256, sha256, size };
    } catch (e) {
      if (!closed) await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  async putBytes(bytes: Buffer): Promise<StoredObject> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (await this.exists(sha256)) return { key: sha256, sha256, size: bytes.length };
    const tmp = path.join(this.tmpDir, `${randomUUID()}.part`);
    const fh = await open(tmp, "wx");
    try {
      await fh.write(bytes);
      await fh.datasync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await fh.close();
    const dest = this.pathOf(sha256);
    const dir = path.dirname(dest);
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    await rename(tmp, dest);
    this.dirtyDirs.add(dir);
    return { key: sha256, sha256, size: bytes.length };
  }

  /**
   * Makes the renames of every `put` so far durable (fsync of the touched directories, in
   * parallel): a group commit. Callers sync before they index what they stored.
   */
  async sync(): Promise<void> {
    const dirs = [...this.dirtyDirs];
    this.dirtyDirs.clear();
    await Promise.all(
      dirs.map(async (d) => {
        const dh = await open(d, "r");
        try {
          await dh.sync();
        } finally {
          await dh.close();
        }
      }),
    );
  }

  get(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  read(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  /** Frame reads use a small cache of open read-only handles (objects are immutable). */
  async readRange(key: string, offset: number, length: number): Promise<Buffer> {
    let h = this.handles.get(key);
    if (!h) {
      h = open(this.pathOf(key), "r");
      this.handles.set(key, h);
      if (this.handles.size > 256) {
        const [oldest] = this.handles.keys();
        if (oldest !== undefined) {
          const old = this.handles.get(oldest);
          this.handles.delete(oldest);
          void old?.then((f) => f.close()).catch(() => undefined);
        }
      }
    }
    const fh = await h.catch((e: unknown) => {
      this.handles.delete(key);
      throw e;
    });
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return bytesRead === length ? buf : buf.subarray(0, bytesRead);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  /** Removes temp files left by a crash (call at start-up, before accepting uploads). */
  async cleanTemp(): Promise<number> {
    const { readdir } = await import("node:fs/promises");
    let n = 0;
    for (const f of await readdir(this.tmpDir).catch(() => [] as string[])) {
      if (f.endsWith(".part")) {
        await unlink(path.join(this.tmpDir, f)).catch(() => undefined);
        n++;
      }
    }
    return n;
  }

  async close(): Promise<void> {
    const hs = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(hs.map((h) => h.then((f) => f.close()).catch(() => undefined)));
  }
}
