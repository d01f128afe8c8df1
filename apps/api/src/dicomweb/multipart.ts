import { PassThrough, type Readable } from "node:stream";

/**
 * Streaming parser and writer for `multipart/related` (RFC 2387 over the RFC 2046 multipart
 * syntax), as used by STOW-RS requests and WADO-RS responses (DICOM PS3.18 §8.6.1.2).
 * The parser never holds more than one chunk plus a delimiter's length of a part in memory:
 * each part's body is handed out as a stream and the parser waits for the consumer
 * (backpressure), so a large study is never buffered.
 */

export class MultipartError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

export interface PartHeaders {
  [name: string]: string;
}

/** Parsed `type/subtype; k=v; k="v"` (parameter names lower-cased). */
export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** Parses one media type with parameters (quoted or token values). */
export function parseMediaType(value: string | undefined): MediaType | null {
  if (!value) return null;
  const parts = splitParams(value);
  const type = parts.shift()?.trim().toLowerCase();
  if (!type || !/^[\w.+*-]+\/[\w.+*-]+$/.test(type)) return null;
  const params: Record<string, string> = {};
  for (const p of parts) {
    const i = p.indexOf("=");
    if (i <= 0) continue;
    const k = p.slice(0, i).trim().toLowerCase();
    let v = p.slice(i + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, "$1");
    params[k] = v;
  }
  return { type, params };
}

/** Splits on `;` outside quotes. */
function splitParams(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' && s[i - 1] !== "\\") q = !q;
    if (c === ";" && !q) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Splits an Accept header on `,` outside quotes. */
export function splitAccept(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' && s[i - 1] !== "\\") q = !q;
    if (c === "," && !q) {
      out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export interface MultipartLimits {
  /** Max bytes of one part's header block. */
  maxHeaderBytes?: number;
  /** Max number of parts. */
  maxParts?: number;
}

const CRLF = Buffer.from("\r\n");

/**
 * Reads a multipart body and calls `onPart` for each part with its headers and a stream of its
 * body. Parts are processed one at a time, in order; the promise returned by `onPart` must
 * consume the stream. Resolves when the closing delimiter was read.
 *
 * @throws MultipartError on a missing boundary, malformed headers, a truncated body (no closing
 *   delimiter) or too many parts; errors thrown by `onPart` are propagated.
 */
export async function parseMultipart(
  body: AsyncIterable<Buffer | string>,
  boundary: string,
  onPart: (headers: PartHeaders, stream: Readable, index: number) => Promise<void>,
  limits: MultipartLimits = {},
): Promise<number> {
  if (!boundary || boundary.length > 200) throw new MultipartError("multipart boundary missing or too long");
  const delim = Buffer.from(`\r\n--${boundary}`);
  const maxHeader = limits.maxHeaderBytes ?? 16 * 1024;
  const maxParts = limits.maxParts ?? Number.POSITIVE_INFINITY;
  type State = "preamble" | "after-delim" | "headers" | "body" | "done";
  let state: State = "preamble";
  // A virtual CRLF before the body lets the first delimiter match without one.
  let buf: Buffer = Buffer.from(CRLF);
  let part: PassThrough | null = null;
  let consumer: Promise<void> | null = null;
  let consumerError: unknown = null;
  let index = 0;

  const write = async (chunk: Buffer) => {
    if (!part || chunk.length === 0) return;
    if (consumerError) throw consumerError;
    if (!part.write(chunk)) {
      const p = part;
      await new Promise<void>((resolve) => {
        const done = () => {
          p.off("drain", done);
          p.off("close", done);
          resolve();
        };
        p.on("drain", done);
        p.on("close", done);
      });
      if (consumerError) throw consumerError;
    }
  };

  const finishPart = async () => {
    if (!part) return;
    part.end();
    const c = consumer;
    part = null;
    consumer = null;
    await c;
    if (consumerError) throw consumerError;
  };

  try {
    const process = async (): Promise<void> => {
      for (;;) {
        if (state === "preamble") {
          const i = buf.indexOf(delim);
          if (i < 0) {
            // keep a tail that could start the delimiter
            if (buf.length > delim.length) buf = buf.subarray(buf.length - delim.length + 1);
            return;
          }
          buf = buf.subarray(i + delim.length);
          state = "after-delim";
        } else if (state === "after-delim") {
          if (buf.length < 2) return;
          if (buf[0] === 0x2d && buf[1] === 0x2d) {
            state = "done";
            return;
          }
          const eol = buf.indexOf(CRLF);
          if (eol < 0) {
            if (buf.length > 256) throw new MultipartError("malformed multipart delimiter line");
            return;
          }
          if (buf.subarray(0, eol).toString("latin1").trim() !== "") throw new MultipartError("malformed multipart delimiter line");
          buf = buf.subarray(eol + 2);
          state = "headers";
        } else if (state === "headers") {
          let headers: PartHeaders;
          if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
            headers = {};
            buf = buf.subarray(2);
          } else {
            const end = buf.indexOf("\r\n\r\n");
            if (end < 0) {
              if (buf.length > maxHeader) throw new MultipartError("multipart part headers too large");
              return;
            }
            headers = {};
            for (const line of buf.subarray(0, end).toString("utf8").split("\r\n")) {
              const c = line.indexOf(":");
              if (c <= 0) throw new MultipartError("malformed multipart part header");
              headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
            }
            buf = buf.subarray(end + 4);
          }
          if (index >= maxParts) throw new MultipartError(`too many parts (limit ${maxParts})`, 413);
          const p = new PassThrough({ highWaterMark: 256 * 1024 });
          part = p;
          consumer = onPart(headers, p, index++).catch((e: unknown) => {
            consumerError = e;
            p.resume(); // drain so the writer never blocks on a failed consumer
          });
          state = "body";
        } else if (state === "body") {
          const i = buf.indexOf(delim);
          if (i >= 0) {
            await write(buf.subarray(0, i));
            buf = buf.subarray(i + delim.length);
            await finishPart();
            state = "after-delim";
          } else {
            const keep = delim.length - 1;
            if (buf.length > keep) {
              const out = buf.subarray(0, buf.length - keep);
              buf = buf.subarray(buf.length - keep);
              await write(out);
            }
            return;
          }
        } else {
          return;
        }
      }
    };

    for await (const chunk of body) {
      const c = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      buf = buf.length ? Buffer.concat([buf, c]) : c;
      await process();
      if ((state as State) === "done") break;
    }
    if ((state as State) !== "done") throw new MultipartError("multipart body truncated: closing delimiter not found");
    return index;
  } catch (e) {
    const p = part as PassThrough | null;
    if (p) {
      p.on("error", () => undefined); // the consumer sees the destroy; the error is rethrown below
      p.destroy(e instanceof Error ? e : new Error(String(e)));
      await (consumer as Promise<void> | null)?.catch(() => undefined);
    }
    throw e;
  }
}

/** A random boundary for responses. */
export function newBoundary(): string {
  return `lutetia-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}
