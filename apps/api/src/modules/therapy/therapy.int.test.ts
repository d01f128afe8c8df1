import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { therapyCycle } from "@lutetia/db";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import {
  administrationInput, agent, clinicalFixture, daysFromNowDate, mutate, ok, patientInput, q, siteSnapshot, uniq,
} from "../../../test/fixtures";
import { idOf } from "../../shared/ids";

let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite();
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
});
afterAll(async () => {
  await server?.close();
});

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function newPatient() {
  return ok(coord, "patientCreate", patientInput(`TH-${uniq()}`));
}

describe("therapy courses and cycles through /graphql", () => {
  it("creates a course with its cycles planned every intervalDays from the first date", async () => {
    const p = await newPatient();
    const lu = await agent(phys, "177Lu-DOTATATE");
    const first = daysFromNowDate(10);
    const c = await ok<{ status: string; cycles: { number: number; plannedDate: string; status: string; version: number }[] }>(phys, "therapyCourseCreate", {
      patientId: p.id, radiopharmaceuticalId: lu.id, intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: first,
    });
    expect(c.status).toBe("PLANNED");
    expect(c.cycles.map((y) => y.number)).toEqual([1, 2, 3, 4]);
    expect(c.cycles.map((y) => y.plannedDate)).toEqual([first, addDays(first, 56), addDays(first, 112), addDays(first, 168)]);
    expect(c.cycles.every((y) => y.status === "PLANNED" && y.version === 1)).toBe(true);
    const read = await q<{ node: { courses: { id: string }[]; currentCourse: { id: string }; nextCycle: { number: number } } }>(
      coord,
      `query($id:ID!){ node(id:$id){ ... on Patient { courses { id } currentCourse { id } nextCycle { number } } } }`,
      { id: p.id },
    );
    expect(read.node.courses.map((x) => x.id)).toEqual([c.id]);
    expect(read.node.currentCourse.id).toBe(c.id);
    expect(read.node.nextCycle.number).toBe(1);
  });

  it("refuses a non-therapy agent and a closed patient, writing nothing", async () => {
    const p = await newPatient();
    const ga = await agent(phys, "68Ga-DOTATATE");
    const before = await siteSnapshot(server, site.site.id);
    const r = await mutate(phys, "therapyCourseCreate", {
      patientId: p.id, radiopharmaceuticalId: ga.id, intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: daysFromNowDate(3),
    });
    expect(r.entity).toBeNull();
    expect(r.userErrors[0]).toMatchObject({ field: ["input", "radiopharmaceuticalId"], code: "INVALID" });
    expect(r.userErrors[0]!.message).toContain("68Ga-DOTATATE");
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);

    await ok(coord, "patientClose", { id: p.id, version: 1, reason: "transferred" });
    const lu = await agent(phys, "177Lu-DOTATATE");
    const r2 = await mutate(phys, "therapyCourseCreate", {
      patientId: p.id, radiopharmaceuticalId: lu.id, intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: daysFromNowDate(3),
    });
    expect(r2.userErrors[0]).toMatchObject({ field: ["input", "patientId"], code: "INVALID" });
  });

  it("updates a course (planned activity, stop with reason) and requires a reason to stop", async () => {
    const fx = await clinicalFixture(coord, phys);
    const u = await ok<{ plannedActivityMBq: number }>(phys, "therapyCourseUpdate", { id: fx.courseId, version: 1, plannedActivityMBq: 3700 });
    expect(u.version).toBe(2);
    expect(u.plannedActivityMBq).toBe(3700);
    const noReason = await mutate(phys, "therapyCourseUpdate", { id: fx.courseId, version: 2, status: "STOPPED" });
    expect(noReason.userErrors[0]).toMatchObject({ field: ["input", "stopReason"], code: "INVALID" });
    const stopped = await ok<{ status: string; stopReason: string }>(phys, "therapyCourseUpdate", { id: fx.courseId, version: 2, status: "STOPPED", stopReason: "progression" });
    expect(stopped).toMatchObject({ status: "STOPPED", stopReason: "progression", version: 3 });
  });

  it("reschedules and re-statuses a cycle (coordinator), never to ADMINISTERED", async () => {
    const fx = await clinicalFixture(coord, phys);
    const newDate = daysFromNowDate(20);
    const u = await ok<{ plannedDate: string; status: string; notes: string }>(coord, "therapyCycleUpdate", {
      id: fx.cycleIds[1], version: 1, plannedDate: newDate, status: "DELAYED", notes: "neutropenia",
    });
    expect(u).toMatchObject({ plannedDate: newDate, status: "DELAYED", notes: "neutropenia", version: 2 });
    const bad = await mutate(coord, "therapyCycleUpdate", { id: fx.cycleIds[1], version: 2, status: "ADMINISTERED" });
    expect(bad.userErrors[0]).toMatchObject({ field: ["input", "status"], code: "INVALID" });
    expect(bad.userErrors[0]!.message).toContain("ADMINISTERED");
  });

  it("records administrations: net activity decay-corrected (hand calculation), course ACTIVE then COMPLETED, re-administering refused", async () => {
    const fx = await clinicalFixture(coord, phys, { cycles: 2 });
    // The 177Lu half-life as the catalogue states it.
    const halfLifeS = fx.lu.halfLifeS;
    expect(halfLifeS).toBeGreaterThan(6.6 * 86400);
    expect(halfLifeS).toBeLessThan(6.7 * 86400);

    const t0 = Math.floor((Date.now() - 86_400_000) / 1000) * 1000; // yesterday, whole seconds
    const calibrationTime = new Date(t0 - 28 * 3_600_000); // 28 h before infusion start
    const infusionStart = new Date(t0);
    const infusionEnd = new Date(t0 + 35 * 60_000);
    const residualTime = new Date(t0 + 2 * 3_600_000); // residual measured 2 h after start
    const A_cal = 7750;
    const A_res = 212.5;
    const input = {
      id: fx.cycleIds[0], version: 1, calibratedActivityMBq: A_cal, calibrationTime: calibrationTime.toISOString(),
      residualActivityMBq: A_res, residualTime: residualTime.toISOString(), infusionStart: infusionStart.toISOString(),
      infusionEnd: infusionEnd.toISOString(), aminoAcidInfusion: true, lot: "LU-2026-118",
    };
    const c1 = await ok<{ status: string; netActivityMBq: number; course: { status: string; startedOn: string; endedOn: string | null } }>(phys, "cycleRecordAdministration", input);
    // Independent hand calculation: A_cal·2^(−Δt_cal/T½) − A_res·2^(+Δt_res/T½).
    const dtCalS = (infusionStart.getTime() - calibrationTime.getTime()) / 1000;
    const dtResS = (residualTime.getTime() - infusionStart.getTime()) / 1000;
    const expected = A_cal * 2 ** (-dtCalS / halfLifeS) - A_res * 2 ** (dtResS / halfLifeS);
    expect(Math.abs(c1.netActivityMBq - expected) / expected).toBeLessThan(1e-9);
    const [stored] = await server.db.db.select().from(therapyCycle).where(eq(therapyCycle.id, idOf(fx.cycleIds[0]!, "TherapyCycle")!));
    expect(Math.abs(stored!.netActivityMBq! - expected) / expected).toBeLessThan(1e-9);
    expect(stored!.administeredBy).toBe(site.users.PHYSICIAN.id);
    expect(c1.status).toBe("ADMINISTERED");
    expect(c1.course.status).toBe("ACTIVE");
    expect(c1.course.startedOn).toBe(infusionStart.toISOString().slice(0, 10));
    expect(c1.course.endedOn).toBeNull();

    const again = await mutate(phys, "cycleRecordAdministration", { ...input, version: 2 });
    expect(again.entity).toBeNull();
    expect(again.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "INVALID" });
    expect(again.userErrors[0]!.message).toContain("ADMINISTERED");

    const resched = await mutate(coord, "therapyCycleUpdate", { id: fx.cycleIds[0], version: 2, plannedDate: daysFromNowDate(5) });
    expect(resched.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "INVALID" });

    const c2 = await ok<{ course: { status: string; endedOn: string; cumulativeActivityMBq: number } }>(phys, "cycleRecordAdministration", administrationInput(fx.cycleIds[1]!, 1));
    expect(c2.course.status).toBe("COMPLETED");
    expect(c2.course.endedOn).not.toBeNull();
    const [s2] = await server.db.db.select().from(therapyCycle).where(eq(therapyCycle.id, idOf(fx.cycleIds[1]!, "TherapyCycle")!));
    const sum = stored!.netActivityMBq! + s2!.netActivityMBq!;
    expect(Math.abs(c2.course.cumulativeActivityMBq - sum) / sum).toBeLessThan(1e-12);
  });

  it("cyclesDue returns the site's pending cycles in the date window, with a status filter", async () => {
    const s2 = await server.createSite(["COORDINATOR", "PHYSICIAN"]);
    const c = await as(server, s2.users.COORDINATOR.email);
    const ph = await as(server, s2.users.PHYSICIAN.email);
    const lu = await agent(ph, "177Lu-DOTATATE");
    const p = await ok(c, "patientCreate", patientInput(`CD-${uniq()}`));
    const first = daysFromNowDate(2);
    const course = await ok<{ cycles: { id: string; plannedDate: string }[] }>(ph, "therapyCourseCreate", {
      patientId: p.id, radiopharmaceuticalId: lu.id, intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 14, firstCycleDate: first,
    });
    const dueQ = `query($f: CyclesDueFilter, $first: Int){ cyclesDue(first: $first, filter: $f) { totalCount edges { node { id number plannedDate status } } } }`;
    type Due = { cyclesDue: { totalCount: number; edges: { node: { id: string; number: number; plannedDate: string; status: string } }[] } };
    // Default window: today .. today + 7 → only cycle 1.
    const def = await q<Due>(c, dueQ);
    expect(def.cyclesDue.edges.map((e) => e.node.number)).toEqual([1]);
    // Window covering cycles 1–3 (day 2, 16, 30).
    const w = await q<Due>(c, dueQ, { f: { from: daysFromNowDate(0), to: daysFromNowDate(30) } });
    expect(w.cyclesDue.totalCount).toBe(3);
    expect(w.cyclesDue.edges.map((e) => e.node.number)).toEqual([1, 2, 3]);
    // Cancel cycle 2: hidden by default, shown when asked for CANCELLED.
    await ok(c, "therapyCycleUpdate", { id: course.cycles[1]!.id, version: 1, status: "CANCELLED" });
    const w2 = await q<Due>(c, dueQ, { f: { from: daysFromNowDate(0), to: daysFromNowDate(30) } });
    expect(w2.cyclesDue.edges.map((e) => e.node.number)).toEqual([1, 3]);
    const cancelled = await q<Due>(c, dueQ, { f: { from: daysFromNowDate(0), to: daysFromNowDate(30), status: ["CANCELLED"] } });
    expect(cancelled.cyclesDue.edges.map((e) => e.node.number)).toEqual([2]);
    // from after to is refused, naming the argument.
    const bad = await c.gql(dueQ, { f: { from: daysFromNowDate(10), to: daysFromNowDate(1) } });
    expect(bad.errors?.[0]?.message).toContain("to");
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // Another site's cycles are not listed.
    const other = await q<Due>(coord, dueQ, { f: { from: daysFromNowDate(0), to: daysFromNowDate(30) } });
    expect(other.cyclesDue.edges.map((e) => e.node.id)).not.toContain(course.cycles[0]!.id);
  });
});
