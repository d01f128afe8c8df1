import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalFileStorage, ObjectTooLargeError } from "./storage";

let dir: string;
let st: LocalFileStorage;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lutetia-storage-"));
  st = await new LocalFileStorage(dir).init();
});
afterEach(async () => {
  await st.close();
  rmSync(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const chunks = (b: Buffer, n: number) => Readable.from(Array.from({ length: Math.ceil(b.length / n) }, (_, i) => b.subarray(i * n, (i + 1) * n)));

describe("LocalFileStorage (content-addressed, atomic)", () => {
  const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256));

  it("stores a stream under its SHA-256 and reads it back whole, by range and as a stream", async () => {
    const r = await st.put(chunks(data, 4096));
    expect(r).toEqual({ key: sha(data), sha256: sha(data), size: data.length });
    await st.sync();
    expect(await st.exists(r.key)).toBe(true);
    expect(Buffer.compare(await st.read(r.key), data)).toBe(0);
    expect(Buffer.compare(await st.readRange(r.key, 1000, 500), data.subarray(1000, 1500))).toBe(0);
    expect(Buffer.compare(await buffer(st.get(r.key, { start: 10, end: 19 })), data.subarray(10, 20))).toBe(0);
    expect(readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });

  it("is idempotent: the same bytes twice are one object; putBytes and put agree", async () => {
    const a = await st.put(chunks(data, 1000));
    const b = await st.putBytes(data);
    expect(b).toEqual(a);
    const objects = readdirSync(dir).filter((d) => d !== "tmp").flatMap((d) => readdirSync(path.join(dir, d)));
    expect(objects).toEqual([a.key]);
  });

  it("refuses an object over the limit and keeps nothing", async () => {
    await expect(st.put(chunks(data, 1000), { maxBytes: 50_000 })).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(await st.exists(sha(data))).toBe(false);
    expect(readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });

  it("a failing source leaves no object and no temp file", async () => {
    const failing = Readable.from((async function* () {
      yield data.subarray(0, 1000);
      throw new Error("connection reset");
    })());
    await expect(st.put(failing)).rejects.toThrow("connection reset");
    expect(readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });

  it("removes temp files left by a crash on start, and refuses malformed keys", async () => {
    writeFileSync(path.join(dir, "tmp", "left-over.part"), "partial");
    expect(await st.cleanTemp()).toBe(1);
    expect(() => st.get("../../etc/passwd")).toThrow("invalid storage key");
  });
});
