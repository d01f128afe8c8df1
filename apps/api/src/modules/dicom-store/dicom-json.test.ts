import { readdirSync, readFileSync } from "node:fs";
import dcmjs from "dcmjs";
import { describe, expect, it } from "vitest";
import { parseDicomPart10 } from "@lutetia/dicom";
import { petSeries, sharedDataDir } from "../../../test/imaging-helpers";
import { dataSetToJson } from "./dicom-json";

/** Independent reference: dcmjs' DICOM JSON-like dict (its UTF-8 re-labelling of 0008,0005 aside). */
function reference(b: Buffer): Record<string, { vr: string; Value?: unknown[] }> {
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  const dict = dcmjs.data.DicomMessage.readFile(ab, { untilTag: "7FE00010", includeUntilTagValue: false, ignoreErrors: true }).dict;
  // NUL padding is stripped by design (PostgreSQL refuses U+0000 in text/jsonb)
  return JSON.parse(JSON.stringify(dict, (k, v: unknown) => (k === "_rawValue" ? undefined : typeof v === "string" ? v.replace(/\0/g, "").trim() : v))) as Record<string, { vr: string; Value?: unknown[] }>;
}
const empty = (v: unknown[] | undefined) => !v || v.length === 0 || v.every((x) => x === "" || x === null);

describe("DICOM JSON from dicom-parser data sets", () => {
  const sd = sharedDataDir();
  const nemaDir = `${sd}/pynemaiqpet-nema-pet/pet_recon_1`;
  const files: [string, Buffer][] = [
    ["synthetic (explicit VR LE)", Buffer.from(petSeries({ mrn: "X", uidKey: "json" }).files[0]!.bytes)],
    ["NEMA phantom (implicit VR LE)", readFileSync(`${nemaDir}/${readdirSync(nemaDir).sort()[0]}`)],
    ...readdirSync(`${sd}/orthanc-tests-pet-slices`).filter((f) => f.endsWith(".dcm")).map((f) => [`vendor ${f}`, readFileSync(`${sd}/orthanc-tests-pet-slices/${f}`)] as [string, Buffer]),
  ];
  it.each(files)("%s: every attribute, VR and value equals dcmjs' reading", (_name, b) => {
    const ds = parseDicomPart10(new Uint8Array(b), "t").dataSet;
    const mine = dataSetToJson(ds);
    // elements written as UN (CP-246): dcmjs' re-reading of those is unreliable; ours use the dictionary VR
    const un = new Set(Object.values(ds.elements).filter((e) => e.vr === "UN").map((e) => e.tag.slice(1).toUpperCase()));
    const ref = reference(b);
    expect(mine["7FE00010"]).toBeUndefined();
    let compared = 0;
    for (const [tag, r] of Object.entries(ref)) {
      if (tag === "7FE00010" || tag === "00080005") continue;
      const m = mine[tag];
      expect(m, tag).toBeDefined();
      expect(m!.vr, tag).toBe(r.vr);
      if (r.vr === "SQ") expect((m!.Value ?? []).length, tag).toBe((r.Value ?? []).length);
      else if (un.has(tag) || empty(r.Value)) continue;
      else if (m!.InlineBinary === undefined && ++compared) expect(m!.Value, tag).toEqual(r.Value);
    }
    expect(compared).toBeGreaterThan(5);
  });

  it("decodes UN-encoded elements of known tags with the dictionary VR (CP-246 vendor file)", () => {
    const b = readFileSync(`${sd}/orthanc-tests-pet-slices/2021-02-19-MalaterreCP246.dcm`);
    const ds = parseDicomPart10(new Uint8Array(b), "t").dataSet;
    expect(ds.elements.x00200011?.vr).toBe("UN");
    const json = dataSetToJson(ds);
    expect(json["00200011"]).toEqual({ vr: "IS", Value: [606] });
    expect(json["00540016"]?.vr).toBe("SQ");
    expect((json["00540016"]?.Value ?? []).length).toBe(1);
  });
});
