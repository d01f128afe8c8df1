import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import pngjs from "pngjs";
import { extractText, getDocumentProxy } from "unpdf";
import { auditEvent, boardCaseSnapshot, boardDecision } from "@lutetia/db";
import { toGlobalId } from "../../shared/ids";
import { as, Client, startTestServer, type TestServer } from "../../../test/harness";
import { clinicalFixture, hoursAgo, ok as okMutation, q, uniq, type ClinicalFixture } from "../../../test/fixtures";
import { petSeries, stow } from "../../../test/imaging-helpers";

/**
 * Tumour boards through HTTP on a real database: meeting lifecycle and agenda, the frozen
 * one-pager (service + database trigger), decisions (validation, chair-only signature, signed
 * immutability, amendments), permissions, cross-site isolation, audit rows and the PDF export.
 */
let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let coord: Client;
let phys: Client;
let board: Client;
let viewer: Client;
let fx: ClinicalFixture;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite();
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
  board = await as(server, site.users.BOARD_MEMBER.email);
  viewer = await as(server, site.users.VIEWER.email);
  fx = await clinicalFixture(coord, phys);
});
afterAll(async () => {
  await server?.close();
});

type UE = { field: string[]; message: string; code: string };
const uid = (role: keyof typeof site.users) => toGlobalId("User", site.users[role].id);
const MEETING = `id version status title chair { id } attendees { id } viewerIsChair cases { id version position question patient { id } }`;
const DECISION = `id version status outcome rationale contentHash signedAt signedBy { id } amends { id } amendedBy { id } consensus votesFor regimen { plannedCycles activityPerCycleGBq radiopharmaceutical { id } }`;

async function m<T = Record<string, unknown>>(c: Client, name: string, inputType: string, sel: string, input: Record<string, unknown>) {
  const r = await c.gql<Record<string, Record<string, unknown>>>(`mutation($i: ${inputType}!) { ${name}(input: $i) { ${sel} userErrors { field message code } } }`, { i: input });
  const p = r.data?.[name];
  return { raw: r, p: p as (T & { userErrors: UE[] }) | undefined, errors: r.errors, requestId: r.headers.get("x-request-id")! };
}
const createMeeting = (c: Client, input: Record<string, unknown>) => m<{ meeting: Record<string, unknown> | null }>(c, "boardMeetingCreate", "BoardMeetingCreateInput", `meeting { ${MEETING} }`, input);
const addCase = (c: Client, input: Record<string, unknown>) => m<{ case: { id: string; version: number; position: number } | null }>(c, "boardCaseAdd", "BoardCaseAddInput", "case { id version position }", input);
const transition = (c: Client, name: "boardMeetingStart" | "boardMeetingClose", id: string, version: number) => m<{ meeting: { id: string; version: number; status: string } | null }>(c, name, "BoardMeetingTransitionInput", "meeting { id version status }", { id, version });
const freeze = (c: Client, caseId: string) => m<{ snapshot: { id: string; contentHash: string; content: Record<string, unknown> } | null }>(c, "boardCaseFreeze", "BoardCaseFreezeInput", "snapshot { id contentHash content frozenAt }", { caseId });
const record = (c: Client, input: Record<string, unknown>) => m<{ decision: Record<string, unknown> | null }>(c, "boardDecisionRecord", "BoardDecisionRecordInput", `decision { ${DECISION} }`, input);
const sign = (c: Client, id: string, version: number) => m<{ decision: Record<string, unknown> | null }>(c, "boardDecisionSign", "BoardDecisionSignInput", `decision { ${DECISION} }`, { id, version });

/** A meeting chaired by the board member, one case of the fixture's patient, started. */
async function runningCase(question = "ELIGIBILITY") {
  const mt = await createMeeting(coord, { title: `Board ${uniq()}`, scheduledAt: new Date(Date.now() + 3_600_000).toISOString(), chairId: uid("BOARD_MEMBER"), attendeeIds: [uid("PHYSICIAN"), uid("BOARD_MEMBER")] });
  const meeting = mt.p!.meeting as { id: string; version: number };
  const c = await addCase(coord, { meetingId: meeting.id, patientId: fx.patientId, question });
  const started = await transition(coord, "boardMeetingStart", meeting.id, meeting.version);
  return { meetingId: meeting.id, meetingVersion: started.p!.meeting!.version, caseId: c.p!.case!.id };
}

describe("meeting lifecycle and agenda", () => {
  it("schedules a meeting, edits the agenda before it, runs and closes it; wrong transitions are refused", async () => {
    const other = await clinicalFixture(coord, phys);
    const bad = await createMeeting(coord, { title: "Board", scheduledAt: new Date().toISOString(), chairId: uid("VIEWER") });
    expect(bad.p!.meeting).toBeNull();
    expect(bad.p!.userErrors[0]).toMatchObject({ field: ["input", "chairId"], code: "INVALID" });
    expect(bad.p!.userErrors[0]!.message).toMatch(/board member or physician/);
    const empty = await createMeeting(coord, { title: "  ", scheduledAt: new Date().toISOString(), chairId: uid("PHYSICIAN") });
    expect(empty.p!.userErrors[0]!.field).toEqual(["input", "title"]);

    const created = await createMeeting(coord, { title: "NET board", scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), location: "Room 2", chairId: uid("BOARD_MEMBER"), attendeeIds: [uid("PHYSICIAN")] });
    const meeting = created.p!.meeting as { id: string; version: number; status: string; chair: { id: string } };
    expect(meeting.status).toBe("SCHEDULED");
    expect(meeting.chair.id).toBe(uid("BOARD_MEMBER"));
    const a = await addCase(coord, { meetingId: meeting.id, patientId: fx.patientId, question: "ELIGIBILITY" });
    const b = await addCase(coord, { meetingId: meeting.id, patientId: other.patientId, question: "OTHER", questionText: "Second opinion on liver lesions" });
    expect([a.p!.case!.position, b.p!.case!.position]).toEqual([1, 2]);
    const dup = await addCase(coord, { meetingId: meeting.id, patientId: fx.patientId, question: "RESPONSE" });
    expect(dup.p!.userErrors[0]).toMatchObject({ field: ["input", "patientId"], code: "DUPLICATE" });
    const noText = await addCase(coord, { meetingId: meeting.id, patientId: other.patientId, question: "OTHER" });
    expect(noText.p!.userErrors[0]!.field).toEqual(["input", "questionText"]);

    const re = await m<{ meeting: { cases: { id: string; position: number }[] } }>(coord, "boardAgendaReorder", "BoardAgendaReorderInput", "meeting { cases { id position } }", { meetingId: meeting.id, caseIds: [b.p!.case!.id, a.p!.case!.id] });
    expect(re.p!.meeting.cases.map((c) => c.id)).toEqual([b.p!.case!.id, a.p!.case!.id]);
    const reBad = await m(coord, "boardAgendaReorder", "BoardAgendaReorderInput", "meeting { id }", { meetingId: meeting.id, caseIds: [a.p!.case!.id] });
    expect((reBad.p as { userErrors: UE[] }).userErrors[0]!.field).toEqual(["input", "caseIds"]);

    const rm = await m<{ case: { id: string } | null }>(coord, "boardCaseRemove", "BoardCaseRemoveInput", "case { id }", { id: b.p!.case!.id, version: 2, reason: "discussed by email" });
    expect(rm.p!.userErrors).toEqual([]);
    const after = await q<{ node: { cases: { id: string }[]; caseCount: number } }>(viewer, `query($id: ID!) { node(id: $id) { ... on BoardMeeting { cases { id } caseCount } } }`, { id: meeting.id });
    expect(after.node.cases.map((c) => c.id)).toEqual([a.p!.case!.id]);

    const started = await transition(coord, "boardMeetingStart", meeting.id, meeting.version);
    expect(started.p!.meeting!.status).toBe("IN_PROGRESS");
    const late = await addCase(coord, { meetingId: meeting.id, patientId: other.patientId, question: "RESPONSE" });
    expect(late.p!.userErrors[0]!.message).toMatch(/IN_PROGRESS meeting cannot be changed/);
    const again = await transition(coord, "boardMeetingStart", meeting.id, started.p!.meeting!.version);
    expect(again.p!.userErrors[0]!.message).toMatch(/IN_PROGRESS meeting cannot be started/);
    const closed = await transition(coord, "boardMeetingClose", meeting.id, started.p!.meeting!.version);
    expect(closed.p!.meeting!.status).toBe("CLOSED");
    const cancel = await m(coord, "boardMeetingCancel", "BoardMeetingCancelInput", "meeting { id }", { id: meeting.id, version: closed.p!.meeting!.version, reason: "x" });
    expect((cancel.p as { userErrors: UE[] }).userErrors[0]!.message).toMatch(/CLOSED meeting cannot be cancelled/);

    const list = await q<{ boardMeetings: { totalCount: number; edges: { node: { id: string; status: string } }[] } }>(viewer, `{ boardMeetings(filter: { status: [CLOSED] }, orderBy: { field: SCHEDULED_AT, direction: DESC }) { totalCount edges { node { id status } } } }`);
    expect(list.boardMeetings.edges.map((e) => e.node.id)).toContain(meeting.id);
    expect(list.boardMeetings.edges.every((e) => e.node.status === "CLOSED")).toBe(true);

    const audit = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, site.site.id), eq(auditEvent.entityId, (await import("../../shared/ids")).idOf(meeting.id, "BoardMeeting")!)));
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(["board.meeting.create", "board.agenda.reorder", "board.meeting.start", "board.meeting.close"]));
  });

  it("edits a meeting: attendees any time before it closes, chair and time only before it starts", async () => {
    const { meetingId, meetingVersion } = await runningCase();
    const upd = (input: Record<string, unknown>) => m<{ meeting: { version: number; attendees: { id: string }[]; chair: { id: string } } | null }>(coord, "boardMeetingUpdate", "BoardMeetingUpdateInput", "meeting { version attendees { id } chair { id } }", input);
    const att = await upd({ id: meetingId, version: meetingVersion, attendeeIds: [uid("PHYSICIST"), uid("BOARD_MEMBER")] });
    expect(att.p!.userErrors).toEqual([]);
    expect(att.p!.meeting!.attendees.map((a) => a.id)).toEqual([uid("PHYSICIST"), uid("BOARD_MEMBER")]);
    const sameChair = await upd({ id: meetingId, version: att.p!.meeting!.version, chairId: uid("BOARD_MEMBER"), title: "Renamed" });
    expect(sameChair.p!.userErrors).toEqual([]);
    const newChair = await upd({ id: meetingId, version: sameChair.p!.meeting!.version, chairId: uid("PHYSICIAN") });
    expect(newChair.p!.userErrors[0]).toMatchObject({ field: ["input", "chairId"], message: "cannot change once the meeting has started" });
    const stale = await upd({ id: meetingId, version: 1, title: "x" });
    expect(stale.p!.userErrors[0]!.code).toBe("CONFLICT");
    const notMember = await upd({ id: meetingId, version: sameChair.p!.meeting!.version, attendeeIds: [toGlobalId("User", "00000000-0000-4000-8000-000000000000")] });
    expect(notMember.p!.userErrors[0]).toMatchObject({ field: ["input", "attendeeIds", "0"], code: "NOT_FOUND" });
  });

  it("coordinators and physicians manage meetings; board members and viewers may not (FORBIDDEN, audited)", async () => {
    for (const c of [board, viewer]) {
      const r = await createMeeting(c, { title: "x", scheduledAt: new Date().toISOString(), chairId: uid("PHYSICIAN") });
      expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const rows = await server.db.db.select().from(auditEvent).where(eq(auditEvent.requestId, r.requestId));
      expect(rows.map((x) => [x.action, x.outcome])).toEqual([["board:manage", "DENIED"]]);
    }
    const byPhys = await createMeeting(phys, { title: "x", scheduledAt: new Date().toISOString(), chairId: uid("PHYSICIAN") });
    expect(byPhys.p!.meeting).not.toBeNull();
  });
});

describe("snapshot: what the board saw", () => {
  it("freezes the live one-pager once; live changes show; the service and the database refuse changes", async () => {
    const scheduled = await createMeeting(coord, { title: "Later", scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), chairId: uid("BOARD_MEMBER") });
    const c0 = await addCase(coord, { meetingId: (scheduled.p!.meeting as { id: string }).id, patientId: fx.patientId, question: "ELIGIBILITY" });
    const early = await freeze(board, c0.p!.case!.id);
    expect(early.p!.userErrors[0]!.message).toMatch(/during the meeting/);

    const { caseId } = await runningCase();
    const live = await q<{ node: { livePager: { content: { patient: { mrn: string }; diagnosis: { ki67Percent: number }; courses: { cycles: { prescribedGBq: number }[] }[]; dosimetry: unknown; labs: { analyte: string; latest: { grade: number | null } }[]; eligibility: { overall: string } }; contentHash: string }; snapshot: null } }>(
      viewer, `query($id: ID!) { node(id: $id) { ... on BoardCase { livePager { content contentHash } snapshot { id } } } }`, { id: caseId });
    const pager = live.node.livePager.content;
    expect(pager.patient.mrn).toBe(fx.mrn);
    expect(pager.diagnosis.ki67Percent).toBe(8);
    expect(pager.courses[0]!.cycles[0]!.prescribedGBq).toBeCloseTo(7.4, 6);
    expect(pager.dosimetry).toBeNull();
    expect(pager.labs.find((l) => l.analyte === "CREATININE")!.latest.grade).toBe(0);
    expect(["ELIGIBLE", "NOT_ELIGIBLE", "NEEDS_DATA", "REVIEW"]).toContain(pager.eligibility.overall);
    expect(live.node.livePager.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const viewerFreeze = await freeze(viewer, caseId);
    expect(viewerFreeze.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const f = await freeze(board, caseId);
    expect(f.p!.userErrors).toEqual([]);
    expect(f.p!.snapshot!.contentHash).toBe(live.node.livePager.contentHash);
    const twice = await freeze(board, caseId);
    expect(twice.p!.userErrors[0]).toMatchObject({ field: ["input", "caseId"], code: "DUPLICATE" });

    const changed = `query($id: ID!) { node(id: $id) { ... on BoardCase { liveChangedSinceSnapshot snapshot { contentHash content } } } }`;
    expect((await q<{ node: { liveChangedSinceSnapshot: boolean } }>(viewer, changed, { id: caseId })).node.liveChangedSinceSnapshot).toBe(false);
    await okMutation(coord, "labResultRecord", { patientId: fx.patientId, analyte: "PLATELETS", value: 60, unit: "10^9/L", sampledAt: hoursAgo(1) });
    const after = await q<{ node: { liveChangedSinceSnapshot: boolean; snapshot: { contentHash: string; content: { labs: { analyte: string }[] } } } }>(viewer, changed, { id: caseId });
    expect(after.node.liveChangedSinceSnapshot).toBe(true);
    expect(after.node.snapshot.contentHash).toBe(f.p!.snapshot!.contentHash);
    expect(after.node.snapshot.content.labs.some((l) => l.analyte === "PLATELETS")).toBe(false);

    const db = server.db.db;
    expect(await refused(db.execute(sql`update board_case_snapshot set content_hash = 'x'`))).toMatch(/board_case_snapshot is immutable: UPDATE refused/);
    expect(await refused(db.delete(boardCaseSnapshot))).toMatch(/board_case_snapshot is immutable: DELETE refused/);
    expect(await refused(db.execute(sql`truncate board_case_snapshot cascade`))).toMatch(/immutable|refused/);
    const [row] = await db.select().from(boardCaseSnapshot).where(eq(boardCaseSnapshot.contentHash, f.p!.snapshot!.contentHash));
    expect(row).toBeDefined();
  });
});

describe("decisions: structured, chair-signed, immutable, amended by a linked record", () => {
  it("validates fields per outcome, signs by the chair only, refuses changes after signing, and amends", async () => {
    const { caseId } = await runningCase("CONTINUE_OR_MODIFY");
    const before = await record(phys, { caseId, outcome: "CONTINUE", rationale: "stable", consensus: true });
    expect(before.p!.userErrors[0]!.message).toMatch(/freeze the case's one-pager first/);
    await freeze(board, caseId);

    const invalid = await record(phys, { caseId, outcome: "START_PRRT", rationale: " ", plannedCycles: 12, activityPerCycleGBq: 40, newActivityGBq: 5 });
    const fields = invalid.p!.userErrors.map((e) => e.field.join("."));
    expect(fields).toContain("input.rationale");
    const invalid2 = await record(phys, { caseId, outcome: "START_PRRT", rationale: "ok", plannedCycles: 12, activityPerCycleGBq: 40, newActivityGBq: 5 });
    const f2 = Object.fromEntries(invalid2.p!.userErrors.map((e) => [e.field.join("."), e.message]));
    expect(f2["input.radiopharmaceuticalId"]).toMatch(/required/);
    expect(f2["input.plannedCycles"]).toMatch(/1–8 \(got 12\)/);
    expect(f2["input.activityPerCycleGBq"]).toMatch(/got 40/);
    expect(f2["input.newActivityGBq"]).toMatch(/must be empty/);
    expect(f2["input.votesFor"]).toMatch(/votes|consensus/);
    const delay = await record(phys, { caseId, outcome: "DELAY", rationale: "ok", consensus: true });
    expect(delay.p!.userErrors[0]!.field).toEqual(["input", "delayUntil"]);
    expect(await server.db.db.select().from(boardDecision).where(eq(boardDecision.siteId, site.site.id))).toHaveLength(0);

    const coordRec = await record(coord, { caseId, outcome: "MODIFY_ACTIVITY", newActivityGBq: 3.7, rationale: "x", consensus: true });
    expect(coordRec.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const draft = await record(phys, { caseId, outcome: "MODIFY_ACTIVITY", newActivityGBq: 3.7, rationale: "grade 2 thrombocytopenia after cycle 2", votesFor: 5, votesAgainst: 1, votesAbstain: 0 });
    expect(draft.p!.userErrors).toEqual([]);
    const d = draft.p!.decision as { id: string; version: number; status: string };
    expect(d.status).toBe("DRAFT");
    const dupe = await record(phys, { caseId, outcome: "STOP", rationale: "x", consensus: true });
    expect(dupe.p!.userErrors[0]!.code).toBe("DUPLICATE");
    const upd = await m<{ decision: { version: number; newActivityGBq: number } }>(board, "boardDecisionUpdate", "BoardDecisionUpdateInput", "decision { version newActivityGBq }", { id: d.id, version: d.version, outcome: "MODIFY_ACTIVITY", newActivityGBq: 5.55, rationale: "grade 2 thrombocytopenia after cycle 2; 75 % activity", consensus: true });
    expect(upd.p!.userErrors).toEqual([]);
    expect(upd.p!.decision.newActivityGBq).toBe(5.55);

    // Only the chair signs: a physician (allowed to decide, not the chair) is FORBIDDEN and audited.
    const notChair = await sign(phys, d.id, upd.p!.decision.version);
    expect(notChair.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const denied = (await server.db.db.select().from(auditEvent).where(eq(auditEvent.requestId, notChair.requestId))).filter((x) => !x.action.endsWith(".read"));
    expect(denied.map((x) => [x.action, x.outcome, x.actorUserId])).toEqual([["board.decision.sign", "DENIED", site.users.PHYSICIAN.id]]);
    const coordSign = await sign(coord, d.id, upd.p!.decision.version);
    expect(coordSign.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const stale = await sign(board, d.id, 1);
    expect(stale.p!.userErrors[0]!.code).toBe("CONFLICT");
    const signed = await sign(board, d.id, upd.p!.decision.version);
    expect(signed.p!.userErrors).toEqual([]);
    const s = signed.p!.decision as { status: string; contentHash: string; signedBy: { id: string }; signedAt: string; version: number };
    expect(s.status).toBe("SIGNED");
    expect(s.signedBy.id).toBe(uid("BOARD_MEMBER"));
    expect(s.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const signAudit = await server.db.db.select().from(auditEvent).where(eq(auditEvent.requestId, signed.requestId));
    expect(signAudit.find((x) => x.action === "board.decision.sign")).toMatchObject({ outcome: "SUCCESS", actorUserId: site.users.BOARD_MEMBER.id });

    // A signed decision is immutable: the service refuses, and so does the database.
    const resign = await sign(board, d.id, s.version);
    expect(resign.p!.userErrors[0]!.message).toMatch(/already signed/);
    const edit = await m(board, "boardDecisionUpdate", "BoardDecisionUpdateInput", "decision { id }", { id: d.id, version: s.version, outcome: "STOP", rationale: "x", consensus: true });
    expect((edit.p as { userErrors: UE[] }).userErrors[0]!.message).toMatch(/signed decision is immutable/);
    expect(await refused(server.db.db.execute(sql`update board_decision set rationale = 'changed' where status = 'SIGNED'`))).toMatch(/signed and immutable: UPDATE refused/);
    expect(await refused(server.db.db.execute(sql`delete from board_decision where status = 'SIGNED'`))).toMatch(/signed and immutable: DELETE refused/);

    // Amend: a new linked draft; the signed one is untouched; the chain shows both ways.
    const amend = await m<{ decision: { id: string; version: number; status: string; amends: { id: string } } }>(phys, "boardDecisionAmend", "BoardDecisionAmendInput", `decision { ${DECISION} }`, { amendsId: d.id, outcome: "DELAY", delayWeeks: 4, rationale: "platelets recovering; re-check in 4 weeks", consensus: true });
    expect(amend.p!.userErrors).toEqual([]);
    expect(amend.p!.decision.amends.id).toBe(d.id);
    expect(amend.p!.decision.status).toBe("DRAFT");
    const twice = await m(phys, "boardDecisionAmend", "BoardDecisionAmendInput", "decision { id }", { amendsId: d.id, outcome: "STOP", rationale: "x", consensus: true });
    expect((twice.p as { userErrors: UE[] }).userErrors[0]!.code).toBe("CONFLICT");
    const signedAmend = await sign(board, amend.p!.decision.id, amend.p!.decision.version);
    expect(signedAmend.p!.userErrors).toEqual([]);
    const chain = await q<{ node: { decisions: { id: string; amendedBy: { id: string } | null; status: string; rationale: string }[]; currentDecision: { id: string; outcome: string } } }>(
      viewer, `query($id: ID!) { node(id: $id) { ... on BoardCase { decisions { id status rationale amendedBy { id } } currentDecision { id outcome } } } }`, { id: caseId });
    expect(chain.node.decisions.map((x) => x.id)).toEqual([d.id, amend.p!.decision.id]);
    expect(chain.node.decisions[0]!.amendedBy!.id).toBe(amend.p!.decision.id);
    expect(chain.node.decisions[0]!.rationale).toBe("grade 2 thrombocytopenia after cycle 2; 75 % activity");
    expect(chain.node.currentDecision).toMatchObject({ id: amend.p!.decision.id, outcome: "DELAY" });

    // The decisions flow back to the patient and the course.
    const pat = await q<{ node: { boardDecisions: { id: string }[]; courses: { boardDecisions: { outcome: string }[] }[] } }>(viewer, `query($id: ID!) { node(id: $id) { ... on Patient { boardDecisions { id } courses { boardDecisions { outcome } } } } }`, { id: fx.patientId });
    expect(pat.node.boardDecisions.map((x) => x.id)).toEqual(expect.arrayContaining([d.id, amend.p!.decision.id]));
    expect(pat.node.courses[0]!.boardDecisions.map((x) => x.outcome)).toEqual(expect.arrayContaining(["MODIFY_ACTIVITY", "DELAY"]));
  });

  it("starts a course from a signed START_PRRT decision, pre-filled from the regimen, once", async () => {
    const p2 = await clinicalFixture(coord, phys);
    const mt = await createMeeting(coord, { title: `Board ${uniq()}`, scheduledAt: new Date().toISOString(), chairId: uid("PHYSICIAN") });
    const meeting = mt.p!.meeting as { id: string; version: number };
    const c = await addCase(coord, { meetingId: meeting.id, patientId: p2.patientId, question: "ELIGIBILITY" });
    await transition(coord, "boardMeetingStart", meeting.id, meeting.version);
    await freeze(phys, c.p!.case!.id);
    const t = await q<{ protocolTemplates: { id: string; key: string }[] }>(phys, `{ protocolTemplates { id key } }`);
    const templateId = t.protocolTemplates.find((x) => x.key === "lu177-dotatate-standard")!.id;
    const rec = await record(phys, { caseId: c.p!.case!.id, outcome: "START_PRRT", protocolTemplateId: templateId, radiopharmaceuticalId: p2.lu.id, plannedCycles: 4, activityPerCycleGBq: 7.4, rationale: "SSTR-positive, Krenning 3", consensus: true });
    const d = rec.p!.decision as { id: string; version: number };
    const early = await m(coord, "boardDecisionStartCourse", "BoardDecisionStartCourseInput", "course { id }", { decisionId: d.id, firstAdministrationAt: "2030-03-04T09:00" });
    expect((early.p as { userErrors: UE[] }).userErrors[0]!.message).toMatch(/not signed/);
    await sign(phys, d.id, d.version);
    const started = await m<{ course: { id: string; plannedCycles: number; plannedActivityMBq: number; cycles: { id: string }[] } }>(coord, "boardDecisionStartCourse", "BoardDecisionStartCourseInput", "course { id plannedCycles plannedActivityMBq cycles { id } }", { decisionId: d.id, firstAdministrationAt: "2030-03-04T09:00" });
    expect(started.p!.userErrors).toEqual([]);
    expect(started.p!.course.plannedCycles).toBe(4);
    expect(started.p!.course.plannedActivityMBq).toBeCloseTo(7400, 6);
    expect(started.p!.course.cycles).toHaveLength(4);
    const again = await m(coord, "boardDecisionStartCourse", "BoardDecisionStartCourseInput", "course { id }", { decisionId: d.id, firstAdministrationAt: "2030-03-04T09:00" });
    expect((again.p as { userErrors: UE[] }).userErrors[0]!.code).toBe("DUPLICATE");
    const link = await q<{ node: { course: { id: string } } }>(viewer, `query($id: ID!) { node(id: $id) { ... on BoardDecision { course { id } } } }`, { id: d.id });
    expect(link.node.course.id).toBe(started.p!.course.id);
  });

  it("applies a signed MODIFY_ACTIVITY then STOP decision to the running course; refusals change nothing", async () => {
    const p3 = await clinicalFixture(coord, phys);
    const signed = async (input: Record<string, unknown>) => {
      const mt = await createMeeting(coord, { title: `Board ${uniq()}`, scheduledAt: new Date().toISOString(), chairId: uid("PHYSICIAN") });
      const meeting = mt.p!.meeting as { id: string; version: number };
      const c = await addCase(coord, { meetingId: meeting.id, patientId: p3.patientId, question: "CONTINUE_OR_MODIFY" });
      await transition(coord, "boardMeetingStart", meeting.id, meeting.version);
      await freeze(phys, c.p!.case!.id);
      const rec = await record(phys, { caseId: c.p!.case!.id, consensus: true, ...input });
      const d = rec.p!.decision as { id: string; version: number };
      return { draft: d, signedDecision: (await sign(phys, d.id, d.version)).p!.decision as { id: string } };
    };
    const apply = (c: Client, input: Record<string, unknown>) =>
      m<{ course: { id: string; version: number; status: string; stopReason: string | null; plannedActivityMBq: number; cycles: { status: string }[] } | null }>(
        c, "boardDecisionApplyToCourse", "BoardDecisionApplyToCourseInput", "course { id version status stopReason plannedActivityMBq cycles { status } }", input);
    const courseId = p3.courseId;

    const modify = await signed({ outcome: "MODIFY_ACTIVITY", newActivityGBq: 5.55, rationale: "eGFR fell to 48 mL/min: reduce" });
    // Refusals: a viewer (FORBIDDEN), a CONTINUE decision, another patient's course, a stale version.
    const denied = await apply(viewer, { decisionId: modify.signedDecision.id, courseId, courseVersion: 1 });
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const cont = await signed({ outcome: "CONTINUE", rationale: "stable" });
    const wrongOutcome = await apply(coord, { decisionId: cont.signedDecision.id, courseId, courseVersion: 1 });
    expect(wrongOutcome.p!.userErrors[0]).toMatchObject({ field: ["input", "decisionId"] });
    expect(wrongOutcome.p!.userErrors[0]!.message).toMatch(/CONTINUE decision is not applied/);
    const wrongCourse = await apply(coord, { decisionId: modify.signedDecision.id, courseId: fx.courseId, courseVersion: 1 });
    expect(wrongCourse.p!.userErrors[0]).toMatchObject({ field: ["input", "courseId"] });
    const stale = await apply(coord, { decisionId: modify.signedDecision.id, courseId, courseVersion: 7 });
    expect(stale.p!.userErrors[0]).toMatchObject({ code: "CONFLICT" });

    const modified = await apply(coord, { decisionId: modify.signedDecision.id, courseId, courseVersion: 1 });
    expect(modified.p!.userErrors).toEqual([]);
    expect(modified.p!.course).toMatchObject({ status: "PLANNED", plannedActivityMBq: 5550, version: 2 });

    const stop = await signed({ outcome: "STOP", rationale: "progression on restaging" });
    const stopped = await apply(coord, { decisionId: stop.signedDecision.id, courseId, courseVersion: 2 });
    expect(stopped.p!.userErrors).toEqual([]);
    expect(stopped.p!.course!.status).toBe("STOPPED");
    expect(stopped.p!.course!.stopReason).toMatch(/^tumour board \d{4}-\d{2}-\d{2}: progression on restaging$/);
    expect(stopped.p!.course!.cycles.every((c) => c.status === "CANCELLED")).toBe(true);
    const again = await apply(coord, { decisionId: stop.signedDecision.id, courseId, courseVersion: 3 });
    expect(again.p!.userErrors[0]!.message).toMatch(/the course is STOPPED/);

    const { idOf } = await import("../../shared/ids");
    const rows = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.siteId, site.site.id), eq(auditEvent.action, "board.decision.apply")));
    expect(rows.map((r) => r.entityId).sort()).toEqual([idOf(modify.signedDecision.id, "BoardDecision"), idOf(stop.signedDecision.id, "BoardDecision")].sort());
  });
});

describe("cross-site isolation", () => {
  it("another site's users see NOT_FOUND / null and the PDF answers 404, audited as denied", async () => {
    const { caseId } = await runningCase();
    const other = await server.createSite();
    const stranger = await as(server, other.users.PHYSICIAN.email);
    const node = await stranger.gql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: caseId });
    expect(node.data!.node).toBeNull();
    const f = await freeze(stranger, caseId);
    expect(f.p!.userErrors[0]).toMatchObject({ field: ["input", "caseId"], code: "NOT_FOUND" });
    const list = await q<{ boardMeetings: { totalCount: number } }>(stranger, `{ boardMeetings { totalCount } }`);
    expect(list.boardMeetings.totalCount).toBe(0);
    const res = await fetch(`${server.base}/api/boards/cases/${caseId}/one-pager.pdf`, { headers: { cookie: stranger.cookie! } });
    expect(res.status).toBe(404);
    const rows = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.actorUserId, other.users.PHYSICIAN.id), eq(auditEvent.outcome, "DENIED")));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["board_case.export"]));
  });
});

describe("PDF export and key images", () => {
  it("exports the one-pager as a PDF with the patient's numbers, the MIP key image and the snapshot hash", async () => {
    const st = await stow(coord, petSeries({ mrn: fx.mrn, birthDate: "1958-03-14", uidKey: `board-${uniq()}`, nx: 24, ny: 24, nz: 20, lesions: 2 }).files);
    expect(st.status).toBe(200);
    const { caseId } = await runningCase();
    const live = await q<{ node: { livePager: { content: { keyImages: { pngBase64: string; width: number; height: number; modality: string }[] } } } }>(viewer, `query($id: ID!) { node(id: $id) { ... on BoardCase { livePager { content } } } }`, { id: caseId });
    const img = live.node.livePager.content.keyImages[0]!;
    expect(img.modality).toBe("PT");
    const png = pngjs.PNG.sync.read(Buffer.from(img.pngBase64, "base64"));
    expect([png.width, png.height]).toEqual([img.width, img.height]);
    let min = 255;
    for (let i = 0; i < png.data.length; i += 4) min = Math.min(min, png.data[i]!);
    expect(min).toBeLessThan(60); // uptake renders dark on white

    const anon = await fetch(`${server.base}/api/boards/cases/${caseId}/one-pager.pdf`);
    expect(anon.status).toBe(401);
    const liveRes = await fetch(`${server.base}/api/boards/cases/${caseId}/one-pager.pdf`, { headers: { cookie: viewer.cookie! } });
    expect(liveRes.status).toBe(200);
    expect(liveRes.headers.get("content-type")).toBe("application/pdf");
    expect(liveRes.headers.get("content-disposition")).not.toContain(fx.mrn);
    const liveText = await pdfText(new Uint8Array(await liveRes.arrayBuffer()));
    expect(liveText).toContain("LIVE data");

    const f = await freeze(board, caseId);
    const res = await fetch(`${server.base}/api/boards/cases/${caseId}/one-pager.pdf`, { headers: { cookie: viewer.cookie! } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = await pdfText(bytes.slice()); // pdf.js detaches the buffer it is given
    expect(text).toContain(`MRN ${fx.mrn}`);
    expect(text).toContain("Synthfamily, Synthgiven");
    expect(text).toContain("7.40"); // prescribed GBq per cycle
    expect(text).toContain("8.0"); // Ki-67 %
    expect(text).toContain("No dosimetry recorded");
    expect(text).toContain(f.p!.snapshot!.contentHash);
    expect(text).toMatch(/Page 1 of \d/);
    expect(Buffer.from(bytes).toString("latin1")).toMatch(/\/XObject <<\s*\/I1 /); // the MIP is embedded
    const exp = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.action, "board.case.export_pdf"), eq(auditEvent.actorUserId, site.users.VIEWER.id)));
    expect(exp.length).toBe(2);
  });
});

/** The database's message of a refused statement (drizzle wraps it as the cause). */
async function refused(p: PromiseLike<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { cause?: Error };
    return `${err.message} ${err.cause?.message ?? ""}`;
  }
  return "statement was accepted";
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(bytes);
  const { text } = await extractText(pdf, { mergePages: true });
  return text as string;
}
