import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, type Client, startTestServer, type TestServer } from "./harness";
import {
  administrationInput, clinicalFixture, daysFromNowDate, hoursAgo, mutate, ok, patientInput, siteSnapshot, uniq,
  type ClinicalFixture, type MutationName,
} from "./fixtures";

/**
 * Every validation rule, table-driven: the mutation is refused with a field-level error whose
 * path is the offending field and whose message names the value sent; nothing is written.
 */
let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
let fx: ClinicalFixture;
const TAKEN_MRN = `TAKEN-${uniq()}`;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite(["COORDINATOR", "PHYSICIAN"]);
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
  fx = await clinicalFixture(coord, phys, { mrn: TAKEN_MRN });
});
afterAll(async () => {
  await server?.close();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
/** A date in the future everywhere: "today" reaches UTC+14, so UTC tomorrow may already be today somewhere. */
const tomorrow = () => daysFromNowDate(2);
const start = Date.now() - 3 * 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** [rule, mutation, input, field, text the message must contain, code] */
type Case = [string, MutationName, (f: ClinicalFixture) => Record<string, unknown>, string, string, string?];
const CASES: Case[] = [
  // Administration
  ["calibrated activity above the plausible range", "cycleRecordAdministration", (f) => administrationInput(f.cycleIds[0]!, 1, { calibratedActivityMBq: 74000 }), "calibratedActivityMBq", "74000"],
  ["calibrated activity below the plausible range", "cycleRecordAdministration", (f) => administrationInput(f.cycleIds[0]!, 1, { calibratedActivityMBq: 74, residualActivityMBq: 1 }), "calibratedActivityMBq", "74"],
  ["residual ≥ calibrated", "cycleRecordAdministration", (f) => administrationInput(f.cycleIds[0]!, 1, { residualActivityMBq: 7600 }), "residualActivityMBq", "7600"],
  ["negative residual", "cycleRecordAdministration", (f) => administrationInput(f.cycleIds[0]!, 1, { residualActivityMBq: -5 }), "residualActivityMBq", "-5"],
  ["infusionEnd before infusionStart", "cycleRecordAdministration", (f) => administrationInput(f.cycleIds[0]!, 1, { infusionEnd: iso(start - 60_000) }), "infusionEnd", iso(start - 60_000)],
  ["residual measured before infusion start", "cycleRecordAdministration", (f) => administrationInput(f.cycleIds[0]!, 1, { residualTime: iso(start - 60_000) }), "residualTime", iso(start - 60_000)],
  ["administration in the future", "cycleRecordAdministration", (f) => administrationInput(f.cycleIds[0]!, 1, { infusionStart: inHours(2), infusionEnd: inHours(2.5), residualTime: inHours(3) }), "infusionStart", "in the future"],
  ["empty lot", "cycleRecordAdministration", (f) => administrationInput(f.cycleIds[0]!, 1, { lot: "  " }), "lot", "\"  \""],
  // Courses and cycles
  ["planned activity out of range", "therapyCourseCreate", (f) => ({ patientId: f.patientId, radiopharmaceuticalId: f.lu.id, intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 74000, intervalDays: 56, firstCycleDate: tomorrow() }), "plannedActivityMBq", "74000"],
  ["too many cycles", "therapyCourseCreate", (f) => ({ patientId: f.patientId, radiopharmaceuticalId: f.lu.id, intent: "STANDARD", plannedCycles: 11, plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: tomorrow() }), "plannedCycles", "11"],
  ["interval too short", "therapyCourseCreate", (f) => ({ patientId: f.patientId, radiopharmaceuticalId: f.lu.id, intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 7, firstCycleDate: tomorrow() }), "intervalDays", "7"],
  ["impossible first cycle date", "therapyCourseCreate", (f) => ({ patientId: f.patientId, radiopharmaceuticalId: f.lu.id, intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: "2026-02-30" }), "firstCycleDate", "2026-02-30", "BAD_USER_INPUT"],
  ["course planned activity update out of range", "therapyCourseUpdate", (f) => ({ id: f.courseId, version: 1, plannedActivityMBq: 100 }), "plannedActivityMBq", "100"],
  // Weights
  ["weight below 1 kg", "bodyWeightRecord", (f) => ({ patientId: f.patientId, weightKg: 0.5, measuredAt: hoursAgo(1) }), "weightKg", "0.5"],
  ["weight above 400 kg", "bodyWeightRecord", (f) => ({ patientId: f.patientId, weightKg: 401, measuredAt: hoursAgo(1) }), "weightKg", "401"],
  ["weight measured in the future", "bodyWeightRecord", (f) => ({ patientId: f.patientId, weightKg: 70, measuredAt: inHours(5) }), "measuredAt", "in the future"],
  ["study weight above 400 kg", "imagingStudyCreate", (f) => ({ patientId: f.patientId, modality: "CT", performedAt: hoursAgo(1), purpose: "BASELINE", weightKg: 450 }), "weightKg", "450"],
  // Diagnoses
  ["Ki-67 above 100", "diagnosisCreate", (f) => ({ patientId: f.patientId, primarySite: "x", histology: "x", whoGrade: "G3", ki67Percent: 101, differentiation: "WELL", diagnosedOn: "2025-01-01" }), "ki67Percent", "101"],
  ["Ki-67 below 0", "diagnosisCreate", (f) => ({ patientId: f.patientId, primarySite: "x", histology: "x", whoGrade: "G1", ki67Percent: -1, differentiation: "WELL", diagnosedOn: "2025-01-01" }), "ki67Percent", "-1"],
  ["Ki-67 above 100 on update", "diagnosisUpdate", (f) => ({ id: f.diagnosisId, version: 1, ki67Percent: 150 }), "ki67Percent", "150"],
  ["diagnosis dated in the future", "diagnosisCreate", (f) => ({ patientId: f.patientId, primarySite: "x", histology: "x", whoGrade: "G2", ki67Percent: 5, differentiation: "WELL", diagnosedOn: tomorrow() }), "diagnosedOn", tomorrow()],
  // Patients
  ["MRN not matching the site's pattern", "patientCreate", () => patientInput("bad mrn!"), "mrn", "\"bad mrn!\""],
  ["duplicate MRN", "patientCreate", () => patientInput(TAKEN_MRN), "mrn", TAKEN_MRN, "DUPLICATE"],
  ["birth date in the future", "patientCreate", () => patientInput(`OK-${uniq()}`, { birthDate: tomorrow() }), "birthDate", tomorrow()],
  ["birth date before 1900", "patientCreate", () => patientInput(`OK-${uniq()}`, { birthDate: "1899-12-31" }), "birthDate", "1899-12-31"],
  ["height out of range", "patientCreate", () => patientInput(`OK-${uniq()}`, { heightCm: 900 }), "heightCm", "900"],
  ["empty family name", "patientCreate", () => patientInput(`OK-${uniq()}`, { familyName: "" }), "familyName", "\"\""],
  ["MRN pattern on update", "patientUpdate", (f) => ({ id: f.patientId, version: 1, mrn: "lower-case" }), "mrn", "lower-case"],
  // Labs
  ["unknown analyte unit", "labResultRecord", (f) => ({ patientId: f.patientId, analyte: "CREATININE", value: 1, unit: "furlongs", sampledAt: hoursAgo(1) }), "unit", "furlongs"],
  ["implausible lab value", "labResultRecord", (f) => ({ patientId: f.patientId, analyte: "PLATELETS", value: 90000, unit: "10^9/L", sampledAt: hoursAgo(1) }), "value", "90000"],
  ["lab sampled in the future", "labResultRecord", (f) => ({ patientId: f.patientId, analyte: "WBC", value: 5, unit: "10^9/L", sampledAt: inHours(3) }), "sampledAt", "in the future"],
  ["implausible corrected lab value", "labResultCorrect", (f) => ({ id: f.labId, version: 1, value: 40, unit: "mg/dL", reason: "typo" }), "value", "40"],
  // Imaging, lesions
  ["study performed in the future", "imagingStudyCreate", (f) => ({ patientId: f.patientId, modality: "CT", performedAt: inHours(4), purpose: "BASELINE" }), "performedAt", "in the future"],
  ["non-positive injected activity", "imagingStudyCreate", (f) => ({ patientId: f.patientId, modality: "CT", performedAt: hoursAgo(1), purpose: "BASELINE", injectedActivityMBq: 0 }), "injectedActivityMBq", "0"],
  ["malformed StudyInstanceUID", "imagingStudyCreate", (f) => ({ patientId: f.patientId, modality: "CT", performedAt: hoursAgo(1), purpose: "BASELINE", studyInstanceUid: "1.2.abc" }), "studyInstanceUid", "1.2.abc"],
  ["lesion first seen in the future", "lesionCreate", (f) => ({ patientId: f.patientId, label: "LF", organ: "liver", firstSeenOn: tomorrow() }), "firstSeenOn", tomorrow()],
  ["Krenning score out of range", "lesionMeasurementUpdate", (f) => ({ id: f.measurementId, version: 1, krenningScore: 7 }), "krenningScore", "7"],
  // Shared
  ["void without a reason", "labResultVoid", (f) => ({ id: f.labId, version: 1, reason: " " }), "reason", "\" \""],
  ["version below 1", "diagnosisUpdate", (f) => ({ id: f.diagnosisId, version: 0, histology: "x" }), "version", "0"],
];

const clientFor = (m: MutationName) => (m.startsWith("therapyCourse") || m === "cycleRecordAdministration" || m.startsWith("lesion") ? phys : coord);

describe("validation rules refuse bad input, naming the field and value, writing nothing", () => {
  it.each(CASES)("%s (%s)", async (_rule, m, build, field, shown, code = "INVALID") => {
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(clientFor(m), m, build(fx));
    if (code === "BAD_USER_INPUT") {
      // Scalar coercion (Date/DateTime) fails before the resolver: a GraphQL error naming the value.
      expect(r.raw.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(r.raw.errors?.[0]?.message).toContain(shown);
    } else {
      expect(r.raw.errors).toBeUndefined();
      expect(r.entity).toBeNull();
      const e = r.userErrors.find((x) => x.field.join(".") === `input.${field}`);
      expect(e, JSON.stringify(r.userErrors)).toBeDefined();
      expect(e!.code).toBe(code);
      expect(e!.message).toContain(shown);
    }
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
  });

  it("(the snapshot used above does detect a write: a valid record and a valid update each change it)", async () => {
    const s0 = await siteSnapshot(server, site.site.id);
    const w = await ok(coord, "bodyWeightRecord", { patientId: fx.patientId, weightKg: 70, measuredAt: hoursAgo(1) });
    const s1 = await siteSnapshot(server, site.site.id);
    expect(s1.bodyWeight).not.toBe(s0.bodyWeight);
    expect(s1.successWrites).not.toBe(s0.successWrites);
    await ok(coord, "bodyWeightVoid", { id: w.id, version: 1, reason: "sanity check" });
    const s2 = await siteSnapshot(server, site.site.id);
    expect(s2.bodyWeight).not.toBe(s1.bodyWeight);
    expect(s2.recordRevision).not.toBe(s1.recordRevision);
  });

  it("a duplicate MRN on update is refused (DUPLICATE) and a valid MRN change passes", async () => {
    const other = await ok(coord, "patientCreate", patientInput(`MV-${uniq()}`));
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(coord, "patientUpdate", { id: other.id, version: 1, mrn: TAKEN_MRN });
    expect(r.userErrors[0]).toMatchObject({ field: ["input", "mrn"], code: "DUPLICATE" });
    expect(r.userErrors[0]!.message).toContain(TAKEN_MRN);
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
    const newMrn = `MV-${uniq()}`;
    const u = await ok<{ mrn: string }>(coord, "patientUpdate", { id: other.id, version: 1, mrn: newMrn });
    expect(u.mrn).toBe(newMrn);
  });
});

describe("DateTime and Date scalars refuse malformed values with a GraphQL error", () => {
  const dt: string[] = ["yesterday", "2026-02-30T09:30:00Z", "2026-01-01", "2026-01-01T10:00:00", "2026-13-01T10:00:00Z", "2026-01-01 10:00:00Z", "1700000000"];
  it.each(dt)("DateTime %j (variable) → BAD_USER_INPUT naming it, nothing written", async (bad) => {
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(coord, "bodyWeightRecord", { patientId: fx.patientId, weightKg: 70, measuredAt: bad });
    expect(r.raw.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.raw.errors?.[0]?.message).toContain("DateTime");
    expect(r.raw.errors?.[0]?.message).toContain(JSON.stringify(bad));
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
  });

  const d: string[] = ["2026-02-30", "2025-13-01", "20250101", "01/02/2025", "2025-1-1", "2025-01-01T00:00:00Z"];
  it.each(d)("Date %j (variable) → BAD_USER_INPUT naming it, nothing written", async (bad) => {
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(coord, "patientCreate", patientInput(`DT-${uniq()}`, { birthDate: bad }));
    expect(r.raw.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.raw.errors?.[0]?.message).toContain(JSON.stringify(bad));
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
  });

  it("a malformed literal in the document is a validation error", async () => {
    const r = await coord.gql(`mutation { bodyWeightRecord(input: { patientId: "${fx.patientId}", weightKg: 70, measuredAt: "not a time" }) { bodyWeight { id } } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(r.errors?.[0]?.message).toContain("not a time");
    const r2 = await coord.gql(`{ cyclesDue(filter: { from: "2026-02-31" }) { totalCount } }`);
    expect(r2.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});
