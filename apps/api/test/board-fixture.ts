import { toGlobalId } from "../src/shared/ids";
import type { Client } from "./harness";
import { clinicalFixture, q, uniq, type ClinicalFixture } from "./fixtures";

/**
 * Tumour-board fixture for the permission tests, built through the API on the clinical
 * fixture's patient: meeting A scheduled with one case; meeting B running (chaired by `chairId`)
 * with a frozen case and a DRAFT decision; meeting D running with an unfrozen case; meeting C
 * running (chaired by the fixture physician) with a SIGNED START_PRRT decision.
 */
export interface BoardFixture {
  meetingA: string;
  caseA: string;
  meetingB: string;
  /** Version of meeting B after it was started. */
  meetingBVersion: number;
  draftB: string;
  caseD: string;
  signedStartC: string;
  /** A signed MODIFY_ACTIVITY decision about a second patient, and that patient's course (version 1). */
  signedModifyE: string;
  modifyCourseId: string;
}

async function run<T>(c: Client, name: string, type: string, sel: string, input: Record<string, unknown>): Promise<T> {
  const r = await c.gql<Record<string, Record<string, unknown>>>(`mutation($i: ${type}!) { ${name}(input: $i) { ${sel} userErrors { field message code } } }`, { i: input });
  const p = r.data?.[name];
  if (r.errors?.length || !p || (p.userErrors as unknown[]).length) throw new Error(`${name} failed: ${JSON.stringify(r.errors ?? p)}`);
  return p as T;
}

export async function boardFixture(coord: Client, phys: Client, fx: ClinicalFixture, chairUserId: string, physicianUserId: string): Promise<BoardFixture> {
  const meeting = async (chair: string) =>
    (await run<{ meeting: { id: string; version: number } }>(coord, "boardMeetingCreate", "BoardMeetingCreateInput", "meeting { id version }", {
      title: `Perm board ${uniq()}`, scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), chairId: toGlobalId("User", chair),
    })).meeting;
  const addCase = async (meetingId: string) =>
    (await run<{ case: { id: string } }>(coord, "boardCaseAdd", "BoardCaseAddInput", "case { id }", { meetingId, patientId: fx.patientId, question: "ELIGIBILITY" })).case.id;
  const start = (m: { id: string; version: number }) => run<{ meeting: { id: string; version: number } }>(coord, "boardMeetingStart", "BoardMeetingTransitionInput", "meeting { id version }", { id: m.id, version: m.version });
  const freeze = (caseId: string) => run(phys, "boardCaseFreeze", "BoardCaseFreezeInput", "snapshot { id }", { caseId });

  const a = await meeting(physicianUserId);
  const caseA = await addCase(a.id);

  const b = await meeting(chairUserId);
  const caseB = await addCase(b.id);
  const bStarted = (await start(b)).meeting;
  await freeze(caseB);
  const draftB = (await run<{ decision: { id: string } }>(phys, "boardDecisionRecord", "BoardDecisionRecordInput", "decision { id }", { caseId: caseB, outcome: "CONTINUE", rationale: "stable disease", consensus: true })).decision.id;

  const d = await meeting(physicianUserId);
  const caseD = await addCase(d.id);
  await start(d);

  const c = await meeting(physicianUserId);
  const caseC = await addCase(c.id);
  await start(c);
  await freeze(caseC);
  const t = await q<{ protocolTemplates: { id: string; key: string }[] }>(phys, `{ protocolTemplates { id key } }`);
  const dec = (await run<{ decision: { id: string; version: number } }>(phys, "boardDecisionRecord", "BoardDecisionRecordInput", "decision { id version }", {
    caseId: caseC, outcome: "START_PRRT", protocolTemplateId: t.protocolTemplates.find((x) => x.key === "lu177-dotatate-standard")!.id, radiopharmaceuticalId: fx.lu.id,
    plannedCycles: 4, activityPerCycleGBq: 7.4, rationale: "SSTR-positive disease", consensus: true,
  })).decision;
  await run(phys, "boardDecisionSign", "BoardDecisionSignInput", "decision { id }", { id: dec.id, version: dec.version });
  const other = await clinicalFixture(coord, phys);
  const e = await meeting(physicianUserId);
  const caseE = (await run<{ case: { id: string } }>(coord, "boardCaseAdd", "BoardCaseAddInput", "case { id }", { meetingId: e.id, patientId: other.patientId, question: "CONTINUE_OR_MODIFY" })).case.id;
  await start(e);
  await freeze(caseE);
  const mod = (await run<{ decision: { id: string; version: number } }>(phys, "boardDecisionRecord", "BoardDecisionRecordInput", "decision { id version }", {
    caseId: caseE, outcome: "MODIFY_ACTIVITY", newActivityGBq: 5.55, rationale: "renal function: reduce", consensus: true,
  })).decision;
  await run(phys, "boardDecisionSign", "BoardDecisionSignInput", "decision { id }", { id: mod.id, version: mod.version });
  return { meetingA: a.id, caseA, meetingB: b.id, meetingBVersion: bStarted.version, draftB, caseD, signedStartC: dec.id, signedModifyE: mod.id, modifyCourseId: other.courseId };
}
