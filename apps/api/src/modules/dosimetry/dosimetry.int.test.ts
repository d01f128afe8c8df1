import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { extractText, getDocumentProxy } from "unpdf";
import { auditEvent, dosimetryRecord } from "@lutetia/db";
import { idOf } from "../../shared/ids";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import { administrationInput, agent, clinicalFixture, daysFromNowDate, ok, q, recordGo, type ClinicalFixture } from "../../../test/fixtures";
import { csvField } from "../../shared/exports";

let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
let physicist: Client;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite();
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
  physicist = await as(server, site.users.PHYSICIST.email);
});
afterAll(async () => {
  await server?.close();
});

const H = 3_600_000;
const UE = "userErrors { field message code }";
const REC = `id version revision status administeredActivityMBq administeredAt reportPath signedAt signedByName previous { id revision }
  timepoints { key hoursPostInjection acquiredAt }
  vois { key kind model activities result { error doseGy doseSdGy bedGy tiaMBqH effectiveHalfLifeH rSquared parameters { name value unit } curve { timeH value } } }
  organs { organ doseGy bedGy effectiveHalfLifeH }`;
interface Rec {
  id: string; version: number; revision: number; status: string; administeredActivityMBq: number; administeredAt: string; reportPath: string;
  signedAt: string | null; signedByName: string | null; previous: { id: string; revision: number } | null;
  timepoints: { key: string; hoursPostInjection: number }[];
  vois: { key: string; kind: string; model: string; activities: (number | null)[]; result: { error: string | null; doseGy: number | null; doseSdGy: number | null; bedGy: number | null; tiaMBqH: number | null; effectiveHalfLifeH: number | null; rSquared: number | null; parameters: { name: string; value: number }[]; curve: unknown[] } }[];
  organs: { organ: string; doseGy: number; bedGy: number | null; effectiveHalfLifeH: number | null }[];
}
type UE = { field: string[]; message: string; code: string };

async function m<T = Rec>(c: Client, name: string, type: string, input: Record<string, unknown>) {
  const r = await c.gql<Record<string, { record: T | null; userErrors: UE[] }>>(`mutation($i: ${type}!) { ${name}(input: $i) { record { ${REC} } ${UE} } }`, { i: input });
  return { raw: r, record: r.data?.[name]?.record ?? null, userErrors: r.data?.[name]?.userErrors ?? [], requestId: r.headers.get("x-request-id") };
}
const create = (c: Client, cycleId: string) => m(c, "dosimetryRecordCreate", "DosimetryRecordCreateInput", { cycleId });
const save = (c: Client, input: Record<string, unknown>) => m(c, "dosimetryRecordSave", "DosimetryRecordSaveInput", input);
const sign = (c: Client, id: string, version: number) => m(c, "dosimetryRecordSign", "DosimetryRecordSignInput", { id, version });
const amend = (c: Client, id: string, reason: string) => m(c, "dosimetryRecordAmend", "DosimetryRecordAmendInput", { id, reason });
async function must<T>(p: Promise<{ record: T | null; userErrors: UE[]; raw: { errors?: unknown } }>): Promise<T> {
  const r = await p;
  if (!r.record) throw new Error(`mutation failed: ${JSON.stringify(r.raw.errors ?? r.userErrors)}`);
  return r.record;
}

/** Administers `cycleId` 10 days ago (start), so scans at 24/96/168 h are in the past. */
async function administer(cycleId: string, startMs = Date.now() - 10 * 24 * H) {
  await recordGo(phys, cycleId);
  const c = await q<{ node: { version: number } }>(phys, `query($id:ID!){ node(id:$id){ ... on TherapyCycle { version } } }`, { id: cycleId });
  await ok(phys, "cycleRecordAdministration", administrationInput(cycleId, c.node.version, {
    calibrationTime: new Date(startMs - 26 * H).toISOString(), infusionStart: new Date(startMs).toISOString(),
    infusionEnd: new Date(startMs + 0.5 * H).toISOString(), residualTime: new Date(startMs + 0.75 * H).toISOString(),
  }));
  return startMs;
}

/** Mono-exponential activities A(t) = a0 · 2^(−t/T) at the given hours. */
const mono = (a0: number, tEffH: number, hours: number[]) => hours.map((t) => a0 * 2 ** (-t / tEffH));
const HOURS = [24, 96, 168];
const tps = (startMs: number, hours = HOURS) => hours.map((h, i) => ({ key: `tp${i + 1}`, acquiredAt: new Date(startMs + h * H).toISOString(), label: `SPECT ${h} h` }));
/** Left kidney 155 g, mono-exponential T_eff 50 h; bone marrow blood T_eff 30 h. */
function doc(rec: Rec, startMs: number, kidneyA0: number, extra: Record<string, unknown>[] = []) {
  return {
    id: rec.id, version: rec.version, phantomSex: "MALE", timepoints: tps(startMs),
    vois: [
      { key: "kl", kind: "KIDNEY_LEFT", label: "Kidney left", massG: 155, model: "MONO_EXP", source: "vendor workstation", activities: mono(kidneyA0, 50, HOURS) },
      { key: "marrow", kind: "BONE_MARROW", label: "Bone marrow", model: "MONO_EXP", source: "entered", activities: mono(0.05, 30, HOURS) },
      ...extra,
    ],
  };
}

const LEDGER = `query($p: ID!, $policy: String) { doseLedger(patientId: $p, policy: $policy) {
  policy { name limits { organ absorbedGy bedGy source } }
  organs { organ cycles cumulativeAbsorbedGy cumulativeBedGy absorbedLimitGy absorbedRemainingGy bedLimitGy bedRemainingGy projectedAbsorbedGy projectedBedGy latestGyPerGBq }
  cycles { cycleNumber courseOrdinal signed organs { organ doseGy bedGy } record { id revision } pendingAmendment { id revision } }
  totalActivityGBq maxNextActivityGBq limitingOrgan limitingConstraint nextMessage csvPath reportPath } }`;
interface Ledger {
  policy: { name: string; limits: { organ: string; absorbedGy: number | null; bedGy: number | null; source: string }[] };
  organs: { organ: string; cycles: number; cumulativeAbsorbedGy: number; cumulativeBedGy: number | null; absorbedLimitGy: number | null; absorbedRemainingGy: number | null; bedLimitGy: number | null; bedRemainingGy: number | null; projectedAbsorbedGy: number; projectedBedGy: number | null; latestGyPerGBq: number | null }[];
  cycles: { cycleNumber: number; courseOrdinal: number; signed: boolean; organs: { organ: string; doseGy: number; bedGy: number | null }[]; record: { id: string; revision: number }; pendingAmendment: { id: string; revision: number } | null }[];
  totalActivityGBq: number; maxNextActivityGBq: number | null; limitingOrgan: string | null; limitingConstraint: string | null; nextMessage: string; csvPath: string; reportPath: string;
}
const ledgerOf = async (c: Client, patientId: string, policy?: string) => (await q<{ doseLedger: Ledger }>(c, LEDGER, { p: patientId, policy })).doseLedger;
const organ = (l: Ledger, o: string) => l.organs.find((x) => x.organ === o)!;
const close = (actual: number | null | undefined, expected: number, rel = 1e-4) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel + 1e-9);
};

async function get(c: Client, path: string) {
  return fetch(`${server.base}${path}`, { headers: c.cookie ? { cookie: c.cookie } : {} });
}

/*
 * Hand computation used below (reference/dosimetry.md §1, §4.1–4.2, §5, §6; Example D6 method).
 * Left kidney, male phantom: S(kidneys←kidneys) = 7.76e-5 mGy/(MBq·s) × 3600 = 0.27936 mGy/(MBq·h),
 * phantom kidneys 310 g, patient kidney 155 g → S = 0.27936 × 310/155 = 0.55872 mGy/(MBq·h).
 * A(t) = A0'·2^(−t/50 h) exactly → Ã = A0'·50/ln2.
 *   A0' = 100 MBq: Ã = 7213.4752 MBq·h → D = 7213.4752 × 0.55872/1000 = 4.030313 Gy
 *   A0' =  80 MBq: D = 3.224250 Gy ;  A0' = 120 MBq: D = 4.836375 Gy
 * BED (α/β 2.6 Gy, T_rep 2.8 h, T_eff 50 h): G = 2.8/52.8 = 0.0530303, BED = D·(1 + D·G/2.6):
 *   4.030313 → 4.361618 ; 3.224250 → 3.436286 ; 4.836375 → 5.313455 Gy
 * Bone marrow: blood C(t) = 0.05 MBq/mL·2^(−t/30 h) → [Ã]_blood = 0.05·30/ln2 = 2.164043 MBq·h/mL,
 *   D = K·[Ã]_blood with K = 0.1479 MeV × 1.602177e−13 J/MeV × 3.6e9 = 0.0853063 mGy·kg/(MBq·h)
 *   → 0.184606 Gy per cycle.
 */
const D100 = 4.030313;
const D80 = 3.22425;
const D120 = 4.836375;
const BED = { 100: 4.361618, 80: 3.436286, 120: 5.313455 };
const DRM = 0.184606;

describe("dosimetry workspace through /graphql", () => {
  let fx: ClinicalFixture;
  let start1: number;
  let rec1: Rec;

  it("physicist creates a draft for an administered cycle, enters points, fits and switches models; dose and BED match the hand computation", async () => {
    fx = await clinicalFixture(coord, phys);
    // Not administered yet: refused naming the cycle.
    const early = await create(physicist, fx.cycleIds[0]!);
    expect(early.userErrors[0]).toMatchObject({ field: ["input", "cycleId"], code: "INVALID" });
    start1 = await administer(fx.cycleIds[0]!);
    rec1 = await must(create(physicist, fx.cycleIds[0]!));
    expect(rec1).toMatchObject({ revision: 1, status: "DRAFT", version: 1 });
    expect(rec1.vois.map((v) => v.kind)).toEqual(["KIDNEY_LEFT", "KIDNEY_RIGHT", "LIVER", "SPLEEN", "BONE_MARROW"]);
    const dup = await create(physicist, fx.cycleIds[0]!);
    expect(dup.userErrors[0]).toMatchObject({ field: ["input", "cycleId"], code: "DUPLICATE" });

    rec1 = await must(save(physicist, doc(rec1, start1, 100)));
    expect(rec1.version).toBe(2);
    expect(rec1.timepoints.map((t) => Math.round(t.hoursPostInjection))).toEqual(HOURS);
    const kl = rec1.vois.find((v) => v.key === "kl")!;
    close(kl.result.tiaMBqH, 7213.4752);
    close(kl.result.effectiveHalfLifeH, 50);
    close(kl.result.doseGy, D100);
    close(kl.result.bedGy, BED[100]);
    close(kl.result.rSquared, 1, 1e-9);
    expect(kl.result.doseSdGy).toBeGreaterThan(0);
    expect(kl.result.curve.length).toBeGreaterThan(10);
    close(rec1.vois.find((v) => v.key === "marrow")!.result.doseGy, DRM);
    expect(rec1.organs.map((o) => o.organ)).toEqual(["KIDNEYS", "BONE_MARROW"]);

    // Switching the kidney to the single-time-point model changes TIA and dose:
    // Hänscheid at 168 h: Ã = A(168)·2·168/ln2 = 100·2^(−168/50)·336/ln2 = 4721.207 MBq·h → D = Ã·0.55872/1000 = 2.637833 Gy.
    const d = doc(rec1, start1, 100);
    (d.vois[0] as Record<string, unknown>).model = "SINGLE_TIME_POINT";
    const stp = await must(save(physicist, d));
    const klStp = stp.vois.find((v) => v.key === "kl")!;
    expect(klStp.model).toBe("SINGLE_TIME_POINT");
    close(klStp.result.tiaMBqH, (100 * 2 ** (-168 / 50) * 336) / Math.LN2);
    close(klStp.result.doseGy, 2.637833);
    // Trapezoid + tail (A(0)=0, tail from the last two points, λ = ln2/50): hand sum
    // ½·24·A1 + ½·72·(A1+A2) + ½·72·(A2+A3) + A3·50/ln2.
    const [a1, a2, a3] = mono(100, 50, HOURS) as [number, number, number];
    const trapTia = 0.5 * 24 * a1 + 0.5 * 72 * (a1 + a2) + 0.5 * 72 * (a2 + a3) + (a3 * 50) / Math.LN2;
    (d.vois[0] as Record<string, unknown>).model = "TRAPEZOID_TAIL";
    const trap = await must(save(physicist, { ...d, version: stp.version }));
    close(trap.vois.find((v) => v.key === "kl")!.result.tiaMBqH, trapTia);
    // Back to mono-exponential (model choice is stored).
    rec1 = await must(save(physicist, { ...doc(rec1, start1, 100), version: trap.version }));
    expect(rec1.vois[0]!.model).toBe("MONO_EXP");
  });

  it("refuses bad input naming the field and value, and changes nothing", async () => {
    const before = await server.db.db.select().from(dosimetryRecord).where(eq(dosimetryRecord.id, idOf(rec1.id, "DosimetryRecord")!));
    const bad1 = await save(physicist, { ...doc(rec1, start1, 100), timepoints: tps(start1, [96, 24, 168]) });
    expect(bad1.userErrors[0]).toMatchObject({ field: ["input", "timepoints", "1", "acquiredAt"], code: "INVALID" });
    expect(bad1.userErrors[0]!.message).toContain("later than the previous time point");
    const bad2 = await save(physicist, { ...doc(rec1, start1, 100), timepoints: tps(start1, [-2, 96, 168]) });
    expect(bad2.userErrors[0]).toMatchObject({ field: ["input", "timepoints", "0", "acquiredAt"] });
    expect(bad2.userErrors[0]!.message).toContain("before the administration");
    const d = doc(rec1, start1, 100);
    (d.vois[0] as Record<string, unknown>).activities = [10, -5, 2];
    const bad3 = await save(physicist, d);
    expect(bad3.userErrors[0]).toMatchObject({ field: ["input", "vois", "0", "activities", "1"], code: "INVALID" });
    expect(bad3.userErrors[0]!.message).toContain("-5");
    (d.vois[0] as Record<string, unknown>).activities = [10, 5];
    const bad4 = await save(physicist, d);
    expect(bad4.userErrors[0]).toMatchObject({ field: ["input", "vois", "0", "activities"] });
    const stale = await save(physicist, { ...doc(rec1, start1, 100), version: 1 });
    expect(stale.userErrors[0]).toMatchObject({ code: "CONFLICT" });
    const after = await server.db.db.select().from(dosimetryRecord).where(eq(dosimetryRecord.id, idOf(rec1.id, "DosimetryRecord")!));
    expect(after).toEqual(before);
  });

  it("only physicists write and sign; physicians and coordinators get FORBIDDEN (audited), everyone may read", async () => {
    for (const c of [phys, coord]) {
      const r1 = await sign(c, rec1.id, rec1.version);
      expect(r1.raw.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const r2 = await save(c, doc(rec1, start1, 100));
      expect(r2.raw.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const denied = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.requestId, r1.requestId!), eq(auditEvent.outcome, "DENIED")));
      expect(denied.map((a) => a.action)).toEqual(["dosimetry:sign"]);
    }
    const read = await q<{ dosimetryRecord: { id: string } }>(phys, `query($id:ID!){ dosimetryRecord(id:$id){ id } }`, { id: rec1.id });
    expect(read.dosimetryRecord.id).toBe(rec1.id);
  });

  it("signs; the signed record is immutable in the service and in the database; amendments make new revisions", async () => {
    const signed = await must(sign(physicist, rec1.id, rec1.version));
    expect(signed).toMatchObject({ status: "SIGNED", signedByName: expect.any(String) });
    expect(signed.signedAt).not.toBeNull();
    const again = await save(physicist, { ...doc(rec1, start1, 90), version: signed.version });
    expect(again.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "CONFLICT" });
    expect(again.userErrors[0]!.message).toContain("immutable");
    const resign = await sign(physicist, signed.id, signed.version);
    expect(resign.userErrors[0]?.code).toBe("CONFLICT");
    const uuid = idOf(signed.id, "DosimetryRecord")!;
    const dbError = async (q: Promise<unknown>) => q.then(() => "no error", (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ""}`);
    expect(await dbError(server.db.db.execute(sql`update dosimetry_record set notes = 'tamper' where id = ${uuid}`))).toMatch(/signed and immutable: UPDATE refused/);
    expect(await dbError(server.db.db.execute(sql`delete from dosimetry_record where id = ${uuid}`))).toMatch(/signed and immutable: DELETE refused/);
    // TRUNCATE is refused too (inside a rolled-back transaction: a missing trigger fails the test, never the data).
    const truncated = await dbError(server.db.db.transaction(async (tx) => {
      await tx.execute(sql`truncate dosimetry_record cascade`);
      throw new Error("TRUNCATE was accepted");
    }));
    expect(truncated).toMatch(/dosimetry_record holds signed records: TRUNCATE refused/);
    const [still] = await server.db.db.select().from(dosimetryRecord).where(eq(dosimetryRecord.id, uuid));
    expect(still).toMatchObject({ status: "SIGNED", notes: null });
    // Audit rows of the writes.
    const rows = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.entityId, uuid), eq(auditEvent.outcome, "SUCCESS")));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["dosimetry.create", "dosimetry.save", "dosimetry.sign"]));
    const writes = rows.filter((r) => r.action.startsWith("dosimetry."));
    expect(writes.every((r) => r.actorUserId === site.users.PHYSICIST.id && r.patientId === idOf(fx.patientId, "Patient"))).toBe(true);
    expect(rows.some((r) => r.action === "DosimetryRecord.read" && r.actorUserId === site.users.PHYSICIAN.id)).toBe(true);

    const am = await must(amend(physicist, signed.id, "kidney VOI redrawn on CT"));
    expect(am).toMatchObject({ revision: 2, status: "DRAFT", previous: { id: signed.id, revision: 1 } });
    const am2 = await amend(physicist, signed.id, "twice");
    expect(am2.userErrors[0]).toMatchObject({ field: ["input", "id"] });
    // Ledger still uses revision 1 (signed) and shows the pending amendment.
    let l = await ledgerOf(physicist, fx.patientId);
    expect(l.cycles[0]).toMatchObject({ signed: true, record: { revision: 1 }, pendingAmendment: { revision: 2 } });
    close(organ(l, "KIDNEYS").cumulativeAbsorbedGy, D100);
    // The amendment (A0' 80 MBq) signed → the ledger uses revision 2.
    const amSaved = await must(save(physicist, doc(am, start1, 80)));
    await must(sign(physicist, amSaved.id, amSaved.version));
    l = await ledgerOf(physicist, fx.patientId);
    expect(l.cycles[0]).toMatchObject({ signed: true, record: { revision: 2 }, pendingAmendment: null });
    close(organ(l, "KIDNEYS").cumulativeAbsorbedGy, D80);
  });

  it("ledger across cycles and courses: only signed cycles count, unsigned shown as projected; max next activity and what-if", async () => {
    // Cycle 2 of course 1: A0' 100 MBq, signed. Course 2 (retreatment) cycle 1: A0' 120 MBq, left unsigned first.
    const start2 = await administer(fx.cycleIds[1]!, Date.now() - 9 * 24 * H);
    const r2 = await must(create(physicist, fx.cycleIds[1]!));
    const s2 = await must(save(physicist, doc(r2, start2, 100)));
    await must(sign(physicist, s2.id, s2.version));
    const course2 = await ok<{ cycles: { id: string }[] }>(phys, "therapyCourseCreate", {
      patientId: fx.patientId, radiopharmaceuticalId: (await agent(phys, "177Lu-DOTATATE")).id, intent: "RETREATMENT", plannedCycles: 2,
      plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: daysFromNowDate(3),
    });
    const start3 = await administer(course2.cycles[0]!.id, Date.now() - 8 * 24 * H);
    const r3 = await must(create(physicist, course2.cycles[0]!.id));
    const s3 = await must(save(physicist, doc(r3, start3, 120)));

    let l = await ledgerOf(phys, fx.patientId);
    expect(l.policy.name).toBe("kidney-23Gy-BED28Gy-marrow-2Gy");
    expect(l.cycles.map((c) => [c.courseOrdinal, c.cycleNumber, c.signed])).toEqual([[1, 1, true], [1, 2, true], [2, 1, false]]);
    // Of record: D80 + D100 = 7.254563 Gy; BED 3.436286 + 4.361618 = 7.797904 Gy.
    const k = organ(l, "KIDNEYS");
    expect(k.cycles).toBe(2);
    close(k.cumulativeAbsorbedGy, D80 + D100);
    close(k.cumulativeBedGy, BED[80] + BED[100]);
    close(k.absorbedRemainingGy, 23 - (D80 + D100));
    close(k.bedRemainingGy, 28 - (BED[80] + BED[100]));
    // Including the unsigned retreatment cycle: + D120 = 12.090938 Gy, BED + 5.313455 = 13.111359 Gy.
    close(k.projectedAbsorbedGy, D80 + D100 + D120);
    close(k.projectedBedGy, BED[80] + BED[100] + BED[120]);
    close(organ(l, "BONE_MARROW").cumulativeAbsorbedGy, 2 * DRM);
    // Max next activity (dosimetry.md §8): g = D100 / A2 (latest signed cycle's Gy/GBq);
    // absorbed budget 23 − 7.254563 = 15.745437 Gy; BED budget 28 − 7.797904 = 20.202096 Gy →
    // q = G/(α/β) = 0.0530303/2.6, D_bed = (−1 + √(1 + 4q·20.202096))/(2q); marrow: (2 − 0.369212)/(DRM/A2).
    const cyc = await q<{ node: { netActivityMBq: number } }>(phys, `query($id:ID!){ node(id:$id){ ... on TherapyCycle { netActivityMBq } } }`, { id: fx.cycleIds[1] });
    const a2 = cyc.node.netActivityMBq / 1000;
    const g = D100 / a2;
    const qq = 2.8 / 52.8 / 2.6;
    const dBed = (-1 + Math.sqrt(1 + 4 * qq * (28 - BED[80] - BED[100]))) / (2 * qq);
    const kidneyMax = Math.min(23 - D80 - D100, dBed) / g;
    const marrowMax = (2 - 2 * DRM) / (DRM / a2);
    close(l.maxNextActivityGBq, Math.min(kidneyMax, marrowMax), 1e-3);
    expect(l.limitingOrgan).toBe(kidneyMax < marrowMax ? "KIDNEYS" : "BONE_MARROW");
    expect(l.nextMessage).toContain("GBq");

    // What-if 7.4 GBq next cycle: kidney D + g·7.4, BED + BED(g·7.4).
    const w = await q<{ doseWhatIf: { organs: { organ: string; projectedAbsorbedGy: number; projectedBedGy: number | null; message: string; exceeds: boolean }[] } }>(
      phys, `query($p:ID!){ doseWhatIf(patientId:$p, activityGBq: 7.4){ organs { organ projectedAbsorbedGy projectedBedGy message exceeds } } }`, { p: fx.patientId });
    const kw = w.doseWhatIf.organs.find((o) => o.organ === "KIDNEYS")!;
    const added = g * 7.4;
    close(kw.projectedAbsorbedGy, D80 + D100 + added);
    close(kw.projectedBedGy, BED[80] + BED[100] + added * (1 + (added * (2.8 / 52.8)) / 2.6));
    expect(kw.message).toMatch(/^7\.4 GBq next cycle → kidneys absorbed [\d.]+ of 23 Gy/);
    const badWhatIf = await phys.gql(`query($p:ID!){ doseWhatIf(patientId:$p, activityGBq: -1){ activityGBq } }`, { p: fx.patientId });
    expect(badWhatIf.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    // Another policy (BED 40 Gy without risk factors) is selectable.
    const l40 = await ledgerOf(phys, fx.patientId, "kidney-23Gy-BED40Gy-marrow-2Gy");
    expect(organ(l40, "KIDNEYS").bedLimitGy).toBe(40);
    const badPolicy = await phys.gql(LEDGER, { p: fx.patientId, policy: "nonsense" });
    expect(badPolicy.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    // Signing the retreatment cycle moves it into the ledger of record.
    await must(sign(physicist, s3.id, s3.version));
    l = await ledgerOf(phys, fx.patientId);
    close(organ(l, "KIDNEYS").cumulativeAbsorbedGy, D80 + D100 + D120);
    close(organ(l, "KIDNEYS").cumulativeBedGy, BED[80] + BED[100] + BED[120]);
    expect(organ(l, "KIDNEYS").cycles).toBe(3);

    // Awaiting sign-off list is empty for this patient now.
    const aw = await q<{ dosimetryAwaitingSignOff: { id: string }[] }>(phys, `{ dosimetryAwaitingSignOff { id } }`);
    expect(aw.dosimetryAwaitingSignOff.map((x) => x.id)).not.toContain(s3.id);

    // CSV: header, one row per cycle × organ, cumulative rows; RFC 4180 quoting.
    const csvRes = await get(phys, l.csvPath);
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get("content-type")).toContain("text/csv");
    const csv = await csvRes.text();
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("row_type,course,course_ordinal,cycle_number,administered_at,activity_GBq,status,revision,signed_at,organ,dose_Gy,dose_sd_Gy,bed_Gy,t_eff_h,limit_dose_Gy,limit_bed_Gy,remaining_dose_Gy,remaining_bed_Gy,policy");
    expect(lines.filter((x) => x.startsWith("CYCLE,"))).toHaveLength(6);
    const cum = lines.find((x) => x.startsWith("CUMULATIVE_SIGNED") && x.includes(",KIDNEYS,"))!.split(",");
    close(Number(cum[10]), D80 + D100 + D120);
    expect(csvField('a "quoted", value')).toBe('"a ""quoted"", value"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    const exp = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.action, "dosimetry.export.csv"), eq(auditEvent.patientId, idOf(fx.patientId, "Patient")!)));
    expect(exp).toHaveLength(1);
  });

  it("the PDF report carries the patient's numbers; routes need a session and stay in the site", async () => {
    const l = await ledgerOf(phys, fx.patientId);
    const recId = l.cycles[1]!.record.id;
    const rec = (await q<{ dosimetryRecord: Rec }>(phys, `query($id:ID!){ dosimetryRecord(id:$id){ ${REC} } }`, { id: recId })).dosimetryRecord;
    const res = await get(phys, rec.reportPath);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).not.toContain(fx.mrn);
    const pdf = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
    const { text, totalPages } = await extractText(pdf, { mergePages: true });
    expect(text).toContain(fx.mrn);
    expect(text).toContain("Synthfamily");
    expect(text).toContain(D100.toFixed(3)); // kidney dose of cycle 2
    expect(text).toContain(BED[100].toFixed(3));
    expect(text).toContain((rec.administeredActivityMBq / 1000).toFixed(3));
    expect(text).toContain("Signed by medical physicist");
    expect(text).toContain(`page ${totalPages} of ${totalPages}`);
    expect(text).toContain("mono-exponential");

    const cum = await get(phys, l.reportPath);
    const ctext = (await extractText(await getDocumentProxy(new Uint8Array(await cum.arrayBuffer())), { mergePages: true })).text;
    expect(ctext).toContain((D80 + D100 + D120).toFixed(2));

    // No session → 401; another site → 404 (and audited as out of scope).
    const anon = await fetch(`${server.base}${rec.reportPath}`);
    expect(anon.status).toBe(401);
    const other = await server.createSite(["PHYSICIST"]);
    const stranger = await as(server, other.users.PHYSICIST.email);
    expect((await get(stranger, rec.reportPath)).status).toBe(404);
    expect((await get(stranger, l.csvPath)).status).toBe(404);
    const foreign = await stranger.gql<{ dosimetryRecord: unknown }>(`query($id:ID!){ dosimetryRecord(id:$id){ id } }`, { id: recId });
    expect(foreign.data?.dosimetryRecord).toBeNull();
    const foreignSign = await sign(stranger, recId, 1);
    expect(foreignSign.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "NOT_FOUND" });
    const foreignCreate = await create(stranger, fx.cycleIds[2]!);
    expect(foreignCreate.userErrors[0]).toMatchObject({ field: ["input", "cycleId"], code: "NOT_FOUND" });
  });

  it("a tumour VOI linked to a lesion needs a mass and is reported per lesion; the summary contract reads the ledger", async () => {
    const p2 = await clinicalFixture(coord, phys);
    const start = await administer(p2.cycleIds[0]!);
    const r = await must(create(physicist, p2.cycleIds[0]!));
    // Tumour 20 g, A(t) = 22.449·2^(−t/144) (Example D5): Ã = 22.449·144/ln2 = 4663.7 MBq·h → D = K·Ã/0.020 kg.
    const tumour = { key: "t1", kind: "TUMOUR", label: "Liver lesion", lesionId: p2.lesionId, model: "MONO_EXP", source: "SPECT quantification job 12", activities: mono(22.449, 144, HOURS) };
    const noMass = await must(save(physicist, doc(r, start, 100, [tumour])));
    expect(noMass.vois.find((v) => v.key === "t1")!.result.error).toContain("massG");
    const signNoMass = await sign(physicist, noMass.id, noMass.version);
    expect(signNoMass.userErrors[0]).toMatchObject({ field: ["input", "vois", "2"] });
    const withMass = await must(save(physicist, { ...doc(noMass, start, 100, [{ ...tumour, massG: 20 }]), version: noMass.version }));
    const t = withMass.vois.find((v) => v.key === "t1")!;
    close(t.result.doseGy, (0.0853063 * ((22.449 * 144) / Math.LN2)) / 0.02 / 1000, 1e-4); // ≈ 19.89 Gy (Example D5)
    // Lesion of another patient refused.
    const wrong = await save(physicist, { ...doc(withMass, start, 100, [{ ...tumour, massG: 20, lesionId: fx.lesionId }]), version: withMass.version });
    expect(wrong.userErrors[0]).toMatchObject({ field: ["input", "vois", "2", "lesionId"] });
    await must(sign(physicist, withMass.id, withMass.version));

    const { doseSummaryForPatient, lesionDosesForPatient } = await import("./summary");
    const { RequestContext } = await import("../../graphql/context");
    const { loadConfig } = await import("../../config");
    const ctx = new RequestContext("test", { userId: site.users.PHYSICIAN.id, siteId: site.site.id, roles: ["PHYSICIAN"] } as never, server.db.db, undefined as never, loadConfig({ NODE_ENV: "test" }), undefined as never);
    const sum = await doseSummaryForPatient(ctx, idOf(p2.patientId, "Patient")!);
    expect(sum!.limitPolicy).toBe("kidney-23Gy-BED28Gy-marrow-2Gy");
    const kid = sum!.rows.find((x) => x.organ === "KIDNEYS")!;
    close(kid.cumulativeDoseGy, D100);
    expect(kid).toMatchObject({ cyclesCounted: 1, cyclesSigned: 1 });
    expect(kid.limitQuantity).toBe("DOSE"); // 4.03/23 = 17.5 % > BED 4.36/28 = 15.6 %
    close(kid.remainingGy, 23 - D100);
    expect(sum!.maxNextActivityGBq).toBeGreaterThan(0);
    const lesions = await lesionDosesForPatient(ctx, idOf(p2.patientId, "Patient")!);
    expect(lesions).toHaveLength(1);
    expect(lesions[0]).toMatchObject({ lesionId: idOf(p2.lesionId, "Lesion"), cycleNumber: 1, signed: true });
    close(lesions[0]!.absorbedDoseGy, 19.8925, 1e-3);
    const none = await clinicalFixture(coord, phys);
    expect(await doseSummaryForPatient(ctx, idOf(none.patientId, "Patient")!)).toBeNull();
  });
});
