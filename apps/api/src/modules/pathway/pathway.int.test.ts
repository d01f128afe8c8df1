import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { Temporal } from "@js-temporal/polyfill";
import { auditEvent, cycleDecision, site as siteTable } from "@lutetia/db";
import { BUILTIN_TEMPLATES, generateCourseSchedule } from "@lutetia/protocols";
import { as, Client, startTestServer, type TestServer } from "../../../test/harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

type UE = { field: string[]; message: string; code: string };
interface Ev {
  id: string;
  key: string;
  kind: string;
  status: string;
  dueAt: string;
  dueLocal: string;
  windowStart: string | null;
  windowEnd: string | null;
  version: number;
  cycleNumber: number | null;
}
interface Flag {
  code: string;
  severity: string;
  eventKeys: string[];
  events: { id: string }[];
}

const EV = `id key kind status dueAt dueLocal windowStart windowEnd version cycleNumber`;
const FLAG = `code severity eventKeys events { id } values source`;

async function ok<T>(c: Client, q: string, v?: Record<string, unknown>): Promise<T> {
  const r = await c.gql<T>(q, v);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data as T;
}

async function agentId(c: Client, name: string): Promise<string> {
  const d = await ok<{ radiopharmaceuticals: { id: string; name: string }[] }>(c, `{ radiopharmaceuticals { id name } }`);
  return d.radiopharmaceuticals.find((r) => r.name === name)!.id;
}

async function templateId(c: Client, key: string): Promise<string> {
  const d = await ok<{ protocolTemplates: { id: string; key: string }[] }>(c, `{ protocolTemplates { id key } }`);
  return d.protocolTemplates.find((t) => t.key === key)!.id;
}

let mrnSeq = 0;
async function newPatient(c: Client, extra: Record<string, unknown> = {}): Promise<{ id: string; mrn: string }> {
  const mrn = `PW-${String(++mrnSeq).padStart(4, "0")}`;
  const d = await ok<{ patientCreate: { patient: { id: string; mrn: string }; userErrors: UE[] } }>(
    c,
    `mutation($i: PatientCreateInput!) { patientCreate(input: $i) { patient { id mrn } userErrors { field message code } } }`,
    { i: { mrn, familyName: "Zyxfamily", givenName: "Qwgiven", birthDate: "1958-02-03", sex: "FEMALE", heightCm: 168, ...extra } },
  );
  expect(d.patientCreate.userErrors).toEqual([]);
  return d.patientCreate.patient;
}

const COURSE = `mutation($i: TherapyCourseCreateInput!) { therapyCourseCreate(input: $i) {
  course { id plannedCycles plannedActivityMBq intervalDays protocolTemplate { key templateVersion } cycles { id number plannedDate version scheduledAt }
    careEvents { ${EV} } scheduleFlags { ${FLAG} } }
  userErrors { field message code } } }`;
interface Course {
  id: string;
  plannedCycles: number;
  plannedActivityMBq: number;
  intervalDays: number;
  protocolTemplate: { key: string; templateVersion: number };
  cycles: { id: string; number: number; plannedDate: string; version: number; scheduledAt: string }[];
  careEvents: Ev[];
  scheduleFlags: Flag[];
}

async function planCourse(c: Client, patientId: string, key: string, firstAdministrationAt: string, agent = "177Lu-DOTATATE"): Promise<Course> {
  const d = await ok<{ therapyCourseCreate: { course: Course; userErrors: UE[] } }>(c, COURSE, {
    i: { patientId, radiopharmaceuticalId: await agentId(c, agent), intent: "STANDARD", protocolTemplateId: await templateId(c, key), firstAdministrationAt },
  });
  expect(d.therapyCourseCreate.userErrors).toEqual([]);
  return d.therapyCourseCreate.course;
}

const ev = (course: { careEvents: Ev[] }, key: string) => {
  const e = course.careEvents.find((x) => x.key === key);
  if (!e) throw new Error(`no event ${key}`);
  return e;
};

const BOOK = `mutation($i: CareEventBookInput!) { careEventBook(input: $i) { careEvent { ${EV} bookedAt resource } flags { ${FLAG} } userErrors { field message code } } }`;
async function book(c: Client, e: Ev, bookedAt: string, extra: Record<string, unknown> = {}) {
  const d = await ok<{ careEventBook: { careEvent: Ev | null; flags: Flag[]; userErrors: UE[] } }>(c, BOOK, { i: { id: e.id, version: e.version, bookedAt, ...extra } });
  return d.careEventBook;
}

async function courseState(c: Client, id: string) {
  return (await ok<{ node: Course & { scheduleFlags: Flag[] } }>(c, `query($id: ID!) { node(id: $id) { ... on TherapyCourse { id careEvents { ${EV} } scheduleFlags { ${FLAG} } cycles { id number plannedDate version scheduledAt } } } }`, { id })).node;
}

/** Local wall-clock string in Europe/Amsterdam `days` from now at hh:mm. */
function localFromNow(days: number, hh = 9, mm = 0, tz = "Europe/Amsterdam"): string {
  const d = Temporal.Now.zonedDateTimeISO(tz).add({ days }).toPlainDate();
  return `${d.toString()}T${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}`;
}
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3_600_000;
const D = 24 * H;

describe("care pathway: planning a course from a protocol template", () => {
  it("generates the cycles and care events of every shipped template, stored in UTC, in the site time zone", async () => {
    const { users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const p = await newPatient(phys);
    const c = await planCourse(phys, p.id, "lu177-dotatate-standard", "2027-01-12T09:00");
    const expected = generateCourseSchedule(BUILTIN_TEMPLATES[0]!, { startDate: "2027-01-12T09:00", timeZone: "Europe/Amsterdam" });
    expect(c.careEvents).toHaveLength(expected.events.length);
    expect(c.careEvents).toHaveLength(42); // 4 cycles × (1 + 7 per-cycle events) + interim + restaging + 4 imaging + 4 labs follow-up
    expect(c).toMatchObject({ plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 56, protocolTemplate: { key: "lu177-dotatate-standard", templateVersion: 1 } });
    // 09:00 local each cycle, across the spring DST change: 08:00Z in winter, 07:00Z in summer.
    expect(ev(c, "cycle#c1").dueAt).toBe("2027-01-12T08:00:00.000Z");
    expect(ev(c, "cycle#c3").dueAt).toBe("2027-05-04T07:00:00.000Z");
    expect(ev(c, "cycle#c3").dueLocal).toBe("2027-05-04T09:00:00+02:00[Europe/Amsterdam]");
    expect(c.cycles.map((y) => y.plannedDate)).toEqual(["2027-01-12", "2027-03-09", "2027-05-04", "2027-06-29"]);
    expect(c.cycles[0]!.scheduledAt).toBe("2027-01-12T08:00:00.000Z");
    // Windows: pre-cycle labs in the 14 days before, cycle ± 7 days, post-therapy scan 24 ± 4 h.
    expect(ev(c, "labs#c1")).toMatchObject({ windowStart: "2026-12-29T08:00:00.000Z", windowEnd: "2027-01-12T08:00:00.000Z" });
    expect(ev(c, "cycle#c2")).toMatchObject({ windowStart: "2027-03-02T08:00:00.000Z", windowEnd: "2027-03-16T08:00:00.000Z" });
    expect(ev(c, "post-scan-24h#c1")).toMatchObject({ dueAt: "2027-01-13T08:00:00.000Z", windowStart: "2027-01-13T04:00:00.000Z", windowEnd: "2027-01-13T12:00:00.000Z" });
    expect(ev(c, "restaging")).toMatchObject({ cycleNumber: null, status: "PLANNED" });
    // Every event carries its source; a fresh plan has no ERROR/WARNING flags.
    expect(c.scheduleFlags.filter((f) => f.severity !== "INFO")).toEqual([]);

    for (const t of BUILTIN_TEMPLATES.slice(1)) {
      const agent = t.radiopharmaceutical.nuclide === "90Y" ? "90Y-DOTATOC" : "177Lu-DOTATATE";
      const cc = await planCourse(phys, p.id, t.id, "2027-10-04T10:30", agent);
      const exp = generateCourseSchedule(t, { startDate: "2027-10-04T10:30", timeZone: "Europe/Amsterdam" });
      expect(cc.careEvents, t.id).toHaveLength(exp.events.length);
      expect(cc.cycles, t.id).toHaveLength(t.cycles);
      expect(cc.careEvents.map((e) => e.dueAt).sort(), t.id).toEqual(exp.events.map((e) => new Date(e.dueAt).toISOString()).sort());
    }
  });

  it("uses the site's own time zone (America/New_York) and refuses bad plans field by field", async () => {
    const { site, users } = await server.createSite();
    await server.db.db.update(siteTable).set({ timeZone: "America/New_York" }).where(eq(siteTable.id, site.id));
    const phys = await as(server, users.PHYSICIAN.email);
    const p = await newPatient(phys);
    const c = await planCourse(phys, p.id, "lu177-dotatate-standard", "2027-03-09T09:00");
    expect(ev(c, "cycle#c1").dueAt).toBe("2027-03-09T14:00:00.000Z"); // EST
    expect(ev(c, "cycle#c2").dueAt).toBe("2027-05-04T13:00:00.000Z"); // EDT, still 09:00 local
    expect(c.cycles[1]!.plannedDate).toBe("2027-05-04");

    const bad = await ok<{ therapyCourseCreate: { course: null; userErrors: UE[] } }>(phys, COURSE, {
      i: { patientId: p.id, radiopharmaceuticalId: await agentId(phys, "90Y-DOTATOC"), intent: "STANDARD", protocolTemplateId: await templateId(phys, "lu177-dotatate-standard"), firstAdministrationAt: "2027-03-09T09:00", plannedCycles: 6, intervalDays: 30 },
    });
    expect(bad.therapyCourseCreate.course).toBeNull();
    const fields = bad.therapyCourseCreate.userErrors.map((e) => e.field.join("."));
    expect(fields).toEqual(expect.arrayContaining(["input.radiopharmaceuticalId", "input.plannedCycles", "input.intervalDays"]));
    expect(bad.therapyCourseCreate.userErrors.find((e) => e.field[1] === "plannedCycles")!.message).toContain("6");
    const missing = await ok<{ therapyCourseCreate: { userErrors: UE[] } }>(phys, COURSE, {
      i: { patientId: p.id, radiopharmaceuticalId: await agentId(phys, "177Lu-DOTATATE"), intent: "STANDARD", protocolTemplateId: await templateId(phys, "lu177-dotatate-standard") },
    });
    expect(missing.therapyCourseCreate.userErrors[0]).toMatchObject({ field: ["input", "firstAdministrationAt"], code: "INVALID" });
  });
});

describe("care pathway: rescheduling and constraints", () => {
  const RESCHED = `mutation($i: CycleRescheduleInput!) { cycleReschedule(input: $i) { changes { key kind cycleNumber change fromDueAt toDueAt wasBooked event { id status } } flags { ${FLAG} } userErrors { field message code } } }`;
  type Resched = { cycleReschedule: { changes: { key: string; change: string; fromDueAt: string; toDueAt: string; wasBooked: boolean }[]; flags: Flag[]; userErrors: UE[] } };

  it("moves a cycle and its dependants, returns the diff, and flags (never silently accepts) constraint violations", async () => {
    const { users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const coord = await as(server, users.COORDINATOR.email);
    const p = await newPatient(phys);
    const c = await planCourse(phys, p.id, "lu177-dotatate-standard", "2027-01-12T09:00");
    const c2 = c.cycles.find((y) => y.number === 2)!;
    // A booked dependant of cycle 2 keeps its booking (and is reported as such).
    const scan2 = ev(c, "post-scan-24h#c2");
    expect((await book(coord, scan2, "2027-03-10T08:00:00Z", { resource: "SPECT-1", modality: "SPECT_CT" })).userErrors).toEqual([]);

    const r1 = await ok<Resched>(coord, RESCHED, { i: { id: c2.id, version: c2.version, administrationAt: "2027-03-16T09:00", reason: "room unavailable" } });
    expect(r1.cycleReschedule.userErrors).toEqual([]);
    const changes = r1.cycleReschedule.changes;
    const byKey = new Map(changes.map((x) => [x.key, x]));
    expect(byKey.get("cycle#c2")).toMatchObject({ change: "MOVED", fromDueAt: "2027-03-09T08:00:00.000Z", toDueAt: "2027-03-16T08:00:00.000Z" });
    expect(byKey.get("cycle#c4")).toMatchObject({ change: "MOVED", fromDueAt: "2027-06-29T07:00:00.000Z", toDueAt: "2027-07-06T07:00:00.000Z" });
    expect(byKey.get("restaging")?.change).toBe("MOVED");
    expect(byKey.get("post-scan-24h#c2")).toMatchObject({ wasBooked: true });
    expect(changes.some((x) => x.key.endsWith("#c1"))).toBe(false); // earlier cycle untouched
    expect(byKey.has("interim-imaging-w12")).toBe(false); // anchored on cycle 1
    // The booked scan now sits outside its window relative to the moved cycle: flagged.
    expect(r1.cycleReschedule.flags.map((f) => f.code)).toContain("POST_THERAPY_SCAN_OUTSIDE_WINDOW");
    const after = await courseState(coord, c.id);
    expect(after.cycles.find((y) => y.number === 2)).toMatchObject({ plannedDate: "2027-03-16", version: 2 });
    expect(after.cycles.find((y) => y.number === 4)!.plannedDate).toBe("2027-07-06");
    expect(ev(after, "labs#c2").dueAt).toBe("2027-03-09T08:00:00.000Z");

    // The plain cycle update cannot move a template-planned cycle behind the care events' back.
    const plain = await ok<{ therapyCycleUpdate: { userErrors: UE[] } }>(coord, `mutation($i: TherapyCycleUpdateInput!) { therapyCycleUpdate(input: $i) { userErrors { field message code } } }`, { i: { id: c2.id, version: 2, plannedDate: "2027-03-20" } });
    expect(plain.therapyCycleUpdate.userErrors[0]!.field).toEqual(["input", "plannedDate"]);
    // A cancelled dependant stays where it was (and cancelled) when its cycle moves.
    const nadir3 = ev(after, "nadir-labs#c3");
    await ok(coord, `mutation($i: CareEventSetStatusInput!) { careEventSetStatus(input: $i) { userErrors { field } } }`, { i: { id: nadir3.id, version: nadir3.version, status: "CANCELLED", reason: "not needed" } });
    // A stale cycle version is refused; nothing moves.
    const stale = await ok<Resched>(coord, RESCHED, { i: { id: c2.id, version: 1, administrationAt: "2027-03-20T09:00" } });
    expect(stale.cycleReschedule.userErrors[0]).toMatchObject({ field: ["input", "version"], code: "CONFLICT" });

    // Cycle 2 only 20 days after cycle 1: interval too short, and the long-acting SSA given after cycle 1 is < 4 weeks before.
    const r2 = await ok<Resched>(coord, RESCHED, { i: { id: c2.id, version: 2, administrationAt: "2027-02-01T09:00" } });
    const codes = r2.cycleReschedule.flags.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(["CYCLE_INTERVAL_TOO_SHORT", "SSA_LONG_ACTING_WASHOUT_NOT_MET"]));
    const stored = await courseState(coord, c.id);
    expect(ev(stored, "nadir-labs#c3")).toMatchObject({ status: "CANCELLED", dueAt: nadir3.dueAt });
    expect(stored.scheduleFlags.map((f) => f.code)).toEqual(expect.arrayContaining(["CYCLE_INTERVAL_TOO_SHORT", "SSA_LONG_ACTING_WASHOUT_NOT_MET"]));
    const interval = stored.scheduleFlags.find((f) => f.code === "CYCLE_INTERVAL_TOO_SHORT")!;
    expect(interval.eventKeys).toEqual(["cycle#c1", "cycle#c2"]);
    expect(interval.events).toHaveLength(2);
    // The rescheduled cycle is not before the previous one.
    const before = await ok<Resched>(coord, RESCHED, { i: { id: c2.id, version: 3, administrationAt: "2027-01-01T09:00" } });
    expect(before.cycleReschedule.userErrors[0]).toMatchObject({ field: ["input", "administrationAt"], code: "INVALID" });
    const audit = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.action, "course.reschedule"), eq(auditEvent.entityId, idFrom(c.id))));
    expect(audit).toHaveLength(2);
  });

  it("flags labs too old, post-therapy scan window, FDG+SSTR PET same day, restaging too soon, SSA washout and unsigned dosimetry", async () => {
    const { users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const coord = await as(server, users.COORDINATOR.email);
    const p = await newPatient(phys);
    const first = localFromNow(10);
    const c = await planCourse(phys, p.id, "lu177-dotatate-standard", first);
    const c1 = Date.parse(ev(c, "cycle#c1").dueAt);
    const codesAfter = async (e: Ev, at: number, extra: Record<string, unknown> = {}) => {
      const r = await book(coord, e, iso(at), extra);
      expect(r.userErrors).toEqual([]);
      return r.flags;
    };
    // Labs drawn 20 days before the cycle (max 14).
    let flags = await codesAfter(ev(c, "labs#c1"), c1 - 20 * D);
    expect(flags.find((f) => f.code === "LABS_TOO_OLD")).toMatchObject({ severity: "ERROR", eventKeys: ["labs#c1", "cycle#c1"] });
    // Post-therapy scan at 48 h (window 20–28 h).
    flags = await codesAfter(ev(c, "post-scan-24h#c1"), c1 + 48 * H);
    expect(flags.find((f) => f.code === "POST_THERAPY_SCAN_OUTSIDE_WINDOW")?.eventKeys).toEqual(["post-scan-24h#c1", "cycle#c1"]);
    // Restaging booked 30 days after the last cycle as SSTR PET, and an FDG PET the same day.
    const c4 = Date.parse(ev(c, "cycle#c4").dueAt);
    flags = await codesAfter(ev(c, "restaging"), c4 + 30 * D, { modality: "SSTR_PET", resource: "PET-CT 1" });
    expect(flags.map((f) => f.code)).toContain("RESTAGING_TOO_SOON_AFTER_CYCLE");
    const created = await ok<{ careEventCreate: { careEvent: Ev; userErrors: UE[] } }>(
      coord,
      `mutation($i: CareEventCreateInput!) { careEventCreate(input: $i) { careEvent { ${EV} } flags { ${FLAG} } userErrors { field message code } } }`,
      { i: { courseId: c.id, kind: "RESTAGING", label: "FDG PET/CT at restaging", dueAt: iso(c4 + 30 * D + 3 * H) } },
    );
    expect(created.careEventCreate.userErrors).toEqual([]);
    flags = await codesAfter(created.careEventCreate.careEvent, c4 + 30 * D + 3 * H, { modality: "FDG_PET" });
    expect(flags.find((f) => f.code === "FDG_AND_SSTR_PET_SAME_DAY")?.eventKeys).toEqual([created.careEventCreate.careEvent.key, "restaging"]);
    // A long-acting SSA injection given 5 days ago, 15 days before cycle 1.
    const ssa = await ok<{ careEventCreate: { careEvent: Ev; flags: Flag[]; userErrors: UE[] } }>(
      coord,
      `mutation($i: CareEventCreateInput!) { careEventCreate(input: $i) { careEvent { ${EV} performedAt } flags { ${FLAG} } userErrors { field message code } } }`,
      { i: { courseId: c.id, kind: "SSA_INJECTION", label: "Octreotide LAR 30 mg (before referral)", dueAt: iso(Date.now() - 5 * D), performedAt: iso(Date.now() - 5 * D) } },
    );
    expect(ssa.careEventCreate.careEvent.status).toBe("DONE");
    expect(ssa.careEventCreate.flags.find((f) => f.code === "SSA_LONG_ACTING_WASHOUT_NOT_MET")?.eventKeys).toEqual(["cycle#c1"]);

    // Dosimetry-guided: booking cycle 2 before cycle 1's dosimetry is signed (none is).
    const d = await planCourse(phys, p.id, "lu177-dotatate-dosimetry-mtp", localFromNow(120));
    expect(d.scheduleFlags.filter((f) => f.code === "DOSIMETRY_NOT_SIGNED")).toEqual([]); // planned, not booked
    flags = await codesAfter(ev(d, "cycle#c2"), Date.parse(ev(d, "cycle#c2").dueAt));
    expect(flags.filter((f) => f.code === "DOSIMETRY_NOT_SIGNED").map((f) => f.eventKeys)).toEqual([["cycle#c2"]]);

    // All of it appears as conflicts on the worklist.
    const wl = await ok<{ careWorklist: { conflicts: { course: { id: string }; flags: Flag[] }[] } }>(coord, `{ careWorklist { conflicts { course { id } flags { code } } } }`);
    const conflictCodes = wl.careWorklist.conflicts.find((x) => x.course.id === c.id)!.flags.map((f) => f.code);
    expect(conflictCodes).toEqual(expect.arrayContaining(["LABS_TOO_OLD", "POST_THERAPY_SCAN_OUTSIDE_WINDOW", "RESTAGING_TOO_SOON_AFTER_CYCLE", "FDG_AND_SSTR_PET_SAME_DAY", "SSA_LONG_ACTING_WASHOUT_NOT_MET"]));
    expect(wl.careWorklist.conflicts.some((x) => x.course.id === d.id)).toBe(true);
  });
});

describe("care pathway: DOSIMETRY_NOT_SIGNED clears when the physicist signs", () => {
  it("a booked cycle 2 of a dosimetry-guided course is flagged until cycle 1's dosimetry is signed", async () => {
    const { users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const physicist = await as(server, users.PHYSICIST.email);
    const coord = await as(server, users.COORDINATOR.email);
    const p = await newPatient(phys);
    const d = await planCourse(phys, p.id, "lu177-dotatate-dosimetry-mtp", localFromNow(0, 6, 0));
    const c1 = d.cycles[0]!;
    const GO = `mutation($i: CycleRecordDecisionInput!) { cycleRecordDecision(input: $i) { userErrors { field } } }`;
    await ok(phys, GO, { i: { cycleId: c1.id, action: "GO", reason: "labs within limits" } });
    const ADM = `mutation($i: CycleRecordAdministrationInput!) { cycleRecordAdministration(input: $i) { cycle { status } userErrors { field message } } }`;
    const adm = await ok<{ cycleRecordAdministration: { cycle: { status: string } | null; userErrors: UE[] } }>(phys, ADM, {
      i: { id: c1.id, version: c1.version, calibratedActivityMBq: 7400, calibrationTime: iso(Date.now() - 80 * H), residualActivityMBq: 30, residualTime: iso(Date.now() - 71 * H),
        infusionStart: iso(Date.now() - 72 * H), infusionEnd: iso(Date.now() - 71.5 * H), aminoAcidInfusion: true, lot: "LOT-D1" },
    });
    expect(adm.cycleRecordAdministration.userErrors).toEqual([]);
    const booked = await book(coord, ev(d, "cycle#c2"), ev(d, "cycle#c2").dueAt);
    expect(booked.flags.filter((f) => f.code === "DOSIMETRY_NOT_SIGNED").map((f) => f.eventKeys)).toEqual([["cycle#c2"]]);

    // The physicist records and signs cycle 1's dosimetry (left kidney, three SPECT points).
    const R = `record { id version } userErrors { field message code }`;
    const cr = await ok<{ dosimetryRecordCreate: { record: { id: string; version: number } } }>(physicist, `mutation($i: DosimetryRecordCreateInput!) { dosimetryRecordCreate(input: $i) { ${R} } }`, { i: { cycleId: c1.id, phantomSex: "FEMALE" } });
    const rec = cr.dosimetryRecordCreate.record;
    const t0 = Date.now() - 72 * H;
    const sv = await ok<{ dosimetryRecordSave: { record: { id: string; version: number }; userErrors: UE[] } }>(physicist, `mutation($i: DosimetryRecordSaveInput!) { dosimetryRecordSave(input: $i) { ${R} } }`, {
      i: { id: rec.id, version: rec.version, timepoints: [4, 24, 70].map((h, k) => ({ key: `tp${k + 1}`, acquiredAt: iso(t0 + h * H) })),
        vois: [{ key: "kl", kind: "KIDNEY_LEFT", label: "Kidney left", massG: 150, model: "MONO_EXP", source: "entered", activities: [150, 120, 70] }] },
    });
    expect(sv.dosimetryRecordSave.userErrors).toEqual([]);
    const sg = await ok<{ dosimetryRecordSign: { record: { id: string } | null; userErrors: UE[] } }>(physicist, `mutation($i: DosimetryRecordSignInput!) { dosimetryRecordSign(input: $i) { record { id } userErrors { field message code } } }`, { i: { id: rec.id, version: sv.dosimetryRecordSave.record.version } });
    expect(sg.dosimetryRecordSign.userErrors).toEqual([]);
    // Signing re-ran the course check: the flag is gone from the course and the worklist.
    const after = await courseState(coord, d.id);
    expect(after.scheduleFlags.filter((f) => f.code === "DOSIMETRY_NOT_SIGNED")).toEqual([]);
    const wl = await ok<{ careWorklist: { conflicts: { course: { id: string }; flags: Flag[] }[] } }>(coord, `{ careWorklist { conflicts { course { id } flags { code } } } }`);
    expect((wl.careWorklist.conflicts.find((x) => x.course.id === d.id)?.flags ?? []).map((f) => f.code)).not.toContain("DOSIMETRY_NOT_SIGNED");
  });
});

describe("care pathway: worklist, bookings, completion", () => {
  it("sorts open events into due today / this week / overdue in the site zone, with filters and an all-or-nothing bulk booking", async () => {
    const { users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const coord = await as(server, users.COORDINATOR.email);
    const p = await newPatient(phys);
    const other = await newPatient(phys);
    const c = await planCourse(phys, p.id, "lu177-dotatate-standard", "2027-01-12T09:00");
    const WL = `query($f: WorklistFilter) { careWorklist(filter: $f) { timeZone dueToday { key } dueThisWeek { key } overdue { key } } }`;
    type WL = { careWorklist: { timeZone: string; dueToday: { key: string }[]; dueThisWeek: { key: string }[]; overdue: { key: string }[] } };
    const asOf = "2027-01-12T07:00:00Z"; // 08:00 in Amsterdam on cycle 1 day
    const w = (await ok<WL>(coord, WL, { f: { asOf } })).careWorklist;
    const keys = (xs: { key: string }[]) => xs.map((x) => x.key);
    expect(w.timeZone).toBe("Europe/Amsterdam");
    expect(keys(w.dueToday)).toEqual(expect.arrayContaining(["cycle#c1", "amino-acids#c1", "ssa-lar#c1", "labs#c1"]));
    expect(keys(w.dueThisWeek)).toEqual(["post-scan-24h#c1"]);
    // SSA washout deadlines are reminders until they pass, never overdue tasks.
    expect(keys(w.overdue).some((k) => k.startsWith("ssa-long-washout") || k.startsWith("ssa-short-stop"))).toBe(false);
    expect(keys(w.dueToday)).not.toContain("ssa-short-stop#c1");
    const dayBefore = (await ok<WL>(coord, WL, { f: { asOf: "2027-01-11T07:00:00Z" } })).careWorklist;
    expect(keys(dayBefore.dueToday)).toContain("ssa-short-stop#c1");
    expect(keys(dayBefore.dueThisWeek)).toContain("cycle#c1");
    // Unbooked events past their window end are overdue; the cycle's ± 7-day window is still open.
    const late = (await ok<WL>(coord, WL, { f: { asOf: "2027-01-14T12:00:00Z" } })).careWorklist;
    expect(keys(late.overdue).sort()).toEqual(["amino-acids#c1", "labs#c1", "post-scan-24h#c1", "ssa-lar#c1"]);
    expect(keys(late.dueToday)).toContain("cycle#c1"); // ± 7-day window still open
    const all = [...keys(w.dueToday), ...keys(w.dueThisWeek), ...keys(w.overdue)];
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain("nadir-labs#c1");

    // Bulk booking is all or nothing: a stale version in item 1 books neither.
    const BULK = `mutation($i: CareEventsBookInput!) { careEventsBook(input: $i) { careEvents { key status resource } userErrors { field message code } } }`;
    const scan = ev(c, "post-scan-24h#c1");
    const labs = ev(c, "labs#c1");
    const refused = await ok<{ careEventsBook: { careEvents: null; userErrors: UE[] } }>(coord, BULK, {
      i: { items: [{ id: scan.id, version: scan.version, bookedAt: "2027-01-13T08:30:00Z", resource: "SPECT-1" }, { id: labs.id, version: 9, bookedAt: "2027-01-08T08:00:00Z" }] },
    });
    expect(refused.careEventsBook.careEvents).toBeNull();
    expect(refused.careEventsBook.userErrors[0]).toMatchObject({ field: ["input", "items", "1", "version"], code: "CONFLICT" });
    const booked = await ok<{ careEventsBook: { careEvents: { key: string; status: string; resource: string | null }[]; userErrors: UE[] } }>(coord, BULK, {
      i: { items: [{ id: scan.id, version: scan.version, bookedAt: "2027-01-13T08:30:00Z", resource: "SPECT-1" }, { id: labs.id, version: labs.version, bookedAt: "2027-01-08T08:00:00Z", resource: "Lab" }] },
    });
    expect(booked.careEventsBook.userErrors).toEqual([]);
    expect(booked.careEventsBook.careEvents.map((e) => e.status)).toEqual(["BOOKED", "BOOKED"]);

    const byResource = (await ok<WL>(coord, WL, { f: { asOf, resource: "spect-1" } })).careWorklist;
    expect([...keys(byResource.dueToday), ...keys(byResource.dueThisWeek), ...keys(byResource.overdue)]).toEqual(["post-scan-24h#c1"]);
    const byKind = (await ok<WL>(coord, WL, { f: { asOf, kind: ["CYCLE"] } })).careWorklist;
    expect(keys(byKind.dueToday)).toEqual(["cycle#c1"]);
    const byOther = (await ok<WL>(coord, WL, { f: { asOf, patientId: other.id } })).careWorklist;
    expect(byOther.dueToday).toEqual([]);
    // Booked labs are overdue once their booked time has passed without completion.
    const later = (await ok<WL>(coord, WL, { f: { asOf: "2027-01-09T07:00:00Z" } })).careWorklist;
    expect(keys(later.overdue)).toContain("labs#c1");

    // careEvents connection: filters by kind/status and time range on the booked-else-due time.
    const list = await ok<{ careEvents: { totalCount: number; edges: { node: { key: string } }[] } }>(
      coord,
      `query($f: CareEventFilter) { careEvents(first: 10, filter: $f) { totalCount edges { node { key } } } }`,
      { f: { courseId: c.id, status: ["BOOKED"], from: "2027-01-01T00:00:00Z", to: "2027-02-01T00:00:00Z" } },
    );
    expect(list.careEvents.edges.map((e) => e.node.key)).toEqual(["labs#c1", "post-scan-24h#c1"]);
  });

  it("completes an event with the fulfilling record of the same patient; missed/cancelled need a reason", async () => {
    const { users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const coord = await as(server, users.COORDINATOR.email);
    const p = await newPatient(phys);
    const q = await newPatient(phys);
    const c = await planCourse(phys, p.id, "lu177-dotatate-standard", localFromNow(5));
    const LAB = `mutation($i: LabResultRecordInput!) { labResultRecord(input: $i) { labResult { id } userErrors { field message } } }`;
    const labOf = async (patientId: string) =>
      (await ok<{ labResultRecord: { labResult: { id: string } } }>(coord, LAB, { i: { patientId, analyte: "PLATELETS", value: 210, unit: "10^9/L", sampledAt: iso(Date.now() - D) } })).labResultRecord.labResult.id;
    const mine = await labOf(p.id);
    const theirs = await labOf(q.id);
    const COMPLETE = `mutation($i: CareEventCompleteInput!) { careEventComplete(input: $i) { careEvent { status performedAt version fulfilledBy { __typename ... on LabResult { id } } } userErrors { field message code } } }`;
    type C = { careEventComplete: { careEvent: { status: string; performedAt: string; fulfilledBy: { __typename: string; id: string } | null } | null; userErrors: UE[] } };
    const labs = ev(c, "labs#c1");
    const wrongPatient = await ok<C>(coord, COMPLETE, { i: { id: labs.id, version: labs.version, fulfilledById: theirs } });
    expect(wrongPatient.careEventComplete.userErrors[0]).toMatchObject({ field: ["input", "fulfilledById"], code: "INVALID" });
    expect(wrongPatient.careEventComplete.userErrors[0]!.message).toContain("another patient");
    const wrongType = await ok<C>(coord, COMPLETE, { i: { id: labs.id, version: labs.version, fulfilledById: c.cycles[0]!.id } });
    expect(wrongType.careEventComplete.userErrors[0]!.message).toContain("LabResult");
    const noLink = await ok<C>(coord, COMPLETE, { i: { id: labs.id, version: labs.version, performedAt: iso(Date.now() - D) } });
    expect(noLink.careEventComplete.userErrors[0]!.field).toEqual(["input", "fulfilledById"]);
    const done = await ok<C>(coord, COMPLETE, { i: { id: labs.id, version: labs.version, fulfilledById: mine } });
    expect(done.careEventComplete.userErrors).toEqual([]);
    expect(done.careEventComplete.careEvent).toMatchObject({ status: "DONE", fulfilledBy: { __typename: "LabResult", id: mine } });

    const SET = `mutation($i: CareEventSetStatusInput!) { careEventSetStatus(input: $i) { careEvent { status statusReason } userErrors { field message code } } }`;
    const nadir = ev(c, "nadir-labs#c1");
    const noReason = await ok<{ careEventSetStatus: { userErrors: UE[] } }>(coord, SET, { i: { id: nadir.id, version: nadir.version, status: "MISSED", reason: " " } });
    expect(noReason.careEventSetStatus.userErrors[0]!.field).toEqual(["input", "reason"]);
    const missed = await ok<{ careEventSetStatus: { careEvent: { status: string; statusReason: string } } }>(coord, SET, { i: { id: nadir.id, version: nadir.version, status: "MISSED", reason: "patient did not attend" } });
    expect(missed.careEventSetStatus.careEvent).toEqual({ status: "MISSED", statusReason: "patient did not attend" });
    const doneAgain = await ok<{ careEventSetStatus: { userErrors: UE[] } }>(coord, SET, { i: { id: labs.id, version: 2, status: "CANCELLED", reason: "x" } });
    expect(doneAgain.careEventSetStatus.userErrors[0]!.code).toBe("INVALID");
    const rows = await server.db.db.select().from(auditEvent).where(eq(auditEvent.patientId, idFrom(p.id)));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["care_event.complete", "care_event.set_status", "course.create"]));
  });
});

describe("care pathway: eligibility", () => {
  const ELIG = `query($p: ID!, $t: ID!, $at: DateTime, $x: EligibilityExtraInput) { patientEligibility(patientId: $p, templateId: $t, plannedAdministrationAt: $at, extra: $x) {
    overall policyId advisory criteria { criterion value numericValue unit threshold status message source dataSource records } } }`;
  type Crit = { criterion: string; value: string | null; numericValue: number | null; threshold: string; status: string; source: string; dataSource: string | null; records: string[] };
  type E = { patientEligibility: { overall: string; policyId: string; advisory: boolean; criteria: Crit[] } };

  it("reports NEEDS_DATA (never a pass) for missing data, and evaluates each criterion with value, threshold, status and source", async () => {
    const { users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const p = await newPatient(phys);
    const t = await templateId(phys, "lu177-dotatate-standard");
    const empty = (await ok<E>(phys, ELIG, { p: p.id, t })).patientEligibility;
    expect(empty.overall).toBe("NEEDS_DATA");
    expect(empty.advisory).toBe(true);
    const st = (r: E["patientEligibility"], id: string) => r.criteria.find((c) => c.criterion === id)!;
    for (const id of ["sstr-uptake", "ki67", "haemoglobin", "wbc", "platelets", "renal", "bilirubin", "albumin", "inr", "performance", "ssa-washout", "lab-age"]) {
      expect(st(empty, id).status, id).toBe("NEEDS_DATA");
    }
    expect(empty.criteria.every((c) => c.source.length > 0 && c.threshold.length > 0)).toBe(true);

    // Record the data: labs, diagnosis, SSTR PET with scored target lesions.
    const LAB = `mutation($i: LabResultRecordInput!) { labResultRecord(input: $i) { userErrors { field message } } }`;
    const sampledAt = iso(Date.now() - 2 * D);
    for (const [analyte, value, unit] of [["HAEMOGLOBIN", 12.1, "g/dL"], ["WBC", 5.2, "10^9/L"], ["PLATELETS", 60, "10^9/L"], ["CREATININE_CLEARANCE", 78, "mL/min"], ["BILIRUBIN", 9, "µmol/L"], ["ALBUMIN", 41, "g/L"]] as const) {
      await ok(phys, LAB, { i: { patientId: p.id, analyte, value, unit, sampledAt } });
    }
    await ok(phys, `mutation($i: DiagnosisCreateInput!) { diagnosisCreate(input: $i) { userErrors { field } } }`, {
      i: { patientId: p.id, primarySite: "Ileum", histology: "NET", whoGrade: "G2", ki67Percent: 5, differentiation: "WELL", diagnosedOn: "2026-01-10" },
    });
    const study = await ok<{ imagingStudyCreate: { study: { id: string } } }>(phys, `mutation($i: ImagingStudyCreateInput!) { imagingStudyCreate(input: $i) { study { id } userErrors { field message } } }`, {
      i: { patientId: p.id, modality: "PET", tracerId: await agentId(phys, "68Ga-DOTATATE"), performedAt: iso(Date.now() - 10 * D), purpose: "BASELINE" },
    });
    for (const [label, k] of [["L1", 3], ["L2", 4]] as const) {
      const l = await ok<{ lesionCreate: { lesion: { id: string } } }>(phys, `mutation($i: LesionCreateInput!) { lesionCreate(input: $i) { lesion { id } } }`, { i: { patientId: p.id, label, organ: "Liver", firstSeenOn: "2026-01-10" } });
      await ok(phys, `mutation($i: LesionMeasurementRecordInput!) { lesionMeasurementRecord(input: $i) { userErrors { field message } } }`, {
        i: { lesionId: l.lesionCreate.lesion.id, studyId: study.imagingStudyCreate.study.id, krenningScore: k, isTarget: true, method: "MANUAL", suvMax: 20 },
      });
    }
    const extra = { ecog: 1, inr: 1.0, noLongActingSsa: true };
    const at = iso(Date.now() + 14 * D);
    const r = (await ok<E>(phys, ELIG, { p: p.id, t, at, x: extra })).patientEligibility;
    expect(st(r, "platelets")).toMatchObject({ status: "FAIL", numericValue: 60, threshold: "≥ 75 ×10⁹/L" });
    expect(st(r, "platelets").dataSource).toContain("LabResult PLATELETS");
    expect(st(r, "platelets").records).toHaveLength(1);
    expect(st(r, "sstr-uptake")).toMatchObject({ status: "PASS", numericValue: 3 });
    expect(st(r, "ki67")).toMatchObject({ status: "PASS", numericValue: 5 });
    expect(st(r, "renal")).toMatchObject({ status: "PASS", numericValue: 78 });
    expect(st(r, "albumin").numericValue).toBeCloseTo(4.1, 10);
    expect(st(r, "performance").dataSource).toContain("entered at check time");
    expect(st(r, "fdg-discordance")).toMatchObject({ status: "PASS", dataSource: "no FDG PET study recorded" });
    expect(st(r, "ssa-washout").status).toBe("PASS");
    expect(st(r, "lab-age")).toMatchObject({ status: "PASS", numericValue: 2 });
    expect(r.overall).toBe("NOT_ELIGIBLE");

    await ok(phys, LAB, { i: { patientId: p.id, analyte: "PLATELETS", value: 180, unit: "10^9/L", sampledAt: iso(Date.now() - D) } });
    const good = (await ok<E>(phys, ELIG, { p: p.id, t, at, x: extra })).patientEligibility;
    expect(good.criteria.filter((c) => c.status !== "PASS")).toEqual([]);
    expect(good.overall).toBe("ELIGIBLE");
    // Without the entered values the same patient is NEEDS_DATA again, not eligible.
    expect((await ok<E>(phys, ELIG, { p: p.id, t, at })).patientEligibility.overall).toBe("NEEDS_DATA");
    const bad = await phys.gql(ELIG, { p: p.id, t, x: { ecog: 9 } });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("care pathway: go/no-go and the administration gate", () => {
  const GNG = `query($c: ID!) { cycleGoNoGo(cycleId: $c) { delayDays missing grades { analyte grade term value referenceLimit labResult { id } } recommendation { action recommendedActivityMBq triggers reasons { rule } } latestDecision { action } } }`;
  type G = { cycleGoNoGo: { delayDays: number; missing: string[]; grades: { analyte: string; grade: number; term: string }[]; recommendation: { action: string; recommendedActivityMBq: number | null; triggers: string[]; reasons: { rule: string }[] }; latestDecision: { action: string } | null } };
  const DEC = `mutation($i: CycleRecordDecisionInput!) { cycleRecordDecision(input: $i) { decision { id action activityMBq recommendedAction override supersedes { id } decidedBy { id } } userErrors { field message code } } }`;
  type Dec = { cycleRecordDecision: { decision: { id: string; action: string; activityMBq: number | null; recommendedAction: string; override: boolean; supersedes: { id: string } | null } | null; userErrors: UE[] } };
  const ADMIN = `mutation($i: CycleRecordAdministrationInput!) { cycleRecordAdministration(input: $i) { cycle { id status version netActivityMBq careEvents { key status fulfilledBy { __typename } } } userErrors { field message code } } }`;
  type Adm = { cycleRecordAdministration: { cycle: { status: string; netActivityMBq: number; careEvents: { key: string; status: string; fulfilledBy: { __typename: string } | null }[] } | null; userErrors: UE[] } };
  const admin = (cycleId: string, version: number, activity: number, extra: Record<string, unknown> = {}) => ({
    i: {
      id: cycleId, version, calibratedActivityMBq: activity, calibrationTime: iso(Date.now() - 3 * H), residualActivityMBq: 30, residualTime: iso(Date.now() - H),
      infusionStart: iso(Date.now() - 2 * H), infusionEnd: iso(Date.now() - 1.5 * H), aminoAcidInfusion: true, lot: "LOT-T1", ...extra,
    },
  });

  it("grades the latest labs, recommends, and refuses an administration without GO/REDUCE unless an audited override is given", async () => {
    const { users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const coord = await as(server, users.COORDINATOR.email);
    const p = await newPatient(phys);
    const c = await planCourse(phys, p.id, "lu177-dotatate-standard", localFromNow(0, 6, 0));
    const cyc1 = c.cycles[0]!;
    const none = (await ok<G>(phys, GNG, { c: cyc1.id })).cycleGoNoGo;
    expect(none.recommendation.action).toBe("DELAY");
    expect(none.recommendation.reasons.map((r) => r.rule)).toContain("LABS_MISSING");
    expect(none.missing).toEqual(expect.arrayContaining(["platelets", "neutrophils", "haemoglobin", "bilirubin"]));

    const LAB = `mutation($i: LabResultRecordInput!) { labResultRecord(input: $i) { userErrors { field message } } }`;
    const panel = async (plt: number, hoursAgo: number) => {
      for (const [analyte, value, unit] of [["PLATELETS", plt, "10^9/L"], ["NEUTROPHILS", 3.1, "10^9/L"], ["HAEMOGLOBIN", 13.0, "g/dL"], ["CREATININE_CLEARANCE", 85, "mL/min"], ["BILIRUBIN", 10, "µmol/L"], ["ALBUMIN", 40, "g/L"]] as const) {
        await ok(coord, LAB, { i: { patientId: p.id, analyte, value, unit, sampledAt: iso(Date.now() - hoursAgo * H) } });
      }
    };
    await panel(60, 30);
    const low = (await ok<G>(phys, GNG, { c: cyc1.id })).cycleGoNoGo;
    expect(low.grades.find((g) => g.analyte === "PLATELETS")).toMatchObject({ grade: 2, term: "Platelet count decreased" });
    expect(low.recommendation).toMatchObject({ action: "DELAY", triggers: ["THROMBOCYTOPENIA"], recommendedActivityMBq: null });

    // Gate: no decision → NO_GO_DECISION on input.id, nothing recorded.
    const refused = await ok<Adm>(phys, ADMIN, admin(cyc1.id, cyc1.version, 7400));
    expect(refused.cycleRecordAdministration.cycle).toBeNull();
    expect(refused.cycleRecordAdministration.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "NO_GO_DECISION" });
    // Coordinators cannot decide.
    const forbidden = await coord.gql(DEC, { i: { cycleId: cyc1.id, action: "GO", reason: "labs fine" } });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Field-level refusal of an inconsistent decision.
    const noActivity = await ok<Dec>(phys, DEC, { i: { cycleId: cyc1.id, action: "REDUCE", reason: "x" } });
    expect(noActivity.cycleRecordDecision.userErrors[0]!.field).toEqual(["input", "activityMBq"]);

    const delay = await ok<Dec>(phys, DEC, { i: { cycleId: cyc1.id, action: "DELAY", reason: "platelets grade 2" } });
    expect(delay.cycleRecordDecision.decision).toMatchObject({ action: "DELAY", recommendedAction: "DELAY", override: false, supersedes: null });
    expect((await ok<Adm>(phys, ADMIN, admin(cyc1.id, cyc1.version, 7400))).cycleRecordAdministration.userErrors[0]!.code).toBe("NO_GO_DECISION");

    // Recovery: the recommendation is to resume at the reduced activity.
    await panel(160, 2);
    const rec = (await ok<G>(phys, GNG, { c: cyc1.id })).cycleGoNoGo;
    expect(rec.recommendation).toMatchObject({ action: "REDUCE", recommendedActivityMBq: 3700 });
    expect(rec.latestDecision).toEqual({ action: "DELAY" });
    const reduce = await ok<Dec>(phys, DEC, { i: { cycleId: cyc1.id, action: "REDUCE", activityMBq: 3700, reason: "resume at reduced activity" } });
    expect(reduce.cycleRecordDecision.decision).toMatchObject({ action: "REDUCE", activityMBq: 3700, supersedes: { id: delay.cycleRecordDecision.decision!.id } });
    // A full activity contradicts the REDUCE decision.
    const tooMuch = await ok<Adm>(phys, ADMIN, admin(cyc1.id, cyc1.version, 7400));
    expect(tooMuch.cycleRecordAdministration.userErrors[0]).toMatchObject({ field: ["input", "calibratedActivityMBq"], code: "INVALID" });
    const given = await ok<Adm>(phys, ADMIN, admin(cyc1.id, cyc1.version, 3750));
    expect(given.cycleRecordAdministration.userErrors).toEqual([]);
    expect(given.cycleRecordAdministration.cycle!.status).toBe("ADMINISTERED");
    expect(given.cycleRecordAdministration.cycle!.careEvents.find((e) => e.key === "cycle#c1")).toMatchObject({ status: "DONE", fulfilledBy: { __typename: "TherapyCycle" } });

    // Cycle 2 with an explicit override: allowed, stored as an override decision and audited.
    const cyc2 = c.cycles[1]!;
    const over = await ok<Adm>(phys, ADMIN, admin(cyc2.id, cyc2.version, 3750, { goOverrideReason: "tumour board decision 12/03 documented in the record" }));
    expect(over.cycleRecordAdministration.userErrors).toEqual([]);
    const [d2] = await server.db.db.select().from(cycleDecision).where(eq(cycleDecision.cycleId, idFrom(cyc2.id)));
    expect(d2).toMatchObject({ action: "GO", override: true, recommendedAction: null });
    const audit = await server.db.db.select().from(auditEvent).where(eq(auditEvent.patientId, idFrom(p.id)));
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["cycle.decision", "cycle.go_override", "cycle.administer"]));
    expect(audit.find((a) => a.action === "cycle.administer" && (a.detail as { goOverride?: boolean }).goOverride)).toBeTruthy();
    expect(JSON.stringify(audit)).not.toContain("tumour board decision"); // no free text in the audit
  });
});

describe("care pathway: calendar feed", () => {
  it("serves booked/planned events as RFC 5545 without names, per the site's label policy, audited, and revocable", async () => {
    const { site, users } = await server.createSite();
    const phys = await as(server, users.PHYSICIAN.email);
    const coord = await as(server, users.COORDINATOR.email);
    const adminC = await as(server, users.ADMIN.email);
    const p = await newPatient(phys);
    const c = await planCourse(phys, p.id, "lu177-dotatate-standard", localFromNow(3));
    await book(coord, ev(c, "post-scan-24h#c1"), iso(Date.parse(ev(c, "cycle#c1").dueAt) + 24 * H), { resource: "SPECT, room 2; east wing" });
    const CREATE = `mutation { calendarFeedCreate { feed { id createdAt revokedAt } url userErrors { field message code } } }`;
    const created = await ok<{ calendarFeedCreate: { feed: { id: string }; url: string } }>(coord, CREATE);
    const url = created.calendarFeedCreate.url;
    expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/calendar");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.text();
    expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(body).toContain(`SUMMARY:${p.mrn} · Cycle 1`);
    expect(body).toContain("LOCATION:SPECT\\, room 2\\; east wing");
    expect(body).not.toMatch(/Zyxfamily|Qwgiven/);
    for (const line of body.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const inWindow = c.careEvents.filter((e) => Date.parse(e.dueAt) < Date.now() + 365 * D);
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(inWindow.length);
    expect(inWindow.length).toBeLessThan(c.careEvents.length); // late follow-up is beyond the feed's year

    // Site policy: initials instead of the MRN (ADMIN only).
    const SET = `mutation($i: PathwaySettingsUpdateInput!) { pathwaySettingsUpdate(input: $i) { settings { calendarPatientLabel } userErrors { field } } }`;
    expect((await coord.gql(SET, { i: { calendarPatientLabel: "INITIALS" } })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await ok(adminC, SET, { i: { calendarPatientLabel: "INITIALS" } });
    const body2 = await (await fetch(url)).text();
    expect(body2).toContain("SUMMARY:Q.Z. · Cycle 1");
    expect(body2).not.toContain(p.mrn);

    const reads = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, site.id), eq(auditEvent.action, "calendar_feed.read")));
    expect(reads.filter((r) => r.outcome === "SUCCESS")).toHaveLength(2);
    const patientReads = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.action, "calendar_feed.patient_read"), eq(auditEvent.patientId, idFrom(p.id))));
    expect(patientReads).toHaveLength(2);

    // Another user cannot revoke it; the owner can, and the URL stops working (audited as denied).
    const REVOKE = `mutation($i: CalendarFeedRevokeInput!) { calendarFeedRevoke(input: $i) { feed { revokedAt } userErrors { field message code } } }`;
    const byPhys = await ok<{ calendarFeedRevoke: { userErrors: UE[] } }>(phys, REVOKE, { i: { id: created.calendarFeedCreate.feed.id } });
    expect(byPhys.calendarFeedRevoke.userErrors[0]!.code).toBe("NOT_FOUND");
    const revoked = await ok<{ calendarFeedRevoke: { feed: { revokedAt: string } } }>(coord, REVOKE, { i: { id: created.calendarFeedCreate.feed.id } });
    expect(revoked.calendarFeedRevoke.feed.revokedAt).toBeTruthy();
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(url.replace(/[A-Za-z0-9_-]{43}\.ics$/, `${"x".repeat(43)}.ics`))).status).toBe(404);
    const denied = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.action, "calendar_feed.read"), eq(auditEvent.outcome, "DENIED"), eq(auditEvent.entityId, idFrom(created.calendarFeedCreate.feed.id))));
    expect(denied.map((d) => d.detail)).toEqual([{ reason: "REVOKED" }]);
    expect(denied[0]).toMatchObject({ siteId: site.id, actorUserId: users.COORDINATOR.id });
    const feeds = await ok<{ calendarFeeds: { revokedAt: string | null }[] }>(coord, `{ calendarFeeds { revokedAt } }`);
    expect(feeds.calendarFeeds).toHaveLength(1);
  });
});

describe("care pathway: templates, permissions and site isolation", () => {
  it("lets ADMIN copy and version a template with field-level errors; courses keep their version", async () => {
    const { users } = await server.createSite();
    const adminC = await as(server, users.ADMIN.email);
    const coord = await as(server, users.COORDINATOR.email);
    const phys = await as(server, users.PHYSICIAN.email);
    const shipped = await templateId(adminC, "lu177-dotatate-standard");
    const COPY = `mutation($i: ProtocolTemplateCopyInput!) { protocolTemplateCopy(input: $i) { template { id key templateVersion shipped latest derivedFrom cycles events { key windowBefore { days hours } } } userErrors { field message code } } }`;
    type T = { id: string; key: string; templateVersion: number; shipped: boolean; latest: boolean; derivedFrom: string; cycles: number; events: { key: string; windowBefore: { days: number | null } | null }[] };
    expect((await coord.gql(COPY, { i: { templateId: shipped, name: "Ours" } })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const copy = (await ok<{ protocolTemplateCopy: { template: T; userErrors: UE[] } }>(adminC, COPY, { i: { templateId: shipped, name: "Site 177Lu standard" } })).protocolTemplateCopy;
    expect(copy.userErrors).toEqual([]);
    expect(copy.template).toMatchObject({ templateVersion: 1, shipped: false, latest: true, derivedFrom: "lu177-dotatate-standard@1", cycles: 4 });
    expect(copy.template.key).toMatch(/^T[0-9a-f]{8}\/lu177-dotatate-standard$/);
    const dup = (await ok<{ protocolTemplateCopy: { userErrors: UE[] } }>(adminC, COPY, { i: { templateId: shipped, name: "Again" } })).protocolTemplateCopy;
    expect(dup.userErrors[0]).toMatchObject({ field: ["input", "key"], code: "DUPLICATE" });

    // A course planned with version 1 keeps it after the template is edited.
    const p = await newPatient(phys);
    const d = await ok<{ therapyCourseCreate: { course: Course } }>(phys, COURSE, {
      i: { patientId: p.id, radiopharmaceuticalId: await agentId(phys, "177Lu-DOTATATE"), intent: "STANDARD", protocolTemplateId: copy.template.id, firstAdministrationAt: "2027-02-01T09:00" },
    });
    const UPD = `mutation($i: ProtocolTemplateUpdateInput!) { protocolTemplateUpdate(input: $i) { template { id templateVersion latest cycles derivedFrom } userErrors { field message code } } }`;
    type U = { protocolTemplateUpdate: { template: { id: string; templateVersion: number; latest: boolean; cycles: number; derivedFrom: string } | null; userErrors: UE[] } };
    const invalid = await ok<U>(adminC, UPD, {
      i: { id: copy.template.id, cycles: 0, activityPerCycleGBq: 40, events: [{ key: "labs", kind: "LABS", label: "Labs", anchor: "ADMINISTRATION", offset: { days: -7 }, windowBefore: { days: -3 }, windowAfter: { days: 7 }, source: "site policy" }] },
    });
    expect(invalid.protocolTemplateUpdate.template).toBeNull();
    const fields = invalid.protocolTemplateUpdate.userErrors.map((e) => e.field.join("."));
    expect(fields).toEqual(expect.arrayContaining(["input.cycles", "input.activityPerCycleGBq", "input.events.0.windowBefore.days"]));
    expect(invalid.protocolTemplateUpdate.userErrors.find((e) => e.field[1] === "activityPerCycleGBq")!.message).toContain("40");
    const v2 = await ok<U>(adminC, UPD, { i: { id: copy.template.id, cycles: 3, name: "Site 177Lu × 3" } });
    expect(v2.protocolTemplateUpdate.template).toMatchObject({ templateVersion: 2, latest: true, cycles: 3, derivedFrom: `${copy.template.key}@1` });
    const stale = await ok<U>(adminC, UPD, { i: { id: copy.template.id, cycles: 2 } });
    expect(stale.protocolTemplateUpdate.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "CONFLICT" });
    const shippedEdit = await ok<U>(adminC, UPD, { i: { id: shipped, cycles: 2 } });
    expect(shippedEdit.protocolTemplateUpdate.userErrors[0]!.message).toContain("copy");
    const course = await ok<{ node: { protocolTemplate: { templateVersion: number; latest: boolean }; protocolSnapshot: { cycles: number } } }>(phys, `query($id: ID!) { node(id: $id) { ... on TherapyCourse { protocolTemplate { templateVersion latest } protocolSnapshot } } }`, { id: d.therapyCourseCreate.course.id });
    expect(course.node).toMatchObject({ protocolTemplate: { templateVersion: 1, latest: false }, protocolSnapshot: { cycles: 4 } });
    const listed = await ok<{ protocolTemplates: { key: string; templateVersion: number }[] }>(coord, `{ protocolTemplates { key templateVersion } }`);
    expect(listed.protocolTemplates.filter((t) => t.key === copy.template.key)).toEqual([{ key: copy.template.key, templateVersion: 2 }]);
    expect(listed.protocolTemplates.filter((t) => !t.key.includes("/"))).toHaveLength(BUILTIN_TEMPLATES.length);
  });

  it("enforces who may book / decide, and denies another site's events, cycles and templates (audited)", async () => {
    const a = await server.createSite();
    const b = await server.createSite();
    const physA = await as(server, a.users.PHYSICIAN.email);
    const viewerA = await as(server, a.users.VIEWER.email);
    const physicistA = await as(server, a.users.PHYSICIST.email);
    const p = await newPatient(physA);
    const c = await planCourse(physA, p.id, "lu177-dotatate-standard", "2027-04-06T09:00");
    const scan = ev(c, "post-scan-24h#c1");
    for (const who of [viewerA, physicistA]) {
      const r = await who.gql(BOOK, { i: { id: scan.id, version: scan.version, bookedAt: "2027-04-07T07:00:00Z" } });
      expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    // Viewers read the worklist and eligibility; they cannot decide.
    expect((await viewerA.gql(`{ careWorklist { overdue { id } } }`)).errors).toBeUndefined();
    expect((await viewerA.gql(`mutation($i: CycleRecordDecisionInput!) { cycleRecordDecision(input: $i) { userErrors { field } } }`, { i: { cycleId: c.cycles[0]!.id, action: "GO", reason: "x" } })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const coordB = await as(server, b.users.COORDINATOR.email);
    const physB = await as(server, b.users.PHYSICIAN.email);
    const adminB = await as(server, b.users.ADMIN.email);
    const hijack = await book(coordB, scan, "2027-04-07T07:00:00Z");
    expect(hijack.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "NOT_FOUND" });
    expect((await ok<{ node: unknown }>(coordB, `query($id: ID!) { node(id: $id) { id } }`, { id: scan.id })).node).toBeNull();
    const listB = await ok<{ careEvents: { totalCount: number } }>(coordB, `{ careEvents { totalCount } }`);
    expect(listB.careEvents.totalCount).toBe(0);
    expect((await physB.gql(`query($c: ID!) { cycleGoNoGo(cycleId: $c) { delayDays } }`, { c: c.cycles[0]!.id })).errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const resched = await ok<{ cycleReschedule: { userErrors: UE[] } }>(coordB, `mutation($i: CycleRescheduleInput!) { cycleReschedule(input: $i) { userErrors { field code } } }`, { i: { id: c.cycles[1]!.id, version: 1, administrationAt: "2027-06-01T09:00" } });
    expect(resched.cycleReschedule.userErrors[0]).toMatchObject({ code: "NOT_FOUND" });
    // Site A's own template copy is invisible to site B.
    const adminA = await as(server, a.users.ADMIN.email);
    const copyA = await ok<{ protocolTemplateCopy: { template: { id: string } } }>(adminA, `mutation($i: ProtocolTemplateCopyInput!) { protocolTemplateCopy(input: $i) { template { id } } }`, { i: { templateId: await templateId(adminA, "y90-dotatoc-intermediate"), name: "A's 90Y" } });
    const fromB = await ok<{ protocolTemplateCopy: { userErrors: UE[] } }>(adminB, `mutation($i: ProtocolTemplateCopyInput!) { protocolTemplateCopy(input: $i) { userErrors { field code } } }`, { i: { templateId: copyA.protocolTemplateCopy.template.id, name: "stolen" } });
    expect(fromB.protocolTemplateCopy.userErrors[0]).toMatchObject({ field: ["input", "templateId"], code: "NOT_FOUND" });
    const denied = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, b.site.id), eq(auditEvent.outcome, "DENIED")));
    expect(denied.map((d) => d.entityType)).toEqual(expect.arrayContaining(["CareEvent", "TherapyCycle", "ProtocolTemplate"]));
  });
});

/** The uuid inside a global ID. */
function idFrom(globalId: string): string {
  return Buffer.from(globalId, "base64url").toString("utf8").split(":")[1]!;
}
