import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvent } from "@lutetia/db";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import { daysFromNowDate, ok, patientInput, q, uniq } from "../../../test/fixtures";

/**
 * Ending a course (STOPPED / COMPLETED) leaves nothing pending: its open cycles and open care
 * events are cancelled in the same transaction, with history and audit rows; administered
 * cycles and done events are untouched.
 */
let server: TestServer;
let coord: Client;
let phys: Client;
let siteId: string;
beforeAll(async () => {
  server = await startTestServer();
  const s = await server.createSite(["COORDINATOR", "PHYSICIAN"]);
  siteId = s.site.id;
  coord = await as(server, s.users.COORDINATOR.email);
  phys = await as(server, s.users.PHYSICIAN.email);
});
afterAll(async () => {
  await server?.close();
});

const COURSE = `query($id: ID!) { node(id: $id) { ... on TherapyCourse { id status version cycles { id number status } careEvents { id key status statusReason } } } }`;
type CourseNode = { node: { id: string; status: string; version: number; cycles: { id: string; number: number; status: string }[]; careEvents: { id: string; key: string; status: string; statusReason: string | null }[] } };
const DUE = `query($f: CyclesDueFilter){ cyclesDue(first: 50, filter: $f) { edges { node { id } } } }`;
type Due = { cyclesDue: { edges: { node: { id: string } }[] } };

async function agentId(name: string) {
  const d = await q<{ radiopharmaceuticals: { id: string; name: string }[] }>(phys, `{ radiopharmaceuticals { id name } }`);
  return d.radiopharmaceuticals.find((r) => r.name === name)!.id;
}

describe("ending a course", () => {
  it("stopping cancels the open cycles (off cyclesDue) with history and audit", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`CE-${uniq()}`));
    const c = await ok<{ cycles: { id: string }[] }>(phys, "therapyCourseCreate", {
      patientId: p.id, radiopharmaceuticalId: await agentId("177Lu-DOTATATE"), intent: "STANDARD", plannedCycles: 4, plannedActivityMBq: 7400, intervalDays: 14, firstCycleDate: daysFromNowDate(1),
    });
    const window = { from: daysFromNowDate(0), to: daysFromNowDate(60) };
    const before = await q<Due>(coord, DUE, { f: window });
    expect(before.cyclesDue.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining(c.cycles.map((x) => x.id)));
    await ok(coord, "therapyCycleUpdate", { id: c.cycles[1]!.id, version: 1, status: "DELAYED" });

    await ok(phys, "therapyCourseUpdate", { id: c.id, version: 1, status: "STOPPED", stopReason: "progression" });
    const after = await q<CourseNode>(coord, COURSE, { id: c.id });
    expect(after.node.status).toBe("STOPPED");
    expect(after.node.cycles.map((x) => x.status)).toEqual(["CANCELLED", "CANCELLED", "CANCELLED", "CANCELLED"]);
    const due = await q<Due>(coord, DUE, { f: window });
    for (const x of c.cycles) expect(due.cyclesDue.edges.map((e) => e.node.id)).not.toContain(x.id);

    const rows = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, siteId), eq(auditEvent.action, "cycle.cancel")));
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => (r.detail as { reason?: string }).reason === "course ended")).toBe(true);
  });

  it("completing a template-planned course cancels its open cycles and care events with the reason", async () => {
    const p = await ok(coord, "patientCreate", patientInput(`CE-${uniq()}`));
    const tpl = await q<{ protocolTemplates: { id: string; key: string }[] }>(phys, `{ protocolTemplates { id key } }`);
    const first = `${daysFromNowDate(30)}T09:00`;
    const created = await q<{ therapyCourseCreate: { course: { id: string; careEvents: { status: string }[] }; userErrors: unknown[] } }>(
      phys,
      `mutation($i: TherapyCourseCreateInput!) { therapyCourseCreate(input: $i) { course { id careEvents { status } } userErrors { field message code } } }`,
      { i: { patientId: p.id, radiopharmaceuticalId: await agentId("177Lu-DOTATATE"), intent: "STANDARD", protocolTemplateId: tpl.protocolTemplates.find((t) => t.key === "lu177-dotatate-standard")!.id, firstAdministrationAt: first } },
    );
    expect(created.therapyCourseCreate.userErrors).toEqual([]);
    const id = created.therapyCourseCreate.course.id;
    expect(created.therapyCourseCreate.course.careEvents.length).toBeGreaterThan(10);

    await ok(phys, "therapyCourseUpdate", { id, version: 1, status: "COMPLETED" });
    const after = await q<CourseNode>(coord, COURSE, { id });
    expect(after.node.cycles.every((x) => x.status === "CANCELLED")).toBe(true);
    expect(after.node.careEvents.every((e) => e.status === "CANCELLED")).toBe(true);
    expect(new Set(after.node.careEvents.map((e) => e.statusReason))).toEqual(new Set(["course completed"]));
  });
});
