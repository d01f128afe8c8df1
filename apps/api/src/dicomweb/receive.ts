import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import yauzl from "yauzl";
import type { Request } from "express";
import { DicomFileRejected, parseStoredFile } from "../modules/dicom-store/dicom-file";
import type { IncomingFile } from "../modules/dicom-store/ingest.service";
import { ObjectTooLargeError, type ObjectStorage, type StoredObject } from "../storage/storage";
import { MultipartError, parseMediaType, parseMultipart } from "./multipart";

/**
 * Receiving DICOM files from a request, streaming each one to storage (never buffering the
 * request), then parsing it for the index. Limits: request bytes, number of files, bytes per
 * file. Returns one {@link IncomingFile} per file (refused files carry their reason).
 */
export interface ReceiveLimits {
  maxRequestBytes: number;
  maxFiles: number;
  maxFileBytes: number;
}

export class RequestLimitError extends MultipartError {
  constructor(message: string) {
    super(message, 413);
  }
}

/** Counts request bytes and fails the request past the limit. */
async function* metered(req: Readable, max: number): AsyncGenerator<Buffer> {
  let n = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    n += b.length;
    if (n > max) throw new RequestLimitError(`request exceeds the limit of ${max} bytes`);
    yield b;
  }
}

/** Parts up to this size are read into memory and written to storage in the background. */
const MEMORY_PART_BYTES = 16 * 1024 * 1024;
/** Bytes of such parts in flight (received, not yet stored) per request: the receive backpressure. */
const MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024;

/** A byte budget: `take` waits while the in-flight total would exceed the maximum. */
class ByteBudget {
  private used = 0;
  private waiters: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async take(n: number): Promise<void> {
    while (this.used > 0 && this.used + n > this.max) await new Promise<void>((r) => this.waiters.push(r));
    this.used += n;
  }
  give(n: number): void {
    this.used -= n;
    for (const w of this.waiters.splice(0)) w();
  }
}

function parsedFile(name: string, stored: StoredObject, bytes: Buffer): IncomingFile {
  try {
    return { name, stored, parsed: parseStoredFile(bytes, name), error: null };
  } catch (e) {
    if (e instanceof DicomFileRejected) return { name, stored, parsed: null, error: e };
    throw e;
  }
}

/**
 * Receives one file. Small files (≤ 16 MB, every PET/SPECT slice) are read into memory — the
 * request parser moves on at once — and hashed, written, fsynced and parsed in the background
 * within a per-request byte budget; larger files are streamed to storage. `consumed` resolves
 * when the part's bytes have been read, `result` when the file is stored and parsed.
 */
function storeOne(storage: ObjectStorage, stream: Readable, name: string, maxFileBytes: number, budget: ByteBudget): { consumed: Promise<void>; result: Promise<IncomingFile> } {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let resolveResult!: (f: Promise<IncomingFile>) => void;
  const result = new Promise<IncomingFile>((r) => (resolveResult = r));
  const consumed = (async () => {
    const chunks: Buffer[] = [];
    let n = 0;
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      n += r.value.length;
      if (n > maxFileBytes) {
        while (!(await it.next()).done) {
          /* drain */
        }
        resolveResult(Promise.resolve({ name, stored: null, parsed: null, error: new DicomFileRejected(`file exceeds the limit of ${maxFileBytes} bytes`, 0xa700) }));
        return;
      }
      chunks.push(r.value);
      if (n > MEMORY_PART_BYTES) {
        // large object: stream the rest straight to storage, then read it back to parse
        const rest = Readable.from((async function* () {
          yield* chunks;
          for (;;) {
            const x = await it.next();
            if (x.done) return;
            yield x.value;
          }
        })());
        const p = storage.put(rest, { maxBytes: maxFileBytes }).then(
          async (stored) => parsedFile(name, stored, await storage.read(stored.key)),
          (e: unknown) => {
            if (e instanceof ObjectTooLargeError) return { name, stored: null, parsed: null, error: new DicomFileRejected(`file exceeds the limit of ${maxFileBytes} bytes`, 0xa700) };
            throw e;
          },
        );
        resolveResult(p);
        await p.catch(() => undefined);
        return;
      }
    }
    const bytes = Buffer.concat(chunks, n);
    await budget.take(n);
    resolveResult(
      storage
        .putBytes(bytes)
        .then((stored) => parsedFile(name, stored, bytes))
        .finally(() => budget.give(n)),
    );
  })();
  consumed.catch((e: unknown) => resolveResult(Promise.reject(e instanceof Error ? e : new Error(String(e)))));
  return { consumed: consumed.catch(() => undefined), result };
}

/**
 * STOW-RS body: `multipart/related; type="application/dicom"; boundary=...` (PS3.18 §10.5).
 * Parts are stored while the next part is read; fsync/rename and parsing overlap with receiving.
 * @throws MultipartError (400/413/415) for a bad or oversized body.
 */
export async function receiveStow(req: Request, storage: ObjectStorage, limits: ReceiveLimits): Promise<IncomingFile[]> {
  const ct = parseMediaType(req.headers["content-type"]);
  if (!ct || ct.type !== "multipart/related") throw new MultipartError("Content-Type must be multipart/related; type=\"application/dicom\"", 415);
  const type = (ct.params.type ?? "application/dicom").toLowerCase();
  if (type !== "application/dicom") throw new MultipartError(`multipart/related type ${type} is not supported (only application/dicom)`, 415);
  const boundary = ct.params.boundary;
  if (!boundary) throw new MultipartError("multipart boundary missing");
  const len = Number(req.headers["content-length"] ?? 0);
  if (len > limits.maxRequestBytes) throw new RequestLimitError(`request exceeds the limit of ${limits.maxRequestBytes} bytes`);
  const pending: Promise<IncomingFile>[] = [];
  const budget = new ByteBudget(MAX_IN_FLIGHT_BYTES);
  await parseMultipart(
    metered(req, limits.maxRequestBytes),
    boundary,
    async (headers, stream, index) => {
      const partType = parseMediaType(headers["content-type"])?.type ?? "application/dicom";
      if (partType !== "application/dicom") {
        pending.push(Promise.resolve({ name: `part ${index + 1}`, stored: null, parsed: null, error: new DicomFileRejected(`part Content-Type ${partType} is not application/dicom`, 0xc000) }));
        for await (const chunk of stream) void chunk; // drain
        return;
      }
      const h = storeOne(storage, stream, `part ${index + 1}`, limits.maxFileBytes, budget);
      h.result.catch(() => undefined);
      pending.push(h.result);
      await h.consumed;
    },
    { maxParts: limits.maxFiles },
  );
  const files = await Promise.all(pending);
  await storage.sync();
  return files;
}

/** Zip archive: stored to a temp file, then each entry streamed to storage (yauzl, lazy entries). */
async function receiveZip(zipPath: string, storage: ObjectStorage, limits: ReceiveLimits, count: { n: number }, out: Promise<IncomingFile>[], prefix: string, budget: ByteBudget): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(zipPath, { lazyEntries: true, autoClose: true }, (err, z) => (err || !z ? reject(err ?? new Error("zip")) : resolve(z))));
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve());
    zip.on("entry", (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const base = path.posix.basename(name);
      if (name.endsWith("/") || name.startsWith("__MACOSX/") || base.startsWith(".") || base.toUpperCase() === "DICOMDIR") {
        zip.readEntry();
        return;
      }
      if (++count.n > limits.maxFiles) {
        zip.close();
        reject(new RequestLimitError(`more than ${limits.maxFiles} files`));
        return;
      }
      if (entry.uncompressedSize > limits.maxFileBytes) {
        out.push(Promise.resolve({ name: `${prefix}/${name}`, stored: null, parsed: null, error: new DicomFileRejected(`file exceeds the limit of ${limits.maxFileBytes} bytes`, 0xa700) }));
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, rs) => {
        if (err || !rs) {
          out.push(Promise.resolve({ name: `${prefix}/${name}`, stored: null, parsed: null, error: new DicomFileRejected("zip entry could not be read", 0xc000) }));
          zip.readEntry();
          return;
        }
        const h = storeOne(storage, rs, `${prefix}/${name}`, limits.maxFileBytes, budget);
        h.result.catch(() => undefined);
        out.push(h.result);
        void h.consumed.then(() => zip.readEntry(), reject);
      });
    });
    zip.readEntry();
  });
}

/**
 * Web-app upload: `multipart/form-data` with any number of DICOM files and/or zip archives
 * (busboy, streaming). Zip archives are spooled to a temp file (yauzl needs random access).
 */
export async function receiveUpload(req: Request, storage: ObjectStorage, limits: ReceiveLimits, tmpDir: string): Promise<IncomingFile[]> {
  const ct = parseMediaType(req.headers["content-type"]);
  if (!ct || ct.type !== "multipart/form-data") throw new MultipartError("Content-Type must be multipart/form-data", 415);
  const len = Number(req.headers["content-length"] ?? 0);
  if (len > limits.maxRequestBytes) throw new RequestLimitError(`request exceeds the limit of ${limits.maxRequestBytes} bytes`);
  const out: Promise<IncomingFile>[] = [];
  const zips: Promise<void>[] = [];
  const count = { n: 0 };
  const budget = new ByteBudget(MAX_IN_FLIGHT_BYTES);
  let failure: Error | null = null;
  await new Promise<void>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: limits.maxFiles, fileSize: limits.maxRequestBytes } });
    } catch (e) {
      reject(new MultipartError(e instanceof Error ? e.message : "bad multipart body"));
      return;
    }
    let bytes = 0;
    bb.on("file", (_field, stream, info) => {
      const name = info.filename || "file";
      const isZip = /\.zip$/i.test(name) || info.mimeType === "application/zip" || info.mimeType === "application/x-zip-compressed";
      if (isZip) {
        const tmp = path.join(tmpDir, `${randomUUID()}.zip.part`);
        const p = pipeline(stream, createWriteStream(tmp))
          .then(() => receiveZip(tmp, storage, limits, count, out, name, budget))
          .finally(() => unlink(tmp).catch(() => undefined));
        p.catch((e: unknown) => {
          failure ??= e instanceof Error ? e : new Error(String(e));
        });
        zips.push(p);
        return;
      }
      if (++count.n > limits.maxFiles) {
        failure ??= new RequestLimitError(`more than ${limits.maxFiles} files`);
        stream.resume();
        return;
      }
      const h = storeOne(storage, stream, name, limits.maxFileBytes, budget);
      h.result.catch(() => undefined);
      out.push(h.result);
    });
    bb.on("filesLimit", () => {
      failure ??= new RequestLimitError(`more than ${limits.maxFiles} files`);
    });
    bb.on("error", (e: unknown) => reject(new MultipartError(e instanceof Error ? e.message : "bad multipart body")));
    bb.on("close", () => resolve());
    req.on("data", (c: Buffer) => {
      bytes += c.length;
      if (bytes > limits.maxRequestBytes) {
        failure ??= new RequestLimitError(`request exceeds the limit of ${limits.maxRequestBytes} bytes`);
        req.unpipe(bb);
        req.resume();
        resolve();
      }
    });
    req.pipe(bb);
  });
  await Promise.allSettled(zips);
  const files = await Promise.all(out);
  if (failure) throw failure;
  await storage.sync();
  return files;
}
