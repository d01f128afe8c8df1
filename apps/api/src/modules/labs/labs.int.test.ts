import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { recordRevision } from "@lutetia/db";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import { hoursAgo, mutate, ok, patientInput, q, siteSnapshot, uniq } from "../../../test/fixtures";
import { LAB_CATALOGUE } from "./lab-catalogue";
import { idOf } from "../../shared/ids";

let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite(["COORDINATOR", "VIEWER"]);
  coord = await as(server, site.users.COORDINATOR.email);
});
afterAll(async () => {
  await server?.close();
});

const close = (a: number, b: number, rel = 1e-12) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

describe("lab results through /graphql", () => {
  it("lists the analyte catalogue with canonical and accepted units", async () => {
    const d = await q<{ labAnalytes: { analyte: string; canonicalUnit: string; acceptedUnits: string[] }[] }>(coord, `{ labAnalytes { analyte canonicalUnit acceptedUnits } }`);
    expect(d.labAnalytes.map((a) => a.analyte).sort()).toEqual(Object.keys(LAB_CATALOGUE).sort());
    expect(d.labAnalytes.find((a) => a.analyte === "CREATININE")).toEqual({ analyte: "CREATININE", canonicalUnit: "µmol/L", acceptedUnits: ["µmol/L", "umol/L", "mg/dL"] });
  });

  it("records creatinine 1.0 mg/dL as 88.4 µmol/L keeping the reported value, corrects it (history kept) and voids it", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`LB-${uniq()}`));
    const sampledAt = hoursAgo(5);
    const r = await ok<{ analyte: string; value: number; unit: string; reportedValue: number; reportedUnit: string }>(coord, "labResultRecord", {
      patientId: p.id, analyte: "CREATININE", value: 1.0, unit: "mg/dL", sampledAt,
    });
    expect(r).toMatchObject({ analyte: "CREATININE", unit: "µmol/L", reportedValue: 1.0, reportedUnit: "mg/dL", version: 1 });
    expect(close(r.value, 88.4)).toBe(true);

    const c = await ok<{ value: number; unit: string; reportedValue: number; reportedUnit: string }>(coord, "labResultCorrect", {
      id: r.id, version: 1, value: 1.2, unit: "mg/dL", reason: "transcription error",
    });
    expect(c).toMatchObject({ version: 2, unit: "µmol/L", reportedValue: 1.2, reportedUnit: "mg/dL" });
    expect(close(c.value, 1.2 * 88.4)).toBe(true);
    const rev = await server.db.db.select().from(recordRevision).where(and(eq(recordRevision.entityType, "LabResult"), eq(recordRevision.entityId, idOf(r.id, "LabResult")!)));
    expect(rev).toHaveLength(1);
    expect(rev[0]).toMatchObject({ version: 1, reason: "transcription error", changedBy: site.users.COORDINATOR.id });
    expect((rev[0]!.data as { reportedValue: number; value: number }).reportedValue).toBe(1.0);
    expect(close((rev[0]!.data as { value: number }).value, 88.4)).toBe(true);

    // The patient's lab list (filter by analyte) shows the corrected value; node() reads it too.
    const read = await q<{ node: { labResults: { id: string; value: number }[]; hb: unknown[] } }>(coord,
      `query($id:ID!){ node(id:$id){ ... on Patient { labResults(analyte: CREATININE) { id value } hb: labResults(analyte: HAEMOGLOBIN) { id } } } }`, { id: p.id });
    expect(read.node.labResults.map((l) => l.id)).toEqual([r.id]);
    expect(read.node.hb).toEqual([]);
    const viaNode = await q<{ node: { reportedValue: number } }>(coord, `query($id:ID!){ node(id:$id){ ... on LabResult { reportedValue } } }`, { id: r.id });
    expect(viaNode.node.reportedValue).toBe(1.2);

    const v = await ok<{ voidedAt: string }>(coord, "labResultVoid", { id: r.id, version: 2, reason: "wrong sample" });
    expect(v.version).toBe(3);
    const corr = await mutate(coord, "labResultCorrect", { id: r.id, version: 3, value: 1.1, unit: "mg/dL", reason: "late" });
    expect(corr.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "INVALID" });
    const gone = await q<{ node: { labResults: unknown[] } }>(coord, `query($id:ID!){ node(id:$id){ ... on Patient { labResults { id } } } }`, { id: p.id });
    expect(gone.node.labResults).toEqual([]);
  });

  const conversions: [string, number, string, number, string][] = [
    ["CREATININE", 1.0, "mg/dL", 88.4, "µmol/L"],
    ["ALBUMIN", 3.0, "g/dL", 30, "g/L"],
    ["PLATELETS", 75_000, "/mm³", 75, "10^9/L"],
    ["HAEMOGLOBIN", 5.0, "mmol/L", 8.055, "g/dL"],
    ["HAEMOGLOBIN", 120, "g/L", 12, "g/dL"],
    ["BILIRUBIN", 1.0, "mg/dL", 17.1, "µmol/L"],
    ["ALT", 0.5, "µkat/L", 30, "U/L"],
    ["CREATININE_CLEARANCE", 1.0, "mL/s", 60, "mL/min"],
  ];
  it.each(conversions)("%s %d %s is stored as %d %s", async (analyte, value, unit, canonical, canonicalUnit) => {
    const p = await ok(coord, "patientCreate", patientInput(`LC-${uniq()}`));
    const r = await ok<{ value: number; unit: string; reportedValue: number; reportedUnit: string }>(coord, "labResultRecord", { patientId: p.id, analyte, value, unit, sampledAt: hoursAgo(2) });
    expect(r.unit).toBe(canonicalUnit);
    expect(close(r.value, canonical, 1e-9)).toBe(true);
    expect(r).toMatchObject({ reportedValue: value, reportedUnit: unit });
  });

  it("refuses a unit not accepted for the analyte and an implausible value, naming them, writing nothing", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`LR-${uniq()}`));
    const before = await siteSnapshot(server, site.site.id);
    const u = await mutate(coord, "labResultRecord", { patientId: p.id, analyte: "CREATININE", value: 1, unit: "mmol/L", sampledAt: hoursAgo(1) });
    expect(u.userErrors[0]).toMatchObject({ field: ["input", "unit"], code: "INVALID" });
    expect(u.userErrors[0]!.message).toContain("mmol/L");
    const v = await mutate(coord, "labResultRecord", { patientId: p.id, analyte: "HAEMOGLOBIN", value: 130, unit: "g/dL", sampledAt: hoursAgo(1) });
    expect(v.userErrors[0]).toMatchObject({ field: ["input", "value"], code: "INVALID" });
    expect(v.userErrors[0]!.message).toContain("130");
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
  });
});
