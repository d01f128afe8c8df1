import { describe, expect, it } from "vitest";
import { buffer } from "node:stream/consumers";
import { MultipartError, parseMediaType, parseMultipart, splitAccept } from "./multipart";
import { negotiate } from "./router";

async function* chunks(buf: Buffer, size: number) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

function body(boundary: string, parts: Buffer[], preamble = "", epilogue = "") {
  const out: Buffer[] = [Buffer.from(preamble)];
  for (const p of parts) out.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), p, Buffer.from("\r\n"));
  out.push(Buffer.from(`--${boundary}--\r\n${epilogue}`));
  return Buffer.concat(out);
}

async function collect(buf: Buffer, boundary: string, size: number) {
  const got: { headers: Record<string, string>; data: Buffer }[] = [];
  await parseMultipart(chunks(buf, size), boundary, async (headers, stream) => {
    got.push({ headers, data: await buffer(stream) });
  });
  return got;
}

describe("multipart/related streaming parser", () => {
  // Parts containing CRLF, dashes and a near-boundary sequence; every chunk size from 1 byte.
  const b = "bnd-42";
  const parts = [
    Buffer.from("\r\n--bnd-4 not quite\r\n--"),
    Buffer.alloc(0),
    Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251)),
    Buffer.from("tail\r\n"),
  ];
  const raw = body(b, parts, "preamble text\r\n", "epilogue");

  it.each([1, 2, 3, 7, 13, 64, 4096, 1 << 20])("recovers every part byte-for-byte with %i-byte chunks", async (size) => {
    const got = await collect(raw, b, size);
    expect(got.map((g) => g.data.toString("hex"))).toEqual(parts.map((p) => p.toString("hex")));
    expect(got[0]!.headers["content-type"]).toBe("application/dicom");
  });

  it("refuses a body without the closing delimiter", async () => {
    const truncated = raw.subarray(0, raw.length - 20);
    await expect(collect(truncated, b, 100)).rejects.toBeInstanceOf(MultipartError);
  });

  it("enforces the part limit with 413", async () => {
    const p = parseMultipart(chunks(raw, 50), b, async (_h, s) => void (await buffer(s)), { maxParts: 2 });
    await expect(p).rejects.toMatchObject({ status: 413 });
  });

  it("propagates a consumer failure and stops", async () => {
    const p = parseMultipart(chunks(raw, 10), b, async (_h, s) => {
      s.resume();
      throw new Error("disk full");
    });
    await expect(p).rejects.toThrow("disk full");
  });

  it("parses media types and Accept lists with quoted parameters", () => {
    expect(parseMediaType('multipart/related; type="application/dicom"; boundary="a;b"')).toEqual({ type: "multipart/related", params: { type: "application/dicom", boundary: "a;b" } });
    expect(splitAccept('multipart/related; type="application/octet-stream"; transfer-syntax=*, */*;q=0.1')).toHaveLength(2);
  });
});

describe("WADO-RS transfer syntax negotiation", () => {
  const ELE = "1.2.840.10008.1.2.1";
  const JLS = "1.2.840.10008.1.2.4.80";
  it("returns the stored syntax for *, absent or matching requests", () => {
    expect(negotiate(undefined, "frames", ELE)).toBe(ELE);
    expect(negotiate("*/*", "dicom", JLS)).toBe(JLS);
    expect(negotiate('multipart/related; type="application/octet-stream"; transfer-syntax=*', "frames", JLS)).toBe(JLS);
    expect(negotiate(`multipart/related; type="application/dicom"; transfer-syntax=${JLS}`, "dicom", JLS)).toBe(JLS);
  });
  it("treats implicit and explicit little endian frames as the same pixel bytes", () => {
    expect(negotiate('multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2', "frames", ELE)).toBe("1.2.840.10008.1.2");
  });
  it("answers 406 when the client refuses the stored syntax", () => {
    expect(() => negotiate(`multipart/related; type="application/dicom"; transfer-syntax=${ELE}`, "dicom", JLS)).toThrow(/not acceptable/);
    expect(() => negotiate("application/json", "frames", ELE)).toThrow(/not acceptable/);
  });
});
