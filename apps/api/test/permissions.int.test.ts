import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvent } from "@lutetia/db";
import { buildSchema } from "../src/graphql/schema";
import { toGlobalId } from "../src/shared/ids";
import { ROLES, type Role } from "../src/shared/permissions";
import { as, Client, startTestServer, type TestServer } from "./harness";
import {
  administeredCycle, administrationInput, catalogue, clinicalFixture, daysAgoDate, daysFromNowDate, hoursAgo, mutate, pathwayFixture, type ClinicalFixture, type MutationName,
  patientInput, type PathwayFixture, siteSnapshot, uniq,
} from "./fixtures";
import { expectedAllowed, MUTATION_ACTION } from "./permission-truth-table";
import { imagingFixture, type ImagingFixture } from "./imaging-fixture";
import { responseFixture, type ResponseFixture } from "./response-fixture";
import { boardFixture, type BoardFixture } from "./board-fixture";

/**
 * Every role × every mutation of the schema, generated from the code's matrix/action map and
 * checked against the hand-written truth table: allowed → the mutation succeeds; denied →
 * FORBIDDEN, nothing written, and a DENIED audit row for the actor.
 */
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

interface State {
  fx: ClinicalFixture;
  pw: PathwayFixture;
  /** The site template copied by protocolTemplateCopy (before that: the shipped one). */
  templateId?: string;
  feedId?: string;
  versions: Map<string, number>;
  agentId?: string;
  shippedAgent: { id: string; version: number };
  lesionId?: string;
  role: Role;
  img: ImagingFixture;
  /** Dosimetry: an administered cycle and the record the physicist creates on it. */
  dos: { cycleId: string; startMs: number };
  dosimetryId?: string;
  resp: ResponseFixture;
  board: BoardFixture;
  /** The meeting made by boardMeetingCreate (cancelled later in the run). */
  boardMeetingId?: string;
}
const v = (s: State, id: string) => s.versions.get(id) ?? 1;
/** The dosimetry fixture's administration moves the patient to ON_TREATMENT (version + 1). */
async function patientVersionAfterDosimetryFixture(s: State): Promise<State> {
  const r = await phys.gql<{ node: { version: number } }>(`query($id:ID!){ node(id:$id){ ... on Patient { version } } }`, { id: s.fx.patientId });
  s.versions.set(s.fx.patientId, r.data!.node.version);
  return s;
}
const PLACEHOLDER_DOSIMETRY = toGlobalId("DosimetryRecord", "00000000-0000-4000-8000-000000000000");

/** Inputs that succeed for a role that is allowed (in this order, on the role's own fixture). */
const CASES: [MutationName | "viewerSwitchSite" | "authLogout" | "calendarFeedCreate", (s: State) => Record<string, unknown>][] = [
  ["viewerSwitchSite", () => ({ siteId: toGlobalId("Site", site.site.id) })],
  ["userCreate", (s) => ({ email: `new-${s.role.toLowerCase()}-${uniq()}@test.lutetia`.toLowerCase(), displayName: "New user", password: "a long enough password", roles: ["VIEWER"] })],
  ["userUpdate", (s) => ({ id: toGlobalId("User", site.users.BOARD_MEMBER.id), version: v(s, toGlobalId("User", site.users.BOARD_MEMBER.id)), displayName: `Board member ${uniq()}` })],
  ["radiopharmaceuticalCreate", () => ({ name: `TEST-${uniq()}`, nuclide: "Lu-177", use: "THERAPY", target: "SSTR" })],
  ["radiopharmaceuticalSetActive", (s) => ({ id: s.agentId ?? s.shippedAgent.id, version: s.agentId ? v(s, s.agentId) : s.shippedAgent.version, active: false })],
  ["patientCreate", () => patientInput(`PM-${uniq()}`)],
  ["patientUpdate", (s) => ({ id: s.fx.patientId, version: v(s, s.fx.patientId), heightCm: 171 })],
  ["bodyWeightRecord", (s) => ({ patientId: s.fx.patientId, weightKg: 70, measuredAt: hoursAgo(1) })],
  ["bodyWeightVoid", (s) => ({ id: s.fx.weightId, version: v(s, s.fx.weightId), reason: "test" })],
  ["diagnosisCreate", (s) => ({ patientId: s.fx.patientId, primarySite: "ileum", histology: "NET", whoGrade: "G1", ki67Percent: 1, differentiation: "WELL", diagnosedOn: "2024-01-01" })],
  ["diagnosisUpdate", (s) => ({ id: s.fx.diagnosisId, version: v(s, s.fx.diagnosisId), histology: "NET, updated" })],
  ["diagnosisVoid", (s) => ({ id: s.fx.diagnosisId, version: v(s, s.fx.diagnosisId), reason: "test" })],
  ["therapyCourseCreate", (s) => ({ patientId: s.fx.patientId, radiopharmaceuticalId: s.fx.lu.id, intent: "RETREATMENT", plannedCycles: 2, plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: daysFromNowDate(100) })],
  ["therapyCourseUpdate", (s) => ({ id: s.fx.courseId, version: v(s, s.fx.courseId), plannedActivityMBq: 7000 })],
  ["therapyCycleUpdate", (s) => ({ id: s.fx.cycleIds[1], version: v(s, s.fx.cycleIds[1]!), plannedDate: daysFromNowDate(60) })],
  ["cycleRecordDecision", (s) => ({ cycleId: s.fx.cycleIds[0], action: "GO", reason: "labs within limits" })],
  ["cycleRecordAdministration", (s) => administrationInput(s.fx.cycleIds[0]!, v(s, s.fx.cycleIds[0]!))],
  ["protocolTemplateCopy", (s) => ({ templateId: s.pw.templateId, name: "Site copy", key: `perm-${uniq().toLowerCase()}` })],
  ["protocolTemplateUpdate", (s) => ({ id: s.templateId ?? s.pw.templateId, cycles: 3 })],
  ["pathwaySettingsUpdate", () => ({ calendarPatientLabel: "INITIALS" })],
  ["careEventCreate", (s) => ({ courseId: s.pw.courseId, kind: "RESTAGING", label: "FDG PET/CT", dueAt: new Date(Date.now() + 300 * 86_400_000).toISOString() })],
  ["careEventBook", (s) => ({ id: s.pw.events["post-scan-24h#c2"], version: v(s, s.pw.events["post-scan-24h#c2"]!), bookedAt: new Date(Date.now() + 90 * 86_400_000).toISOString(), resource: "SPECT-1" })],
  ["careEventsBook", (s) => ({ items: [{ id: s.pw.events["nadir-labs#c2"], version: v(s, s.pw.events["nadir-labs#c2"]!), bookedAt: new Date(Date.now() + 110 * 86_400_000).toISOString() }] })],
  ["careEventComplete", (s) => ({ id: s.pw.events["labs#c1"], version: v(s, s.pw.events["labs#c1"]!), fulfilledById: s.fx.labId })],
  ["careEventSetStatus", (s) => ({ id: s.pw.events["nadir-labs#c3"], version: v(s, s.pw.events["nadir-labs#c3"]!), status: "CANCELLED", reason: "test" })],
  ["cycleReschedule", (s) => ({ id: s.pw.cycleIds[3], version: v(s, s.pw.cycleIds[3]!), administrationAt: `${daysFromNowDate(200)}T09:00` })],
  ["calendarFeedCreate", () => ({})],
  ["calendarFeedRevoke", (s) => ({ id: s.feedId ?? toGlobalId("CalendarFeed", "00000000-0000-4000-8000-000000000000") })],
  ["labResultRecord", (s) => ({ patientId: s.fx.patientId, analyte: "PLATELETS", value: 210, unit: "10^9/L", sampledAt: hoursAgo(1) })],
  ["labResultCorrect", (s) => ({ id: s.fx.labId, version: v(s, s.fx.labId), value: 82, unit: "µmol/L", reason: "test" })],
  ["labResultVoid", (s) => ({ id: s.fx.labId, version: v(s, s.fx.labId), reason: "test" })],
  ["imagingStudyCreate", (s) => ({ patientId: s.fx.patientId, modality: "CT", performedAt: hoursAgo(1), purpose: "RESTAGING" })],
  ["imagingStudyUpdate", (s) => ({ id: s.fx.studyId, version: v(s, s.fx.studyId), purpose: "INTERIM" })],
  ["lesionCreate", (s) => ({ patientId: s.fx.patientId, label: "L7", organ: "bone", firstSeenOn: daysAgoDate(2) })],
  ["lesionUpdate", (s) => ({ id: s.fx.lesionId, version: v(s, s.fx.lesionId), location: "updated" })],
  ["lesionMeasurementRecord", (s) => ({ lesionId: s.lesionId ?? s.fx.lesionId, studyId: s.fx.studyId, suvMax: 9, method: "MANUAL" })],
  ["lesionMeasurementUpdate", (s) => ({ id: s.fx.measurementId, version: v(s, s.fx.measurementId), suvMax: 25 })],
  ["responseAssessmentCreate", (s) => ({ patientId: s.fx.patientId, baselineStudyId: s.fx.studyId, followUpStudyId: s.resp.followUpStudyId })],
  ["responseAssessmentUpdate", (s) => ({ id: s.resp.assessmentId, version: v(s, s.resp.assessmentId), nonTargetResponse: "NON_CR_NON_PD" })],
  ["responseAssessmentConclude", (s) => ({ id: s.resp.assessmentId, version: v(s, s.resp.assessmentId), criterion: "RECIST_1_1", category: "SD", reason: "permission test" })],
  ["responseAssessmentSign", (s) => ({ id: s.resp.assessmentId, version: v(s, s.resp.assessmentId) })],
  ["responseAssessmentAmend", (s) => ({ id: s.resp.assessmentId, reason: "permission test" })],
  ["lesionMeasurementVoid", (s) => ({ id: s.fx.measurementId, version: v(s, s.fx.measurementId), reason: "test" })],
  ["lesionVoid", (s) => ({ id: s.fx.lesionId, version: v(s, s.fx.lesionId), reason: "test" })],
  ["imagingStudyVoid", (s) => ({ id: s.fx.studyId, version: v(s, s.fx.studyId), reason: "test" })],
  ["quarantineAssign", (s) => ({ studyId: s.img.quarantinedStudyId, patientId: s.fx.patientId, version: 1, reason: "identity checked" })],
  ["lesionCandidateAccept", (s) => ({ id: s.img.candidateIds[0], version: 1, newLesion: { label: `C-${uniq()}`.slice(0, 20), organ: "liver" } })],
  ["lesionCandidateReject", (s) => ({ id: s.img.candidateIds[1], version: 1, reason: "physiological" })],
  ["lesionCandidateMerge", (s) => ({ ids: [s.img.candidateIds[2], s.img.candidateIds[3]] })],
  ["seriesQuantify", (s) => ({ seriesId: s.img.seriesId, method: "THRESHOLD", params: { threshold: 5 } })],
  ["seriesQaOverrideSet", (s) => ({ seriesId: s.img.seriesId, weightKg: 80, reason: "weighed on the scan day" })],
  ["dosimetryRecordCreate", (s) => ({ cycleId: s.dos.cycleId })],
  ["dosimetryRecordSave", (s) => ({
    id: s.dosimetryId ?? PLACEHOLDER_DOSIMETRY, version: s.dosimetryId ? v(s, s.dosimetryId) : 1,
    timepoints: [24, 96, 168].map((h, i) => ({ key: `tp${i + 1}`, acquiredAt: new Date(s.dos.startMs + h * 3_600_000).toISOString() })),
    vois: [{ key: "kl", kind: "KIDNEY_LEFT", label: "Kidney left", massG: 150, model: "MONO_EXP", source: "entered", activities: [120, 60, 30] }],
  })],
  ["dosimetryRecordSign", (s) => ({ id: s.dosimetryId ?? PLACEHOLDER_DOSIMETRY, version: s.dosimetryId ? v(s, s.dosimetryId) : 1 })],
  ["dosimetryRecordAmend", (s) => ({ id: s.dosimetryId ?? PLACEHOLDER_DOSIMETRY, reason: "VOI redrawn" })],
  ["boardMeetingCreate", () => ({ title: "Perm board", scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), chairId: toGlobalId("User", site.users.PHYSICIAN.id) })],
  ["boardMeetingUpdate", (s) => ({ id: s.board.meetingA, version: v(s, s.board.meetingA), title: "Perm board (moved)" })],
  ["boardCaseAdd", (s) => ({ meetingId: s.boardMeetingId ?? s.board.meetingA, patientId: s.fx.patientId, question: "RESPONSE" })],
  ["boardAgendaReorder", (s) => ({ meetingId: s.board.meetingA, caseIds: [s.board.caseA] })],
  ["boardCaseRemove", (s) => ({ id: s.board.caseA, version: v(s, s.board.caseA), reason: "test" })],
  ["boardMeetingStart", (s) => ({ id: s.board.meetingA, version: v(s, s.board.meetingA) })],
  ["boardMeetingCancel", (s) => ({ id: s.boardMeetingId ?? s.board.meetingA, version: s.boardMeetingId ? v(s, s.boardMeetingId) : 1, reason: "test" })],
  ["boardCaseFreeze", (s) => ({ caseId: s.board.caseD })],
  ["boardDecisionRecord", (s) => ({ caseId: s.board.caseD, outcome: "STOP", rationale: "progression", votesFor: 4, votesAgainst: 1 })],
  ["boardDecisionUpdate", (s) => ({ id: s.board.draftB, version: v(s, s.board.draftB), outcome: "CONTINUE", rationale: "stable disease, continue", consensus: true })],
  ["boardDecisionSign", (s) => ({ id: s.board.draftB, version: v(s, s.board.draftB) })],
  ["boardDecisionAmend", (s) => ({ amendsId: s.board.draftB, outcome: "DELAY", delayWeeks: 4, rationale: "re-check labs", consensus: true })],
  ["boardDecisionStartCourse", (s) => ({ decisionId: s.board.signedStartC, firstAdministrationAt: `${daysFromNowDate(150)}T09:00` })],
  ["boardDecisionApplyToCourse", (s) => ({ decisionId: s.board.signedModifyE, courseId: s.board.modifyCourseId, courseVersion: v(s, s.board.modifyCourseId) })],
  ["boardMeetingClose", (s) => ({ id: s.board.meetingB, version: s.versions.get(s.board.meetingB) ?? s.board.meetingBVersion })],
  ["patientClose", (s) => ({ id: s.fx.patientId, version: v(s, s.fx.patientId), reason: "test" })],
  ["authLogout", () => ({})],
];

const SWITCH = `mutation($i: ViewerSwitchSiteInput!){ viewerSwitchSite(input:$i){ viewer { roles } userErrors { field message code } } }`;
const FEED = `mutation { calendarFeedCreate { feed { id } url userErrors { field message code } } }`;
const LOGOUT = `mutation { authLogout { ok userErrors { field message code } } }`;

function collectVersions(node: unknown, into: Map<string, number>) {
  if (!node || typeof node !== "object") return;
  const o = node as Record<string, unknown>;
  if (typeof o.id === "string" && typeof o.version === "number") into.set(o.id, o.version);
  for (const x of Object.values(o)) collectVersions(x, into);
}

describe("the schema's mutations are all covered", () => {
  it("MUTATION_ACTION and the cases list exactly the schema's mutations", () => {
    const fields = Object.keys(buildSchema().getMutationType()!.getFields()).filter((f) => f !== "_noop").sort();
    expect(Object.keys(MUTATION_ACTION).sort()).toEqual(fields);
    expect([...CASES.map((c) => c[0]), "authLogin"].sort()).toEqual(fields);
  });
});

describe.each([...ROLES])("role %s × every mutation", (role) => {
  it("is allowed or denied exactly as the truth table says", async () => {
    const user = site.users[role];
    const client = await as(server, user.email); // authLogin: open to every user with a membership
    const cat = await catalogue(client);
    const shipped = cat.find((a) => a.shipped)!;
    const fx = await clinicalFixture(coord, phys);
    const chair = role === "BOARD_MEMBER" || role === "PHYSICIAN" ? user.id : site.users.PHYSICIAN.id;
    const s: State = { fx, pw: await pathwayFixture(phys, fx), versions: new Map(), shippedAgent: { id: shipped.id, version: shipped.version }, img: await imagingFixture(server, coord, fx), dos: await administeredCycle(phys, fx), resp: await responseFixture(coord, phys, fx), role, board: await boardFixture(coord, phys, fx, chair, site.users.PHYSICIAN.id) };
    await patientVersionAfterDosimetryFixture(s);
    const mismatches: string[] = [];
    const allowedOf = (name: string) => {
      const action = MUTATION_ACTION[name];
      expect(action, `${name} missing from MUTATION_ACTION`).not.toBeUndefined();
      const allowed = action === null || action === undefined ? true : expectedAllowed(action, role);
      expect(allowed, `${name}: action ${action} not in the truth table`).toBeDefined();
      return { action, allowed: allowed! };
    };
    const run = async (name: (typeof CASES)[number][0], input: Record<string, unknown>) => {
      let raw;
      let entity: unknown = null;
      let userErrors: unknown[] = [];
      if (name === "viewerSwitchSite") {
        raw = await client.gql<{ viewerSwitchSite: { viewer: unknown; userErrors: unknown[] } }>(SWITCH, { i: input });
        entity = raw.data?.viewerSwitchSite.viewer ?? null;
        userErrors = raw.data?.viewerSwitchSite.userErrors ?? [];
      } else if (name === "authLogout") {
        raw = await client.gql<{ authLogout: { ok: boolean; userErrors: unknown[] } }>(LOGOUT);
        entity = raw.data?.authLogout.ok ? {} : null;
        userErrors = raw.data?.authLogout.userErrors ?? [];
      } else if (name === "calendarFeedCreate") {
        raw = await client.gql<{ calendarFeedCreate: { feed: { id: string } | null; userErrors: unknown[] } }>(FEED);
        entity = raw.data?.calendarFeedCreate.feed ?? null;
        userErrors = raw.data?.calendarFeedCreate.userErrors ?? [];
        if (raw.data?.calendarFeedCreate.feed) s.feedId = raw.data.calendarFeedCreate.feed.id;
      } else {
        const r = await mutate(client, name, input);
        raw = r.raw;
        entity = r.entity;
        userErrors = r.userErrors;
        collectVersions(r.entity, s.versions);
        if (name === "radiopharmaceuticalCreate" && r.entity) s.agentId = (r.entity as { id: string }).id;
        if (name === "lesionCreate" && r.entity) s.lesionId = (r.entity as { id: string }).id;
        if (name === "protocolTemplateCopy" && r.entity) s.templateId = (r.entity as { id: string }).id;
        if (name === "dosimetryRecordCreate" && r.entity) s.dosimetryId = (r.entity as { id: string }).id;
        if (name === "boardMeetingCreate" && r.entity) s.boardMeetingId = (r.entity as { id: string }).id;
      }
      const requestId = raw.headers.get("x-request-id")!;
      const audit = await server.db.db.select().from(auditEvent).where(and(eq(auditEvent.requestId, requestId), eq(auditEvent.actorUserId, user.id)));
      return { raw, entity, userErrors, requestId, audit };
    };

    // 1. Every denied mutation first (on the untouched fixture): FORBIDDEN, one DENIED row each, and the
    //    site's data identical before and after the whole batch.
    const before = await siteSnapshot(server, site.site.id);
    for (const [name, build] of CASES) {
      const { action, allowed } = allowedOf(name);
      if (allowed) continue;
      const { raw, requestId, audit } = await run(name, build(s));
      const code = raw.errors?.[0]?.extensions?.code;
      if (code !== "FORBIDDEN") mismatches.push(`${role} ${name}: expected FORBIDDEN, got ${JSON.stringify(raw.errors ?? raw.data)}`);
      if (raw.errors?.[0]?.extensions?.requestId !== requestId) mismatches.push(`${role} ${name}: error does not carry the request id`);
      const denied = audit.filter((a) => a.outcome === "DENIED");
      if (denied.length !== 1 || denied[0]!.action !== action || denied[0]!.siteId !== site.site.id) {
        mismatches.push(`${role} ${name}: expected one DENIED audit row for ${action}, got ${JSON.stringify(audit.map((a) => [a.action, a.outcome]))}`);
      }
      if (audit.some((a) => a.outcome === "SUCCESS")) mismatches.push(`${role} ${name}: denied but a SUCCESS audit row was written`);
    }
    expect(await siteSnapshot(server, site.site.id), `${role}: a denied mutation changed data`).toEqual(before);

    // 2. Every allowed mutation, in order: succeeds, with a SUCCESS audit row for the actor.
    for (const [name, build] of CASES) {
      if (!allowedOf(name).allowed) continue;
      const { raw, entity, userErrors, audit } = await run(name, build(s));
      if (raw.errors?.length || userErrors.length || !entity) {
        mismatches.push(`${role} ${name}: expected allowed, got ${JSON.stringify(raw.errors ?? userErrors)}`);
      } else if (!audit.some((a) => a.outcome === "SUCCESS")) {
        mismatches.push(`${role} ${name}: allowed but no SUCCESS audit row`);
      }
    }
    expect(mismatches).toEqual([]);
    // After authLogout the session is gone.
    const me = await client.gql<{ viewer: unknown }>(`{ viewer { roles } }`);
    expect(me.data!.viewer).toBeNull();
  });

  it("reads: every role may read patient data; only ADMIN may read the audit log", async () => {
    const user = site.users[role];
    const client = await as(server, user.email);
    for (const query of [`{ patients { totalCount } }`, `{ studies { totalCount } }`, `{ cyclesDue { totalCount } }`, `{ labAnalytes { analyte } }`, `{ radiopharmaceuticals { id } }`]) {
      const r = await client.gql(query);
      expect(r.errors, `${role} ${query}`).toBeUndefined();
    }
    const r = await client.gql<{ auditEvents: { edges: unknown[] } }>(`{ auditEvents(first: 5) { edges { node { id action } } } }`);
    if (expectedAllowed("audit:read", role)) {
      expect(r.errors).toBeUndefined();
      expect(r.data!.auditEvents.edges.length).toBeGreaterThan(0);
    } else {
      expect(r.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const rows = await server.db.db.select().from(auditEvent).where(eq(auditEvent.requestId, r.headers.get("x-request-id")!));
      expect(rows.map((x) => [x.action, x.outcome, x.actorUserId])).toEqual([["audit:read", "DENIED", user.id]]);
    }
  });
});

describe("VIEWER cannot write anything", () => {
  it("every mutation except login/logout/switch-site is FORBIDDEN for a viewer and the site's data is unchanged", async () => {
    const viewer = await as(server, site.users.VIEWER.email);
    const fx = await clinicalFixture(coord, phys);
    const cat = await catalogue(viewer);
    const s: State = { fx, pw: await pathwayFixture(phys, fx), versions: new Map(), shippedAgent: { id: cat[0]!.id, version: cat[0]!.version }, img: await imagingFixture(server, coord, fx), dos: await administeredCycle(phys, fx), resp: await responseFixture(coord, phys, fx), role: "VIEWER", board: await boardFixture(coord, phys, fx, site.users.PHYSICIAN.id, site.users.PHYSICIAN.id) };
    await patientVersionAfterDosimetryFixture(s);
    const before = await siteSnapshot(server, site.site.id);
    for (const [name, build] of CASES) {
      // A viewer may keep a (read-only) calendar feed of their own.
      if (name === "viewerSwitchSite" || name === "authLogout" || name === "calendarFeedCreate" || name === "calendarFeedRevoke") continue;
      const r = await mutate(viewer, name, build(s));
      expect(r.raw.errors?.[0]?.extensions?.code, name).toBe("FORBIDDEN");
    }
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);
  });

  it("an anonymous caller gets UNAUTHENTICATED for every mutation but login", async () => {
    const anon = new Client(server.base);
    const fx = await clinicalFixture(coord, phys);
    const s: State = { fx, pw: await pathwayFixture(phys, fx), versions: new Map(), shippedAgent: { id: fx.lu.id, version: 1 }, img: await imagingFixture(server, coord, fx), dos: await administeredCycle(phys, fx), resp: await responseFixture(coord, phys, fx), role: "VIEWER", board: await boardFixture(coord, phys, fx, site.users.PHYSICIAN.id, site.users.PHYSICIAN.id) };
    await patientVersionAfterDosimetryFixture(s);
    for (const [name, build] of CASES) {
      if (name === "viewerSwitchSite") {
        const r = await anon.gql(SWITCH, { i: build(s) });
        expect(r.errors?.[0]?.extensions?.code, name).toBe("UNAUTHENTICATED");
      } else if (name === "authLogout" || name === "calendarFeedCreate") {
        const r = await anon.gql(name === "authLogout" ? LOGOUT : FEED);
        expect(r.errors?.[0]?.extensions?.code, name).toBe("UNAUTHENTICATED");
      } else {
        const r = await mutate(anon, name, build(s));
        expect(r.raw.errors?.[0]?.extensions?.code, name).toBe("UNAUTHENTICATED");
      }
    }
  });
});
