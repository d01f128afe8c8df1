import { and, asc, eq, inArray, isNull, max } from "drizzle-orm";
import { z } from "zod";
import {
  dosimetryRecord,
  imagingStudy,
  lesion,
  patient,
  therapyCourse,
  therapyCycle,
  type DosimetryRecordRow,
  type DosimetryTimepointDoc,
  type DosimetryVoiDoc,
} from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf, toGlobalId } from "../../shared/ids";
import { loadInScope } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { changeRecord } from "../../shared/versioned";
import { nonEmpty, reason, version } from "../../shared/zod";
import { checkCourse } from "../pathway/schedule.service";
import { hoursPostInjection, type RecordResults } from "./dosimetry.compute";
import { ledgerOf, LIMIT_POLICIES, patientRecords, resultsOf, whatIf, type PatientLedger } from "./dosimetry.ledger";

const KINDS = ["KIDNEY_LEFT", "KIDNEY_RIGHT", "LIVER", "SPLEEN", "BONE_MARROW", "TUMOUR"] as const;
const MODELS = ["MONO_EXP", "BI_EXP", "TRAPEZOID_TAIL", "SINGLE_TIME_POINT"] as const;
const KEY = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, "must be 1–20 letters, digits, - or _");

/** Default VOIs of a new record (organs of reference/dosimetry.md §4–§5; tumours added by the physicist). */
const DEFAULT_VOIS: DosimetryVoiDoc[] = [
  { key: "kl", kind: "KIDNEY_LEFT", label: "Kidney left" },
  { key: "kr", kind: "KIDNEY_RIGHT", label: "Kidney right" },
  { key: "liver", kind: "LIVER", label: "Liver" },
  { key: "spleen", kind: "SPLEEN", label: "Spleen" },
  { key: "marrow", kind: "BONE_MARROW", label: "Bone marrow (blood samples)" },
].map((v) => ({ ...v, lesionId: null, massG: null, volumeMl: null, model: "MONO_EXP", stpTimepointKey: null, source: "entered", activities: {} }) as DosimetryVoiDoc);

const SaveInput = z.object({
  id: z.string(),
  version,
  phantomSex: z.enum(["FEMALE", "MALE"]).nullish(),
  calibrationFactorCpsPerMBq: z.number().positive("must be > 0 cps/MBq").nullish(),
  activityRelSd: z.number().min(0, "must be ≥ 0").max(1, "must be ≤ 1 (relative)").nullish(),
  calibrationRelSd: z.number().min(0, "must be ≥ 0").max(1, "must be ≤ 1 (relative)").nullish(),
  massRelSd: z.number().min(0, "must be ≥ 0").max(1, "must be ≤ 1 (relative)").nullish(),
  notes: z.string().trim().max(2000, "must be at most 2000 characters").nullish(),
  timepoints: z
    .array(
      z.object({
        key: KEY,
        acquiredAt: z.date({ message: "must be a date-time" }),
        imagingStudyId: z.string().nullish(),
        label: z.string().trim().max(60, "must be at most 60 characters").nullish(),
      }),
    )
    .max(12, "must have at most 12 time points"),
  vois: z
    .array(
      z.object({
        key: KEY,
        kind: z.enum(KINDS),
        label: nonEmpty(80),
        lesionId: z.string().nullish(),
        massG: z.number().positive("must be > 0 g").max(20000, "must be ≤ 20000 g").nullish(),
        volumeMl: z.number().positive("must be > 0 mL").max(20000, "must be ≤ 20000 mL").nullish(),
        model: z.enum(MODELS),
        stpTimepointKey: z.string().nullish(),
        source: nonEmpty(120),
        /** One entry per time point, in the order of `timepoints`; null = not measured. */
        activities: z.array(z.number().min(0, "must be ≥ 0 MBq").max(1e6, "must be ≤ 1 000 000 MBq").nullable()),
      }),
    )
    .max(40, "must have at most 40 VOIs"),
});

function problem(field: (string | number)[], message: string, code: "INVALID" | "NOT_FOUND" | "DUPLICATE" | "CONFLICT" = "INVALID") {
  return UserInputProblem.of(["input", ...field.map(String)], message, code);
}

async function cycleInScope(ctx: RequestContext, globalId: string, field: string[]) {
  return loadInScope(ctx, therapyCycle, "TherapyCycle", globalId, field);
}

/** Loads a record of the caller's site by global ID or NOT_FOUND on `input.id`. */
async function recordInScope(ctx: RequestContext, globalId: string, field = ["input", "id"]): Promise<DosimetryRecordRow> {
  return loadInScope(ctx, dosimetryRecord, "DosimetryRecord", globalId, field);
}

function immutable(r: DosimetryRecordRow): UserInputProblem {
  return problem(["id"], `dosimetry record revision ${r.revision} is signed and immutable; amend it to create a new revision`, "CONFLICT");
}

/** Re-runs the care-pathway schedule check of the course so DOSIMETRY_NOT_SIGNED clears after signing. */
async function recheckCourse(ctx: RequestContext, courseId: string, trigger: string) {
  const [course] = await ctx.db.select().from(therapyCourse).where(eq(therapyCourse.id, courseId));
  if (!course?.protocolSnapshot) return;
  try {
    await ctx.db.transaction((tx) => checkCourse(tx, ctx, course, trigger));
  } catch (e) {
    // The sign-off itself is committed; a failed re-check must not report it as failed. The next
    // schedule change re-runs the check. (No PHI: ids and the error message only.)
    ctx.logger.warn({ courseId, err: (e as Error).message }, "schedule re-check after dosimetry sign-off failed");
  }
}

export const DosimetryService = {
  policyName(ctx: RequestContext, requested?: string | null): string {
    const name = requested ?? ctx.config.dosimetry.limitPolicy;
    if (!LIMIT_POLICIES[name]) throw problem(["policy"], `must be one of ${Object.keys(LIMIT_POLICIES).join(", ")} (got ${JSON.stringify(name)})`);
    return name;
  },

  /** All revisions of a cycle's dosimetry (newest first); read audited. */
  async recordsOfCycle(ctx: RequestContext, cycleGlobalId: string): Promise<DosimetryRecordRow[]> {
    ctx.authorize("patient:read");
    const id = idOf(cycleGlobalId, "TherapyCycle");
    if (!id) return [];
    // Batched per request (site-scoped, reads audited by the loader): one statement for a course's cycles.
    return ctx.loaders.dosimetryByCycle.load(id);
  },

  async record(ctx: RequestContext, globalId: string): Promise<DosimetryRecordRow | null> {
    ctx.authorize("patient:read");
    const actor = ctx.requireActor();
    const id = idOf(globalId, "DosimetryRecord");
    if (!id) return null;
    const [r] = await ctx.db.select().from(dosimetryRecord).where(and(eq(dosimetryRecord.id, id), eq(dosimetryRecord.siteId, actor.siteId)));
    if (!r) {
      ctx.recordOutOfScope("DosimetryRecord", id, "DosimetryRecord.access");
      return null;
    }
    ctx.recordRead("DosimetryRecord", r.id, r.patientId);
    return r;
  },

  results(row: DosimetryRecordRow): RecordResults {
    return resultsOf(row);
  },

  /** Post-therapy studies of the patient that can be picked as time points (SPECT/CT after the cycle). */
  async candidateStudies(ctx: RequestContext, row: DosimetryRecordRow) {
    const studies = await ctx.db
      .select()
      .from(imagingStudy)
      .where(and(eq(imagingStudy.siteId, row.siteId), eq(imagingStudy.patientId, row.patientId), isNull(imagingStudy.voidedAt)))
      .orderBy(asc(imagingStudy.performedAt));
    return studies.filter((s) => s.performedAt.getTime() >= row.administeredAt.getTime() && (s.cycleId === row.cycleId || s.purpose === "POST_THERAPY" || s.modality === "SPECT"));
  },

  /** A new DRAFT (revision 1) for an administered cycle, pre-filled with the default organ VOIs and the cycle's post-therapy studies. */
  async create(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("dosimetry:write");
    const v = parseInput(z.object({ cycleId: z.string(), phantomSex: z.enum(["FEMALE", "MALE"]).nullish() }), input);
    const cycle = await cycleInScope(ctx, v.cycleId, ["input", "cycleId"]);
    if (cycle.status !== "ADMINISTERED" || !cycle.infusionStart || !cycle.netActivityMBq) {
      throw problem(["cycleId"], `cycle ${cycle.number} has no recorded administration (status ${cycle.status}); record the administration first – hours post-injection are counted from it`);
    }
    const existing = await ctx.db.select({ id: dosimetryRecord.id }).from(dosimetryRecord).where(eq(dosimetryRecord.cycleId, cycle.id));
    if (existing.length) throw problem(["cycleId"], `cycle ${cycle.number} already has dosimetry; edit the draft or amend the signed record`, "DUPLICATE");
    const [p] = await ctx.db.select({ sex: patient.sex }).from(patient).where(eq(patient.id, cycle.patientId));
    const sex = v.phantomSex ?? (p?.sex === "FEMALE" || p?.sex === "MALE" ? p.sex : null);
    const studies = await ctx.db
      .select()
      .from(imagingStudy)
      .where(and(eq(imagingStudy.siteId, actor.siteId), eq(imagingStudy.cycleId, cycle.id), eq(imagingStudy.purpose, "POST_THERAPY"), isNull(imagingStudy.voidedAt)))
      .orderBy(asc(imagingStudy.performedAt));
    const timepoints: DosimetryTimepointDoc[] = studies
      .filter((s) => s.performedAt.getTime() > (cycle.infusionStart as Date).getTime())
      .slice(0, 12)
      .map((s, i) => ({ key: `tp${i + 1}`, acquiredAt: s.performedAt.toISOString(), imagingStudyId: s.id, label: `${s.modality} ${Math.round(hoursPostInjection(cycle.infusionStart as Date, s.performedAt))} h` }));
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(dosimetryRecord)
        .values({
          siteId: actor.siteId, patientId: cycle.patientId, courseId: cycle.courseId, cycleId: cycle.id, revision: 1,
          phantomSex: sex, administeredActivityMBq: cycle.netActivityMBq as number, administeredAt: cycle.infusionStart as Date,
          timepoints, vois: DEFAULT_VOIS, createdBy: actor.userId,
        })
        .returning();
      const r = row as DosimetryRecordRow;
      await appendAudit(tx, [ctx.writeEntry("dosimetry.create", "DosimetryRecord", r.id, r.patientId, { cycleId: cycle.id, revision: 1 })]);
      return r;
    });
  },

  /** Replaces the draft's time points and VOIs (one document); validates times, activities, links. */
  async save(ctx: RequestContext, input: unknown) {
    ctx.authorize("dosimetry:write");
    const v = parseInput(SaveInput, input);
    const cur = await recordInScope(ctx, v.id);
    if (cur.status === "SIGNED") throw immutable(cur);
    // Times ≥ 0 after administration and strictly increasing (reference/dosimetry.md §3: t in h after administration).
    const keys = new Set<string>();
    let prev = -Infinity;
    const timepoints: DosimetryTimepointDoc[] = [];
    for (const [i, tp] of v.timepoints.entries()) {
      if (keys.has(tp.key)) throw problem(["timepoints", i, "key"], `is used twice (got ${JSON.stringify(tp.key)})`, "DUPLICATE");
      keys.add(tp.key);
      const h = hoursPostInjection(cur.administeredAt, tp.acquiredAt);
      if (h < 0) throw problem(["timepoints", i, "acquiredAt"], `must not be before the administration ${cur.administeredAt.toISOString()} (got ${tp.acquiredAt.toISOString()}, ${h.toFixed(2)} h)`);
      if (h <= prev) throw problem(["timepoints", i, "acquiredAt"], `must be later than the previous time point (got ${tp.acquiredAt.toISOString()}, ${h.toFixed(2)} h ≤ ${prev.toFixed(2)} h)`);
      if (tp.acquiredAt.getTime() > Date.now() + 60_000) throw problem(["timepoints", i, "acquiredAt"], `must not be in the future (got ${tp.acquiredAt.toISOString()})`);
      prev = h;
      let studyId: string | null = null;
      if (tp.imagingStudyId) {
        const s = await loadInScope(ctx, imagingStudy, "ImagingStudy", tp.imagingStudyId, ["input", "timepoints", String(i), "imagingStudyId"]);
        if (s.patientId !== cur.patientId) throw problem(["timepoints", i, "imagingStudyId"], "belongs to another patient than the dosimetry record");
        studyId = s.id;
      }
      timepoints.push({ key: tp.key, acquiredAt: tp.acquiredAt.toISOString(), imagingStudyId: studyId, label: tp.label ?? null });
    }
    const voiKeys = new Set<string>();
    const vois: DosimetryVoiDoc[] = [];
    for (const [i, x] of v.vois.entries()) {
      if (voiKeys.has(x.key)) throw problem(["vois", i, "key"], `is used twice (got ${JSON.stringify(x.key)})`, "DUPLICATE");
      voiKeys.add(x.key);
      if (x.activities.length !== timepoints.length) throw problem(["vois", i, "activities"], `must have one entry per time point (${timepoints.length}), got ${x.activities.length}`);
      let lesionId: string | null = null;
      if (x.lesionId) {
        if (x.kind !== "TUMOUR") throw problem(["vois", i, "lesionId"], `only tumour VOIs link to a lesion (kind ${x.kind})`);
        const l = await loadInScope(ctx, lesion, "Lesion", x.lesionId, ["input", "vois", String(i), "lesionId"]);
        if (l.patientId !== cur.patientId) throw problem(["vois", i, "lesionId"], "belongs to another patient than the dosimetry record");
        lesionId = l.id;
      }
      if (x.stpTimepointKey && !keys.has(x.stpTimepointKey)) throw problem(["vois", i, "stpTimepointKey"], `is not a time point of this record (got ${JSON.stringify(x.stpTimepointKey)})`);
      const activities: Record<string, number | null> = {};
      timepoints.forEach((tp, j) => {
        activities[tp.key] = x.activities[j] ?? null;
      });
      vois.push({ key: x.key, kind: x.kind, label: x.label, lesionId, massG: x.massG ?? null, volumeMl: x.volumeMl ?? null, model: x.model, stpTimepointKey: x.stpTimepointKey ?? null, source: x.source, activities });
    }
    return changeRecord(ctx, {
      table: dosimetryRecord, type: "DosimetryRecord", action: "dosimetry.save", globalId: v.id, version: v.version,
      patch: {
        timepoints, vois,
        ...(v.phantomSex !== undefined ? { phantomSex: v.phantomSex } : {}),
        ...(v.calibrationFactorCpsPerMBq !== undefined ? { calibrationFactorCpsPerMBq: v.calibrationFactorCpsPerMBq } : {}),
        ...(v.activityRelSd != null ? { activityRelSd: v.activityRelSd } : {}),
        ...(v.calibrationRelSd != null ? { calibrationRelSd: v.calibrationRelSd } : {}),
        ...(v.massRelSd != null ? { massRelSd: v.massRelSd } : {}),
        ...(v.notes !== undefined ? { notes: v.notes } : {}),
      },
      check: (row) => {
        if (row.status === "SIGNED") throw immutable(row);
      },
    });
  },

  /**
   * Physicist sign-off: freezes the computed results as the numbers of record. Refused when a
   * VOI cannot be computed or no organ dose exists. Re-runs the course's schedule check.
   */
  async sign(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("dosimetry:sign");
    const v = parseInput(z.object({ id: z.string(), version }), input);
    const cur = await recordInScope(ctx, v.id);
    if (cur.status === "SIGNED") throw immutable(cur);
    const results = resultsOf(cur);
    const bad = results.vois.findIndex((x) => x.error !== null);
    if (bad >= 0) {
      const x = results.vois[bad]!;
      throw problem(["vois", bad], `VOI "${x.label}" cannot be computed: ${x.error} – fix or remove it before signing`);
    }
    if (results.organs.length === 0 && !results.vois.some((x) => x.doseGy !== null)) {
      throw problem(["id"], "nothing to sign: no VOI has an absorbed dose yet");
    }
    const row = await changeRecord(ctx, {
      table: dosimetryRecord, type: "DosimetryRecord", action: "dosimetry.sign", globalId: v.id, version: v.version,
      patch: { status: "SIGNED", signedAt: new Date(), signedBy: actor.userId, results: results as unknown as Record<string, unknown> },
      check: (r) => {
        if (r.status === "SIGNED") throw immutable(r);
      },
    });
    await recheckCourse(ctx, row.courseId, "dosimetry.sign");
    return row;
  },

  /** Amendment of the latest signed revision: a new DRAFT (revision + 1) linked to it. */
  async amend(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("dosimetry:write");
    const v = parseInput(z.object({ id: z.string(), reason }), input);
    const cur = await recordInScope(ctx, v.id);
    if (cur.status !== "SIGNED") throw problem(["id"], `revision ${cur.revision} is a draft; edit it instead of amending`);
    const [latest] = await ctx.db.select({ rev: max(dosimetryRecord.revision) }).from(dosimetryRecord).where(eq(dosimetryRecord.cycleId, cur.cycleId));
    if ((latest?.rev ?? 0) !== cur.revision) throw problem(["id"], `revision ${cur.revision} is not the latest (latest is ${latest?.rev}); amend the latest revision`, "CONFLICT");
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(dosimetryRecord)
        .values({
          siteId: actor.siteId, patientId: cur.patientId, courseId: cur.courseId, cycleId: cur.cycleId, revision: cur.revision + 1,
          previousId: cur.id, amendReason: v.reason, phantomSex: cur.phantomSex, administeredActivityMBq: cur.administeredActivityMBq,
          administeredAt: cur.administeredAt, calibrationFactorCpsPerMBq: cur.calibrationFactorCpsPerMBq, activityRelSd: cur.activityRelSd,
          calibrationRelSd: cur.calibrationRelSd, massRelSd: cur.massRelSd, timepoints: cur.timepoints, vois: cur.vois, notes: cur.notes,
          createdBy: actor.userId,
        })
        .returning();
      const r = row as DosimetryRecordRow;
      await appendAudit(tx, [ctx.writeEntry("dosimetry.amend", "DosimetryRecord", r.id, r.patientId, { previousId: cur.id, revision: r.revision })]);
      return r;
    });
  },

  /** The patient's ledger (internal UUID already in scope); reads audited per record. */
  async ledgerForPatientId(ctx: RequestContext, patientId: string, policyName?: string | null): Promise<PatientLedger> {
    const actor = ctx.requireActor();
    const policy = LIMIT_POLICIES[DosimetryService.policyName(ctx, policyName)]!;
    const records = await patientRecords(ctx.db, actor.siteId, patientId);
    for (const r of records) ctx.recordRead("DosimetryRecord", r.row.id, r.row.patientId);
    return ledgerOf(records, policy);
  },

  async ledger(ctx: RequestContext, patientGlobalId: string, policyName?: string | null) {
    ctx.authorize("patient:read");
    const p = await loadInScope(ctx, patient, "Patient", patientGlobalId, ["patientId"]);
    return { patient: p, ledger: await DosimetryService.ledgerForPatientId(ctx, p.id, policyName) };
  },

  async whatIf(ctx: RequestContext, patientGlobalId: string, activityGBq: number, policyName?: string | null) {
    const { ledger } = await DosimetryService.ledger(ctx, patientGlobalId, policyName);
    if (!Number.isFinite(activityGBq) || activityGBq <= 0 || activityGBq > 30) {
      throw UserInputProblem.of(["activityGBq"], `must be > 0 and ≤ 30 GBq (got ${activityGBq})`);
    }
    const measured = new Set(ledger.signedEntries.map((e) => e.organ));
    return { organs: whatIf(ledger, activityGBq), notProjected: ledger.policy.limits.filter((l) => !measured.has(l.organ)).map((l) => l.organ) };
  },

  /** Drafts awaiting physicist sign-off at the caller's site (physician / physicist home). */
  async awaitingSignOff(ctx: RequestContext) {
    ctx.authorize("patient:read");
    const actor = ctx.requireActor();
    const rows = await ctx.db
      .select({ row: dosimetryRecord, cycleNumber: therapyCycle.number })
      .from(dosimetryRecord)
      .innerJoin(therapyCycle, eq(therapyCycle.id, dosimetryRecord.cycleId))
      .where(and(eq(dosimetryRecord.siteId, actor.siteId), eq(dosimetryRecord.status, "DRAFT")))
      .orderBy(asc(dosimetryRecord.administeredAt))
      .limit(100);
    for (const r of rows) ctx.recordRead("DosimetryRecord", r.row.id, r.row.patientId);
    return rows.map((r) => r.row);
  },

  /** Cycles of a patient with their dosimetry status (for the workspace's cycle picker). */
  async cyclesOfPatient(ctx: RequestContext, patientId: string) {
    const actor = ctx.requireActor();
    const cycles = await ctx.db.select().from(therapyCycle).where(and(eq(therapyCycle.siteId, actor.siteId), eq(therapyCycle.patientId, patientId))).orderBy(asc(therapyCycle.createdAt), asc(therapyCycle.number));
    const ids = cycles.map((c) => c.id);
    const recs = ids.length ? await ctx.db.select().from(dosimetryRecord).where(inArray(dosimetryRecord.cycleId, ids)) : [];
    return { cycles, recs };
  },

  globalId(row: { id: string }) {
    return toGlobalId("DosimetryRecord", row.id);
  },
};
