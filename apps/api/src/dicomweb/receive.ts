import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import yauzl from "yauzl";
import type { Request } from "express";
import { DicomFileRejected, parseStoredFile } from "../modules/dicom-store/dicom-file";
import type { IncomingFile } from "../modules/dicom-store/ingest.service";
import { ObjectTooLargeError, type ObjectStorage } from "../storage/storage";
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

async function storeOne(storage: ObjectStorage, stream: Readable, name: string, maxFileBytes: number): Promise<IncomingFile> {
  try {
    const stored = await storage.put(stream, { maxBytes: maxFileBytes });
    try {
      const bytes = await storage.read(stored.key);
      return { name, stored, parsed: parseStoredFile(bytes, name), error: null };
    } catch (e) {
      if (e instanceof DicomFileRejected) return { name, stored, parsed: null, error: e };
      throw e;
    }
  } catch (e) {
    if (e instanceof ObjectTooLargeError) {
      stream.resume();
      return { name, stored: null, parsed: null, error: new DicomFileRejected(`file exceeds the limit of ${maxFileBytes} bytes`, 0xa700) };
    }
    throw e;
  }
}

function consumed(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.readableEnded || stream.destroyed) return resolve();
    stream.once("end", () => resolve());
    stream.once("close", () => resolve());
    stream.once("error", () => resolve());
  });
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
  await parseMultipart(
    metered(req, limits.maxRequestBytes),
    boundary,
    async (headers, stream, index) => {
      const partType = parseMediaType(headers["content-type"])?.type ?? "application/dicom";
      if (partType !== "application/dicom") {
        stream.resume();
        pending.push(Promise.resolve({ name: `part ${index + 1}`, stored: null, parsed: null, error: new DicomFileRejected(`part Content-Type ${partType} is not application/dicom`, 0xc000) }));
        await consumed(stream);
        return;
      }
      const job = storeOne(storage, stream, `part ${index + 1}`, limits.maxFileBytes);
      job.catch(() => undefined);
      pending.push(job);
      await consumed(stream);
    },
    { maxParts: limits.maxFiles },
  );
  return Promise.all(pending);
}

/** Zip archive: stored to a temp file, then each entry streamed to storage (yauzl, lazy entries). */
async function receiveZip(zipPath: string, storage: ObjectStorage, limits: ReceiveLimits, count: { n: number }, out: Promise<IncomingFile>[], prefix: string): Promise<void> {
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
        const job = storeOne(storage, rs, `${prefix}/${name}`, limits.maxFileBytes);
        job.catch(() => undefined);
        out.push(job);
        job.then(() => zip.readEntry(), reject);
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
          .then(() => receiveZip(tmp, storage, limits, count, out, name))
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
      const job = storeOne(storage, stream, name, limits.maxFileBytes);
      job.catch(() => undefined);
      out.push(job);
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
  return files;
}
