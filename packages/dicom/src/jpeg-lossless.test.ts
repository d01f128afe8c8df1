/**
 * JPEG Lossless (Process 14) decoding through jpeg-lossless-decoder-js, on the DICOM samples that
 * ship inside that npm package (MIT, github.com/rii-mango/JPEGLosslessDecoderJS, `tests/data/`).
 * Expected CRC-32 values of the decoded bytes are the ones asserted by that project's own tests
 * (`tests/driver-sel1.test.ts`, `driver-sel7.test.ts`, `driver-sel1-8bit.test.ts`). If a future
 * release stops shipping the samples, these tests are skipped (reported as skipped, not passed).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parseDicomPart10 } from "./parse.js";
import { decodeFrame, readStoredFrameSync } from "./pixels.js";

const dataDir = createRequire(import.meta.url)
  .resolve("jpeg-lossless-decoder-js/package.json")
  .replace(/package\.json$/, "tests/data/");
const present = existsSync(`${dataDir}jpeg_lossless_sel1.dcm`);

/** IEEE 802.3 CRC-32 (reflected, polynomial 0xEDB88320). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe.skipIf(!present)("JPEG Lossless Process 14 (1.2.840.10008.1.2.4.57/.70)", () => {
  it.each([
    ["jpeg_lossless_sel1.dcm", 65536, 3476557349],
    ["jpeg_lossless_sel7.dcm", 65536, 3476557349],
    ["jpeg_lossless_sel1-8bit.dcm", 262144, 2307286885],
  ])("%s decodes to the reference CRC-32", async (name, samples, crc) => {
    const inst = parseDicomPart10(new Uint8Array(readFileSync(`${dataDir}${name}`)), name);
    expect(inst.transferSyntax.encoding).toBe("jpeg-lossless");
    const px = await decodeFrame(inst);
    expect(px.length).toBe(samples);
    expect(crc32(new Uint8Array(px.buffer, px.byteOffset, px.byteLength))).toBe(crc);
  });

  it("works when the file buffer is a Node Buffer view (Buffer#slice does not copy)", async () => {
    const inst = parseDicomPart10(
      readFileSync(`${dataDir}jpeg_lossless_sel1.dcm`),
      "buffer-view.dcm",
    );
    const px = await decodeFrame(inst);
    expect(crc32(new Uint8Array(px.buffer, px.byteOffset, px.byteLength))).toBe(3476557349);
    expect(() => readStoredFrameSync(inst)).toThrow(
      /buffer-view\.dcm: transfer syntax 1\.2\.840\.10008\.1\.2\.4\.57 .* use the asynchronous decodeFrame\(\)/,
    );
  });
});
