import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { dicomStudy, lesion, lesionCandidate, lesionMeasurement, type LesionCandidateRow } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { appendAudit, type AuditEntry } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { parseInput } from "../../shared/validation";
import { updateVersioned } from "../../shared/versioned";
import { nonEmpty, version } from "../../shared/zod";

const AcceptInput = z
  .object({
    id: z.string(),
    version,
    /** Link to this existing lesion (e.g. the proposed match); otherwise `newLesion` creates one. */
    lesionId: z.string().nullish(),
    newLesion: z.object({ label: nonEmpty(40), organ: nonEmpty(100), location: z.string().trim().max(200).nullish() }).nullish(),
    krenningScore: z.number().int().min(0, "must be 0–4").max(4, "must be 0–4").nullish(),
    isTarget: z.boolean().nullish(),
    note: z.string().trim().max(500).nullish(),
  })
  .refine((v) => !!v.lesionId !== !!v.newLesion, { message: "give exactly one of lesionId (link) or newLesion (create)", path: ["lesionId"] });
const RejectInput = z.object({ id: z.string(), version, reason: nonEmpty(500) });
const MergeInput = z.object({ ids: z.array(z.string()).min(2, "merge needs at least two candidates").max(20), note: z.string().trim().max(500).nullish() });

async function loadCandidate(ctx: RequestContext, globalId: string, field: string[]) {
  const actor = ctx.requireActor();
  const id = idOf(globalId, "LesionCandidate");
  if (!id) throw UserInputProblem.of(field, `is not a LesionCandidate id (got ${JSON.stringify(globalId)})`, "NOT_FOUND");
  const [row] = await ctx.db.select().from(lesionCandidate).where(and(eq(lesionCandidate.id, id), eq(lesionCandidate.siteId, actor.siteId)));
  if (!row) {
    ctx.recordOutOfScope("LesionCandidate", id, "LesionCandidate.access");
    throw UserInputProblem.of(field, "LesionCandidate not found", "NOT_FOUND");
  }
  return row;
}

const inputField = <T>(p: Promise<T>): Promise<T> =>
  p.catch((e: unknown) => {
    if (e instanceof UserInputProblem && e.errors[0]?.field[0] !== "input") throw new UserInputProblem(e.errors.map((er) => ({ ...er, field: ["input", ...er.field] })));
    throw e;
  });

/**
 * Physician review of lesion candidates: accept (→ a lesion measurement on the clinical study,
 * creating or linking a lesion), reject, merge. Every decision is versioned and audited.
 */
export const CandidateService = {
  async list(ctx: RequestContext, seriesId: string, status?: LesionCandidateRow["status"][] | null) {
    const actor = ctx.requireActor();
    const where = [eq(lesionCandidate.seriesId, seriesId), eq(lesionCandidate.siteId, actor.siteId)];
    if (status?.length) where.push(inArray(lesionCandidate.status, status));
    const rows = await ctx.db.select().from(lesionCandidate).where(and(...where)).orderBy(asc(lesionCandidate.createdAt), asc(lesionCandidate.rank));
    for (const r of rows) ctx.recordRead("LesionCandidate", r.id, r.patientId);
    return rows;
  },

  async byId(ctx: RequestContext, id: string): Promise<LesionCandidateRow | null> {
    const actor = ctx.authorize("patient:read");
    const [row] = await ctx.db.select().from(lesionCandidate).where(and(eq(lesionCandidate.id, id), eq(lesionCandidate.siteId, actor.siteId)));
    if (row) ctx.recordRead("LesionCandidate", row.id, row.patientId);
    return row ?? null;
  },

  async accept(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("candidate:review");
    const v = parseInput(AcceptInput, input);
    const c = await loadCandidate(ctx, v.id, ["input", "id"]);
    if (c.status !== "PROPOSED") throw UserInputProblem.of(["input", "id"], `candidate is ${c.status}, only PROPOSED candidates can be accepted`);
    const [study] = await ctx.db.select().from(dicomStudy).where(eq(dicomStudy.id, c.studyId));
    if (!study?.imagingStudyId) throw UserInputProblem.of(["input", "id"], "the DICOM study is not filed under a clinical imaging study");
    let lesionId: string | null = null;
    if (v.lesionId) {
      const lid = idOf(v.lesionId, "Lesion");
      const [l] = lid ? await ctx.db.select().from(lesion).where(and(eq(lesion.id, lid), eq(lesion.siteId, actor.siteId))) : [];
      if (!l) throw UserInputProblem.of(["input", "lesionId"], "Lesion not found", "NOT_FOUND");
      if (l.patientId !== c.patientId) throw UserInputProblem.of(["input", "lesionId"], "belongs to another patient");
      if (l.voidedAt) throw UserInputProblem.of(["input", "lesionId"], "is voided");
      lesionId = l.id;
    }
    return inputField(
      ctx.db.transaction(async (tx) => {
        const audit: AuditEntry[] = [];
        if (!lesionId) {
          const dup = await tx.select({ id: lesion.id }).from(lesion).where(and(eq(lesion.patientId, c.patientId), eq(lesion.label, v.newLesion!.label), isNull(lesion.voidedAt)));
          if (dup.length) throw UserInputProblem.of(["input", "newLesion", "label"], `is already used for this patient (got ${JSON.stringify(v.newLesion!.label)})`, "DUPLICATE");
          const studyDate = study.studyDate && /^\d{8}$/.test(study.studyDate) ? `${study.studyDate.slice(0, 4)}-${study.studyDate.slice(4, 6)}-${study.studyDate.slice(6, 8)}` : new Date().toISOString().slice(0, 10);
          const [l] = await tx.insert(lesion).values({ siteId: actor.siteId, patientId: c.patientId, label: v.newLesion!.label, organ: v.newLesion!.organ, location: v.newLesion!.location ?? null, firstSeenOn: studyDate }).returning();
          lesionId = l!.id;
          audit.push(ctx.writeEntry("lesion.create", "Lesion", l!.id, c.patientId, { source: "candidate", candidateId: c.id }));
        }
        const dupM = await tx.select({ id: lesionMeasurement.id }).from(lesionMeasurement).where(and(eq(lesionMeasurement.lesionId, lesionId), eq(lesionMeasurement.studyId, study.imagingStudyId!), isNull(lesionMeasurement.voidedAt)));
        if (dupM.length) throw UserInputProblem.of(["input", "lesionId"], "this lesion already has a measurement on this study (merge the candidates instead)", "DUPLICATE");
        const method = (c.provenance as { method?: string }).method;
        const [m] = await tx
          .insert(lesionMeasurement)
          .values({
            siteId: actor.siteId, patientId: c.patientId, lesionId, studyId: study.imagingStudyId!,
            suvMax: c.suvMax, suvPeak: c.suvPeak, suvMean: c.suvMean, mtvMl: c.volumeMl, tlg: c.tlg,
            krenningScore: v.krenningScore ?? c.krenningSuggested ?? null, isTarget: v.isTarget ?? false,
            method: method === "PERCENT_MAX" || method === "PERCIST" ? method : "THRESHOLD",
            provenance: { ...c.provenance, candidateId: c.id, krenningSuggested: c.krenningSuggested, acceptedBy: actor.userId, match: c.match ?? null },
          })
          .returning();
        audit.push(ctx.writeEntry("measurement.record", "LesionMeasurement", m!.id, c.patientId, { source: "candidate", candidateId: c.id }));
        const row = await updateVersioned(tx, lesionCandidate, "LesionCandidate", {
          id: c.id, siteId: actor.siteId, expectedVersion: v.version, actorUserId: actor.userId, reason: v.note ?? null,
          patch: { status: "ACCEPTED", lesionId, measurementId: m!.id, reviewedBy: actor.userId, reviewedAt: new Date(), reviewNote: v.note ?? null },
        });
        audit.push(ctx.writeEntry("candidate.accept", "LesionCandidate", c.id, c.patientId, { lesionId, measurementId: m!.id, matchConfirmed: !!c.matchedLesionId && c.matchedLesionId === lesionId, version: row.version }));
        await appendAudit(tx, audit);
        return row;
      }),
    );
  },

  async reject(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("candidate:review");
    const v = parseInput(RejectInput, input);
    const c = await loadCandidate(ctx, v.id, ["input", "id"]);
    if (c.status !== "PROPOSED") throw UserInputProblem.of(["input", "id"], `candidate is ${c.status}, only PROPOSED candidates can be rejected`);
    return inputField(
      ctx.db.transaction(async (tx) => {
        const row = await updateVersioned(tx, lesionCandidate, "LesionCandidate", {
          id: c.id, siteId: actor.siteId, expectedVersion: v.version, actorUserId: actor.userId, reason: v.reason,
          patch: { status: "REJECTED", reviewedBy: actor.userId, reviewedAt: new Date(), reviewNote: v.reason },
        });
        await appendAudit(tx, [ctx.writeEntry("candidate.reject", "LesionCandidate", c.id, c.patientId, { version: row.version })]);
        return row;
      }),
    );
  },

  /**
   * Merges candidates of one series into a new PROPOSED candidate: volume, TLG and voxel counts
   * add; SUVmax/SUVpeak are the maxima; SUVmean and centroid are voxel-weighted; SD is pooled.
   * The sources become MERGED (pointing to the result). Split = re-run with other parameters.
   */
  async merge(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("candidate:review");
    const v = parseInput(MergeInput, input);
    const cs: LesionCandidateRow[] = [];
    for (let i = 0; i < v.ids.length; i++) cs.push(await loadCandidate(ctx, v.ids[i]!, ["input", "ids", String(i)]));
    if (new Set(cs.map((c) => c.id)).size !== cs.length) throw UserInputProblem.of(["input", "ids"], "lists a candidate twice");
    if (cs.some((c) => c.seriesId !== cs[0]!.seriesId)) throw UserInputProblem.of(["input", "ids"], "candidates must come from the same series");
    const bad = cs.findIndex((c) => c.status !== "PROPOSED");
    if (bad >= 0) throw UserInputProblem.of(["input", "ids", String(bad)], `candidate is ${cs[bad]!.status}, only PROPOSED candidates can be merged`);
    const n = cs.reduce((s, c) => s + c.voxelCount, 0);
    const mean = cs.reduce((s, c) => s + c.suvMean * c.voxelCount, 0) / n;
    // pooled SD: Σ[(n_i − 1)s_i² + n_i(m_i − m)²] / (n − 1)
    const ss = cs.reduce((s, c) => s + (c.voxelCount - 1) * (c.suvSd ?? 0) ** 2 + c.voxelCount * (c.suvMean - mean) ** 2, 0);
    const centroid = [0, 1, 2].map((a) => cs.reduce((s, c) => s + c.centroidMm[a]! * c.voxelCount, 0) / n) as [number, number, number];
    const peaks = cs.map((c) => c.suvPeak).filter((x): x is number => x !== null);
    const first = cs.reduce((b, c) => (c.suvMax > b.suvMax ? c : b), cs[0]!);
    return ctx.db.transaction(async (tx) => {
      const [merged] = await tx
        .insert(lesionCandidate)
        .values({
          siteId: actor.siteId, patientId: first.patientId, studyId: first.studyId, seriesId: first.seriesId, jobId: first.jobId, rank: Math.min(...cs.map((c) => c.rank)),
          suvMax: first.suvMax, suvPeak: peaks.length ? Math.max(...peaks) : null, suvMean: mean, suvSd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
          volumeMl: cs.reduce((s, c) => s + c.volumeMl, 0), tlg: cs.reduce((s, c) => s + c.tlg, 0), voxelCount: n, centroidMm: centroid, suvMaxMm: first.suvMaxMm,
          krenningSuggested: first.krenningSuggested, matchedLesionId: first.matchedLesionId, match: first.match,
          provenance: { ...first.provenance, mergedFrom: cs.map((c) => c.id), mergedBy: actor.userId, note: v.note ?? null },
        })
        .returning();
      await tx.update(lesionCandidate).set({ status: "MERGED", mergedIntoId: merged!.id, reviewedBy: actor.userId, reviewedAt: new Date(), updatedAt: new Date(), version: sql`${lesionCandidate.version} + 1` }).where(inArray(lesionCandidate.id, cs.map((c) => c.id)));
      await appendAudit(tx, [ctx.writeEntry("candidate.merge", "LesionCandidate", merged!.id, first.patientId, { mergedFrom: cs.map((c) => c.id) })]);
      return merged!;
    });
  },
};
