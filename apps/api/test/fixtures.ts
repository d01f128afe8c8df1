import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import {
  auditEvent,
  bodyWeight,
  calendarFeed,
  careEvent,
  dosimetryRecord,
  cycleDecision,
  diagnosis,
  imagingStudy,
  labResult,
  lesion,
  lesionMeasurement,
  patient,
  radiopharmaceutical,
  recordRevision,
  therapyCourse,
  therapyCycle,
} from "@lutetia/db";
import type { Client, GqlResult, TestServer } from "./harness";

/**
 * Shared test vocabulary: mutation documents (each payload selects `id version` of its entity and
 * the userErrors), a helper that insists on success, a clinical fixture built through the API,
 * and a per-site snapshot of the database used to prove that a refused mutation wrote nothing.
 * All data is synthetic.
 */

export interface UserErr {
  field: string[];
  message: string;
  code: string;
}

const UE = "userErrors { field message code }";

/** mutation name → [input type, payload key, entity selection]. */
export const MUTATIONS = {
  patientCreate: ["PatientCreateInput", "patient", "id version mrn familyName givenName status"],
  patientUpdate: ["PatientUpdateInput", "patient", "id version mrn familyName givenName status heightCm"],
  patientClose: ["PatientCloseInput", "patient", "id version status closedAt"],
  bodyWeightRecord: ["BodyWeightRecordInput", "bodyWeight", "id version weightKg measuredAt"],
  bodyWeightVoid: ["VoidInput", "bodyWeight", "id version voidedAt"],
  diagnosisCreate: ["DiagnosisCreateInput", "diagnosis", "id version whoGrade ki67Percent"],
  diagnosisUpdate: ["DiagnosisUpdateInput", "diagnosis", "id version whoGrade ki67Percent histology"],
  diagnosisVoid: ["VoidInput", "diagnosis", "id version voidedAt voidReason"],
  radiopharmaceuticalCreate: ["RadiopharmaceuticalCreateInput", "radiopharmaceutical", "id version name nuclide halfLifeS halfLifeSource use target shipped active"],
  radiopharmaceuticalSetActive: ["RadiopharmaceuticalSetActiveInput", "radiopharmaceutical", "id version active"],
  therapyCourseCreate: ["TherapyCourseCreateInput", "course", "id version status plannedCycles intervalDays cycles { id version number plannedDate status }"],
  therapyCourseUpdate: ["TherapyCourseUpdateInput", "course", "id version status plannedActivityMBq stopReason"],
  therapyCycleUpdate: ["TherapyCycleUpdateInput", "cycle", "id version plannedDate status notes"],
  cycleRecordAdministration: ["CycleRecordAdministrationInput", "cycle", "id version status netActivityMBq course { id status version startedOn endedOn cumulativeActivityMBq } patient { id status version }"],
  labResultRecord: ["LabResultRecordInput", "labResult", "id version analyte value unit reportedValue reportedUnit"],
  labResultCorrect: ["LabResultCorrectInput", "labResult", "id version value unit reportedValue reportedUnit"],
  labResultVoid: ["VoidInput", "labResult", "id version voidedAt"],
  imagingStudyCreate: ["ImagingStudyCreateInput", "study", "id version modality purpose tracer { id name } cycle { id }"],
  imagingStudyUpdate: ["ImagingStudyUpdateInput", "study", "id version purpose weightKg tracer { id }"],
  imagingStudyVoid: ["VoidInput", "study", "id version voidedAt"],
  lesionCreate: ["LesionCreateInput", "lesion", "id version label organ"],
  lesionUpdate: ["LesionUpdateInput", "lesion", "id version label organ location"],
  lesionVoid: ["VoidInput", "lesion", "id version voidedAt"],
  lesionMeasurementRecord: ["LesionMeasurementRecordInput", "measurement", "id version suvMax suvPeak suvMean isTarget"],
  lesionMeasurementUpdate: ["LesionMeasurementUpdateInput", "measurement", "id version suvMax suvPeak suvMean isTarget"],
  lesionMeasurementVoid: ["VoidInput", "measurement", "id version voidedAt"],
  userCreate: ["UserCreateInput", "user", "id email"],
  quarantineAssign: ["QuarantineAssignInput", "study", "id version status"],
  seriesQaOverrideSet: ["SeriesQaOverrideSetInput", "series", "id version"],
  seriesQuantify: ["SeriesQuantifyInput", "job", "id status"],
  lesionCandidateAccept: ["LesionCandidateAcceptInput", "candidate", "id version status"],
  lesionCandidateReject: ["LesionCandidateRejectInput", "candidate", "id version status"],
  lesionCandidateMerge: ["LesionCandidateMergeInput", "candidate", "id version status"],
  userUpdate: ["UserUpdateInput", "user", "id email version roles active"],
  protocolTemplateCopy: ["ProtocolTemplateCopyInput", "template", "id key templateVersion"],
  protocolTemplateUpdate: ["ProtocolTemplateUpdateInput", "template", "id key templateVersion"],
  pathwaySettingsUpdate: ["PathwaySettingsUpdateInput", "settings", "calendarPatientLabel"],
  careEventCreate: ["CareEventCreateInput", "careEvent", "id version key status"],
  careEventBook: ["CareEventBookInput", "careEvent", "id version key status bookedAt"],
  careEventsBook: ["CareEventsBookInput", "careEvents", "id version key status bookedAt"],
  careEventComplete: ["CareEventCompleteInput", "careEvent", "id version key status"],
  careEventSetStatus: ["CareEventSetStatusInput", "careEvent", "id version key status"],
  cycleReschedule: ["CycleRescheduleInput", "course", "id version"],
  cycleRecordDecision: ["CycleRecordDecisionInput", "decision", "id action"],
  calendarFeedRevoke: ["CalendarFeedRevokeInput", "feed", "id revokedAt"],
  dosimetryRecordCreate: ["DosimetryRecordCreateInput", "record", "id version status revision"],
  dosimetryRecordSave: ["DosimetryRecordSaveInput", "record", "id version status revision"],
  dosimetryRecordSign: ["DosimetryRecordSignInput", "record", "id version status revision"],
  dosimetryRecordAmend: ["DosimetryRecordAmendInput", "record", "id version status revision"],
  responseAssessmentCreate: ["ResponseAssessmentCreateInput", "assessment", "id version status revision"],
  responseAssessmentUpdate: ["ResponseAssessmentUpdateInput", "assessment", "id version status revision"],
  responseAssessmentConclude: ["ResponseAssessmentConcludeInput", "assessment", "id version status conclusion { criterion category overridden reason }"],
  responseAssessmentSign: ["ResponseAssessmentSignInput", "assessment", "id version status signedAt frozen"],
  responseAssessmentAmend: ["ResponseAssessmentAmendInput", "assessment", "id version status revision amends { id }"],
  boardMeetingCreate: ["BoardMeetingCreateInput", "meeting", "id version status"],
  boardMeetingUpdate: ["BoardMeetingUpdateInput", "meeting", "id version status title"],
  boardMeetingStart: ["BoardMeetingTransitionInput", "meeting", "id version status"],
  boardMeetingClose: ["BoardMeetingTransitionInput", "meeting", "id version status"],
  boardMeetingCancel: ["BoardMeetingCancelInput", "meeting", "id version status"],
  boardCaseAdd: ["BoardCaseAddInput", "case", "id version"],
  boardCaseRemove: ["BoardCaseRemoveInput", "case", "id version"],
  boardAgendaReorder: ["BoardAgendaReorderInput", "meeting", "id version"],
  boardCaseFreeze: ["BoardCaseFreezeInput", "snapshot", "id contentHash"],
  boardDecisionRecord: ["BoardDecisionRecordInput", "decision", "id version status"],
  boardDecisionUpdate: ["BoardDecisionUpdateInput", "decision", "id version status"],
  boardDecisionSign: ["BoardDecisionSignInput", "decision", "id version status"],
  boardDecisionAmend: ["BoardDecisionAmendInput", "decision", "id version status"],
  boardDecisionStartCourse: ["BoardDecisionStartCourseInput", "course", "id version"],
  boardDecisionApplyToCourse: ["BoardDecisionApplyToCourseInput", "course", "id version"],
} as const;
export type MutationName = keyof typeof MUTATIONS;

export function mutationDoc(name: MutationName): string {
  const [type, key, sel] = MUTATIONS[name];
  return `mutation($i: ${type}!) { ${name}(input: $i) { ${key} { ${sel} } ${UE} } }`;
}

export interface MutationResult {
  raw: GqlResult;
  entity: Record<string, unknown> | null;
  userErrors: UserErr[];
  requestId: string | null;
}

/** Runs one mutation with `input`; returns the entity (or null), its userErrors and the request id. */
export async function mutate(client: Client, name: MutationName, input: Record<string, unknown>): Promise<MutationResult> {
  const raw = await client.gql<Record<string, Record<string, unknown>>>(mutationDoc(name), { i: input });
  const key = MUTATIONS[name][1];
  const p = raw.data?.[name] ?? null;
  return {
    raw,
    entity: (p?.[key] as Record<string, unknown> | null | undefined) ?? null,
    userErrors: (p?.userErrors as UserErr[] | undefined) ?? [],
    requestId: raw.headers.get("x-request-id"),
  };
}

/** Runs a mutation that must succeed and returns its entity. */
export async function ok<T = Record<string, unknown>>(client: Client, name: MutationName, input: Record<string, unknown>): Promise<T & { id: string; version: number }> {
  const r = await mutate(client, name, input);
  if (r.raw.errors?.length || r.userErrors.length || !r.entity) {
    throw new Error(`${name} failed: ${JSON.stringify(r.raw.errors ?? r.userErrors)}`);
  }
  return r.entity as T & { id: string; version: number };
}

/** A query that must not return GraphQL errors. */
export async function q<T = Record<string, unknown>>(client: Client, query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await client.gql<T>(query, variables);
  if (r.errors?.length) throw new Error(`query failed: ${JSON.stringify(r.errors)}`);
  return r.data!;
}

export const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
export const daysAgoDate = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
export const daysFromNowDate = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
export const uniq = () => randomUUID().slice(0, 8).toUpperCase();

export interface CatalogueAgent {
  id: string;
  name: string;
  nuclide: string;
  halfLifeS: number;
  use: string;
  version: number;
  active: boolean;
  shipped: boolean;
}

export async function catalogue(client: Client, includeInactive = true): Promise<CatalogueAgent[]> {
  const d = await q<{ radiopharmaceuticals: CatalogueAgent[] }>(
    client,
    `query($inc: Boolean){ radiopharmaceuticals(includeInactive: $inc) { id name nuclide halfLifeS use version active shipped } }`,
    { inc: includeInactive },
  );
  return d.radiopharmaceuticals;
}

export async function agent(client: Client, name: string): Promise<CatalogueAgent> {
  const a = (await catalogue(client)).find((x) => x.name === name);
  if (!a) throw new Error(`catalogue agent ${name} missing`);
  return a;
}

export const patientInput = (mrn: string, over: Record<string, unknown> = {}) => ({
  mrn,
  familyName: "Synthfamily",
  givenName: "Synthgiven",
  birthDate: "1958-03-14",
  sex: "FEMALE",
  heightCm: 168,
  ...over,
});

export interface ClinicalFixture {
  patientId: string;
  mrn: string;
  weightId: string;
  diagnosisId: string;
  courseId: string;
  cycleIds: string[];
  labId: string;
  studyId: string;
  lesionId: string;
  measurementId: string;
  lu: CatalogueAgent;
  ga: CatalogueAgent;
}

/**
 * One patient with one record of every kind, built through the API by a coordinator and a
 * physician of the same site. Every entity is at version 1.
 */
export async function clinicalFixture(coord: Client, phys: Client, opts: { mrn?: string; cycles?: number } = {}): Promise<ClinicalFixture> {
  const mrn = opts.mrn ?? `FX-${uniq()}`;
  const cat = await catalogue(phys);
  const lu = cat.find((a) => a.name === "177Lu-DOTATATE")!;
  const ga = cat.find((a) => a.name === "68Ga-DOTATATE")!;
  const p = await ok(coord, "patientCreate", patientInput(mrn));
  const w = await ok(coord, "bodyWeightRecord", { patientId: p.id, weightKg: 72.5, measuredAt: hoursAgo(48) });
  const d = await ok(coord, "diagnosisCreate", {
    patientId: p.id, primarySite: "small intestine", histology: "well-differentiated NET", whoGrade: "G2",
    ki67Percent: 8, differentiation: "WELL", diagnosedOn: "2025-06-01",
  });
  const c = await ok<{ cycles: { id: string }[] }>(phys, "therapyCourseCreate", {
    patientId: p.id, radiopharmaceuticalId: lu.id, intent: "STANDARD", plannedCycles: opts.cycles ?? 4,
    plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: daysFromNowDate(3),
  });
  const l = await ok(coord, "labResultRecord", { patientId: p.id, analyte: "CREATININE", value: 80, unit: "µmol/L", sampledAt: hoursAgo(30) });
  const s = await ok(coord, "imagingStudyCreate", {
    patientId: p.id, modality: "PET", tracerId: ga.id, performedAt: hoursAgo(20), injectedAt: hoursAgo(21),
    injectedActivityMBq: 150, weightKg: 72, purpose: "BASELINE",
  });
  const le = await ok(phys, "lesionCreate", { patientId: p.id, label: "L1", organ: "liver", location: "segment VII", firstSeenOn: daysAgoDate(30) });
  const m = await ok(phys, "lesionMeasurementRecord", { lesionId: le.id, studyId: s.id, suvMax: 24.5, suvPeak: 18.2, suvMean: 12.1, isTarget: true, method: "MANUAL" });
  return {
    patientId: p.id, mrn, weightId: w.id, diagnosisId: d.id, courseId: c.id, cycleIds: c.cycles.map((y) => y.id),
    labId: l.id, studyId: s.id, lesionId: le.id, measurementId: m.id, lu, ga,
  };
}

export interface PathwayFixture {
  courseId: string;
  cycleIds: string[];
  /** care event key → global ID (all at version 1). */
  events: Record<string, string>;
  templateId: string;
}

/** A course of the fixture's patient planned from the shipped standard template (care pathway). */
export async function pathwayFixture(phys: Client, fx: ClinicalFixture): Promise<PathwayFixture> {
  const t = await q<{ protocolTemplates: { id: string; key: string }[] }>(phys, `{ protocolTemplates { id key } }`);
  const templateId = t.protocolTemplates.find((x) => x.key === "lu177-dotatate-standard")!.id;
  const c = await ok<{ cycles: { id: string }[] }>(phys, "therapyCourseCreate", {
    patientId: fx.patientId, radiopharmaceuticalId: fx.lu.id, intent: "STANDARD", protocolTemplateId: templateId,
    firstAdministrationAt: `${daysFromNowDate(20)}T09:00`,
  });
  const d = await q<{ node: { careEvents: { id: string; key: string }[] } }>(phys, `query($id: ID!) { node(id: $id) { ... on TherapyCourse { careEvents { id key } } } }`, { id: c.id });
  return { courseId: c.id, cycleIds: c.cycles.map((y) => y.id), events: Object.fromEntries(d.node.careEvents.map((e) => [e.key, e.id])), templateId };
}

/** Care pathway gate: the physician's GO decision a cycle needs before its administration is recorded. */
export async function recordGo(phys: Client, cycleId: string): Promise<void> {
  const r = await phys.gql<{ cycleRecordDecision: { decision: { id: string } | null; userErrors: UserErr[] } }>(
    `mutation($i: CycleRecordDecisionInput!) { cycleRecordDecision(input: $i) { decision { id } userErrors { field message code } } }`,
    { i: { cycleId, action: "GO", reason: "pre-cycle labs within limits (test)" } },
  );
  if (r.errors?.length || !r.data?.cycleRecordDecision.decision) throw new Error(`cycleRecordDecision failed: ${JSON.stringify(r.errors ?? r.data)}`);
}

/**
 * Dosimetry: a one-cycle retreatment course of the fixture's patient, administered `daysAgo`
 * days ago by the physician (GO decision first), for dosimetry records. Returns the cycle's global ID.
 */
export async function administeredCycle(phys: Client, fx: ClinicalFixture, daysAgo = 10): Promise<{ cycleId: string; startMs: number }> {
  const c = await ok<{ cycles: { id: string }[] }>(phys, "therapyCourseCreate", {
    patientId: fx.patientId, radiopharmaceuticalId: fx.lu.id, intent: "RETREATMENT", plannedCycles: 1,
    plannedActivityMBq: 7400, intervalDays: 56, firstCycleDate: daysFromNowDate(200),
  });
  const cycleId = c.cycles[0]!.id;
  await recordGo(phys, cycleId);
  const v = await q<{ node: { version: number } }>(phys, `query($id:ID!){ node(id:$id){ ... on TherapyCycle { version } } }`, { id: cycleId });
  const startMs = Date.now() - daysAgo * 86_400_000;
  await ok(phys, "cycleRecordAdministration", administrationInput(cycleId, v.node.version, {
    calibrationTime: new Date(startMs - 26 * 3_600_000).toISOString(), infusionStart: new Date(startMs).toISOString(),
    infusionEnd: new Date(startMs + 1_800_000).toISOString(), residualTime: new Date(startMs + 2_700_000).toISOString(),
  }));
  return { cycleId, startMs };
}

/** A valid administration for a cycle at `version`, in the recent past. */
export function administrationInput(id: string, version: number, over: Record<string, unknown> = {}) {
  const start = Date.now() - 3 * 3_600_000;
  return {
    id, version,
    calibratedActivityMBq: 7600,
    calibrationTime: new Date(start - 26 * 3_600_000).toISOString(),
    residualActivityMBq: 150,
    residualTime: new Date(start + 45 * 60_000).toISOString(),
    infusionStart: new Date(start).toISOString(),
    infusionEnd: new Date(start + 30 * 60_000).toISOString(),
    aminoAcidInfusion: true,
    lot: "LOT-TEST-1",
    ...over,
  };
}

const CLINICAL_TABLES = {
  patient, bodyWeight, diagnosis, therapyCourse, therapyCycle, labResult, imagingStudy, lesion, lesionMeasurement,
  careEvent, cycleDecision, calendarFeed, dosimetryRecord,
} as const;

/**
 * Per-site fingerprint of every clinical table (row count, sum of versions, and a hash of the
 * rows), the site's agents, record_revision and SUCCESS audit rows: equal before and after a
 * refused mutation means nothing was written.
 */
export async function siteSnapshot(server: TestServer, siteId: string) {
  const db = server.db.db;
  const out: Record<string, string> = {};
  for (const [name, t] of Object.entries(CLINICAL_TABLES)) {
    const [r] = await db
      .select({ n: sql<string>`count(*)::text`, h: sql<string>`coalesce(md5(string_agg(${t}::text, ',' order by ${t.id})), '')` })
      .from(t)
      .where(eq(t.siteId, siteId));
    out[name] = `${r!.n}:${r!.h}`;
  }
  const [rp] = await db
    .select({ n: sql<string>`count(*)::text`, h: sql<string>`coalesce(md5(string_agg(${radiopharmaceutical}::text, ',' order by ${radiopharmaceutical.id})), '')` })
    .from(radiopharmaceutical)
    .where(eq(radiopharmaceutical.siteId, siteId));
  out.radiopharmaceutical = `${rp!.n}:${rp!.h}`;
  const [rev] = await db.select({ n: sql<string>`count(*)::text` }).from(recordRevision).where(eq(recordRevision.siteId, siteId));
  out.recordRevision = rev!.n;
  const [aud] = await db
    .select({ n: sql<string>`count(*)::text` })
    .from(auditEvent)
    .where(and(eq(auditEvent.siteId, siteId), eq(auditEvent.outcome, "SUCCESS"), sql`${auditEvent.action} not like '%.read' and ${auditEvent.action} <> 'auth.login'`));
  out.successWrites = aud!.n;
  return out;
}

/** Audit rows of one request. */
export async function auditOfRequest(server: TestServer, requestId: string) {
  return server.db.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId));
}

export function errorCode(r: GqlResult): string | undefined {
  return r.errors?.[0]?.extensions?.code as string | undefined;
}
