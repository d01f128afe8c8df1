import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import {
  dicomInstance,
  dicomSeries,
  lesionCandidate,
  quantificationJob,
  referenceValue,
  type Db,
  type DicomSeriesRow,
  type QuantificationJobRow,
  type Tx,
} from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { parseInput } from "../../shared/validation";
import type { ObjectStorage } from "../../storage/storage";
import { DicomStoreService } from "../dicom-store/dicom-store.service";
import type { SeriesDerivation } from "../dicom-store/series-quant";
import { proposeMatches } from "./matching";
import { ALGORITHM, JobFailure, QuantParams, quantify, suvVolume, type QuantMethod } from "./quantify";

const QuantifyInput = z.object({
  seriesId: z.string(),
  method: z.enum(["THRESHOLD", "PERCENT_MAX", "PERCIST"]),
  params: QuantParams.nullish(),
});

/**
 * Quantification jobs: a durable job table processed by an in-process worker (see worker.ts).
 * `enqueue` returns at once; the worker claims jobs atomically (one UPDATE … WHERE id = (SELECT …
 * FOR UPDATE SKIP LOCKED) statement, atomic on PostgreSQL with several workers and on PGlite's
 * single connection alike), heartbeats while running, and stale RUNNING jobs are re-queued.
 */
export const JobService = {
  async enqueue(ctx: RequestContext, input: unknown, reason?: string) {
    const actor = ctx.authorize("quant:run");
    const v = parseInput(QuantifyInput, input);
    const sid = idOf(v.seriesId, "DicomSeries");
    if (!sid) throw UserInputProblem.of(["input", "seriesId"], `is not a DicomSeries id (got ${JSON.stringify(v.seriesId)})`, "NOT_FOUND");
    const series = await DicomStoreService.seriesById(ctx, sid);
    if (!series) throw UserInputProblem.of(["input", "seriesId"], "DicomSeries not found", "NOT_FOUND");
    if (!series.patientId) throw UserInputProblem.of(["input", "seriesId"], "the study is in quarantine; assign it to a patient first");
    if (series.modality !== "PT" && series.modality !== "NM") throw UserInputProblem.of(["input", "seriesId"], `only PET (PT) and quantitative SPECT (NM) series can be quantified (got ${series.modality ?? "none"})`);
    const suv = series.suv as SeriesDerivation["suv"] | null;
    if (!suv?.ok) throw UserInputProblem.of(["input", "seriesId"], `no SUV factor for this series (${suv?.reasons.map((r) => r.code).join(", ") || "not derived"}); resolve the QA findings or set an override`);
    if (v.method === "PERCIST" && !v.params?.liverCentreMm) throw UserInputProblem.of(["input", "params", "liverCentreMm"], "PERCIST needs the liver reference VOI centre (patient coordinates, mm)");
    return ctx.db.transaction(async (tx) => {
      const [job] = await tx
        .insert(quantificationJob)
        .values({ siteId: actor.siteId, seriesId: series.id, studyId: series.studyId, patientId: series.patientId, method: v.method, params: (v.params ?? {}) as Record<string, unknown>, requestedBy: actor.userId })
        .returning();
      await appendAudit(tx, [ctx.writeEntry("quant.job.enqueue", "QuantificationJob", job!.id, series.patientId, { method: v.method, seriesId: series.id, reason: reason ?? null })]);
      return job!;
    });
  },

  async get(ctx: RequestContext, globalId: string): Promise<QuantificationJobRow | null> {
    const actor = ctx.authorize("patient:read");
    const id = idOf(globalId, "QuantificationJob");
    if (!id) return null;
    const [job] = await ctx.db.select().from(quantificationJob).where(and(eq(quantificationJob.id, id), eq(quantificationJob.siteId, actor.siteId)));
    if (!job) {
      ctx.recordOutOfScope("QuantificationJob", id, "QuantificationJob.access");
      return null;
    }
    ctx.recordRead("QuantificationJob", job.id, job.patientId);
    return job;
  },

  async ofSeries(ctx: RequestContext, seriesId: string) {
    const actor = ctx.requireActor();
    return ctx.db.select().from(quantificationJob).where(and(eq(quantificationJob.seriesId, seriesId), eq(quantificationJob.siteId, actor.siteId))).orderBy(asc(quantificationJob.createdAt));
  },
};

/** Worker-side operations (no request context; the requesting user is the audit actor). */
export const JobRunner = {
  /** Re-queues RUNNING jobs whose heartbeat is older than `staleMs` (or fails them after max attempts). */
  async requeueStale(db: Db, staleMs: number): Promise<number> {
    const cutoff = new Date(Date.now() - staleMs);
    const failed = await db
      .update(quantificationJob)
      .set({ status: "FAILED", error: "abandoned: the worker stopped while running it (max attempts reached)", finishedAt: new Date(), updatedAt: new Date(), version: sql`${quantificationJob.version} + 1` })
      .where(and(eq(quantificationJob.status, "RUNNING"), sql`coalesce(${quantificationJob.heartbeatAt}, ${quantificationJob.startedAt}) < ${cutoff}`, sql`${quantificationJob.attempts} >= ${quantificationJob.maxAttempts}`))
      .returning({ id: quantificationJob.id });
    const requeued = await db
      .update(quantificationJob)
      .set({ status: "QUEUED", runAfter: new Date(), updatedAt: new Date(), version: sql`${quantificationJob.version} + 1` })
      .where(and(eq(quantificationJob.status, "RUNNING"), sql`coalesce(${quantificationJob.heartbeatAt}, ${quantificationJob.startedAt}) < ${cutoff}`))
      .returning({ id: quantificationJob.id });
    return requeued.length + failed.length;
  },

  /** Claims the next due job atomically (one statement). */
  async claim(db: Db): Promise<QuantificationJobRow | null> {
    const r = await db.execute(sql`
      update quantification_job
         set status = 'RUNNING', attempts = attempts + 1, started_at = now(), heartbeat_at = now(),
             progress = 0, error = null, updated_at = now(), version = version + 1
       where id = (select id from quantification_job
                    where status = 'QUEUED' and run_after <= now()
                    order by run_after, created_at
                    for update skip locked
                    limit 1)
      returning id`);
    const rows = (r as unknown as { rows: { id: string }[] }).rows;
    const id = rows[0]?.id;
    if (!id) return null;
    const [job] = await db.select().from(quantificationJob).where(eq(quantificationJob.id, id));
    return job ?? null;
  },

  async heartbeat(db: Db, id: string, progress: number): Promise<void> {
    await db.update(quantificationJob).set({ heartbeatAt: new Date(), progress: Math.round(progress * 1000) / 10 }).where(and(eq(quantificationJob.id, id), eq(quantificationJob.status, "RUNNING")));
  },

  async fail(db: Db, job: QuantificationJobRow, error: string, permanent: boolean): Promise<void> {
    const retry = !permanent && job.attempts < job.maxAttempts;
    await db.transaction(async (tx) => {
      await tx
        .update(quantificationJob)
        .set({
          status: retry ? "QUEUED" : "FAILED", error: error.slice(0, 2000), finishedAt: retry ? null : new Date(),
          runAfter: new Date(Date.now() + 2 ** job.attempts * 1000), updatedAt: new Date(), version: sql`${quantificationJob.version} + 1`,
        })
        .where(eq(quantificationJob.id, job.id));
      if (!retry) {
        await appendAudit(tx, [{ actorUserId: job.requestedBy, siteId: job.siteId, action: "quant.job.fail", entityType: "QuantificationJob", entityId: job.id, patientId: job.patientId, outcome: "FAILURE", requestId: `job:${job.id}`, detail: { attempts: job.attempts } }]);
      }
    });
  },

  /** Runs one claimed job to completion: loads the series, computes, stores candidates + references. */
  async run(db: Db, storage: ObjectStorage, job: QuantificationJobRow, progress: (f: number) => void): Promise<void> {
    const [series] = await db.select().from(dicomSeries).where(eq(dicomSeries.id, job.seriesId));
    if (!series) throw new JobFailure("series no longer exists");
    const suv = series.suv as SeriesDerivation["suv"] | null;
    if (!suv?.ok || !suv.factor) throw new JobFailure(`no SUV factor for this series (${suv?.reasons.map((r) => r.code).join(", ") ?? "not derived"})`);
    const params = QuantParams.parse(job.params);
    const inst = await db.select({ key: dicomInstance.storageKey, uid: dicomInstance.sopInstanceUid }).from(dicomInstance).where(eq(dicomInstance.seriesId, series.id)).orderBy(asc(dicomInstance.instanceNumber));
    if (inst.length === 0) throw new JobFailure("series has no instances");
    const files = [];
    for (let i = 0; i < inst.length; i++) {
      files.push({ name: inst[i]!.uid, bytes: new Uint8Array(await storage.read(inst[i]!.key)) });
      if (i % 50 === 49) progress((0.2 * (i + 1)) / inst.length);
    }
    let vol;
    try {
      vol = await suvVolume(files, suv.factor, suv.perInstance, (f) => progress(0.2 + 0.2 * f));
    } catch (e) {
      throw new JobFailure(`series could not be assembled into a volume: ${e instanceof Error ? e.message : String(e)}`);
    }
    const out = quantify(vol, job.method as QuantMethod, params, (f) => progress(0.4 + 0.5 * f));
    const provenanceBase = {
      algorithm: ALGORITHM,
      method: job.method,
      params,
      rule: out.rule,
      jobId: job.id,
      seriesInstanceUid: series.seriesInstanceUid,
      frameOfReferenceUid: series.frameOfReferenceUid,
      suvFactor: { factor: suv.factor, method: suv.method, inputs: suv.inputs, perInstance: suv.perInstance !== null, derivedAt: suv.derivedAt },
      overridesInForce: suv.overrides ? { overrides: suv.overrides, version: suv.overrideVersion } : null,
      suvType: "SUVbw",
    };
    await db.transaction(async (tx) => {
      // a newer run supersedes undecided candidates and current references of this series
      await tx.update(lesionCandidate).set({ status: "SUPERSEDED", updatedAt: new Date(), version: sql`${lesionCandidate.version} + 1` }).where(and(eq(lesionCandidate.seriesId, series.id), eq(lesionCandidate.status, "PROPOSED"), ne(lesionCandidate.jobId, job.id)));
      await tx.update(referenceValue).set({ current: false, updatedAt: new Date() }).where(and(eq(referenceValue.seriesId, series.id), eq(referenceValue.current, true)));
      await tx.update(dicomSeries).set({ bodyCentroidMm: out.bodyCentroidMm }).where(eq(dicomSeries.id, series.id));
      for (const [organ, ref] of [["LIVER", out.liver], ["SPLEEN", out.spleen]] as const) {
        if (!ref) continue;
        await tx.insert(referenceValue).values({
          siteId: job.siteId, patientId: job.patientId, studyId: job.studyId, seriesId: series.id, jobId: job.id, organ,
          suvMean: ref.mean, suvSd: ref.sd, suvMax: ref.max, voxelCount: ref.voxelCount, volumeMl: ref.volumeMl, centreMm: ref.centreMm, diameterMm: ref.diameterMm,
          provenance: { placement: "USER", ...provenanceBase },
        });
      }
      let ids: string[] = [];
      if (out.candidates.length && job.patientId) {
        const rows = await tx
          .insert(lesionCandidate)
          .values(
            out.candidates.map((c, i) => ({
              siteId: job.siteId, patientId: job.patientId!, studyId: job.studyId, seriesId: series.id, jobId: job.id, rank: i + 1,
              suvMax: c.stats.suvMax, suvPeak: c.stats.suvPeak, suvMean: c.stats.suvMean, suvSd: c.stats.suvSd, volumeMl: c.stats.volumeMl, tlg: c.stats.tlg, voxelCount: c.stats.voxelCount,
              centroidMm: [...c.stats.centroidMm] as [number, number, number],
              suvMaxMm: null,
              krenningSuggested: c.krenningSuggested,
              provenance: { ...provenanceBase, threshold: c.threshold, bboxMin: c.stats.bboxMin, bboxMax: c.stats.bboxMax, suvMaxIndex: c.stats.suvMaxIndex, suvPeakCentreMm: c.stats.suvPeakCentreMm, reference: { liverMean: out.liver?.mean ?? null, spleenMean: out.spleen?.mean ?? null } },
            })),
          )
          .returning({ id: lesionCandidate.id });
        ids = rows.map((r) => r.id);
        await proposeMatches(tx, { ...series, bodyCentroidMm: out.bodyCentroidMm }, ids);
      }
      const result = { candidates: ids.length, tmtvMl: out.tmtvMl, totalTlg: out.totalTlg, threshold: out.threshold, rule: out.rule, droppedComponents: out.droppedComponents, liverMean: out.liver?.mean ?? null, spleenMean: out.spleen?.mean ?? null, suvFactor: suv.factor, algorithm: ALGORITHM };
      await tx
        .update(quantificationJob)
        .set({ status: "SUCCEEDED", progress: 100, result, finishedAt: new Date(), heartbeatAt: new Date(), updatedAt: new Date(), version: sql`${quantificationJob.version} + 1` })
        .where(eq(quantificationJob.id, job.id));
      await appendAudit(tx, [{ actorUserId: job.requestedBy, siteId: job.siteId, action: "quant.job.succeed", entityType: "QuantificationJob", entityId: job.id, patientId: job.patientId, outcome: "SUCCESS", requestId: `job:${job.id}`, detail: { candidates: ids.length } }]);
    });
  },
};

/**
 * After a change of the SUV factor (QA override): undecided candidates are superseded and the
 * last job of each method is re-run with the same parameters; current reference values and
 * accepted measurements are rescaled by the factor ratio by the caller (the region is fixed).
 * Returns the re-queued job ids.
 */
export async function requeueAfterFactorChange(tx: Tx, series: DicomSeriesRow, actorUserId: string, requestId: string): Promise<string[]> {
  await tx.update(lesionCandidate).set({ status: "SUPERSEDED", updatedAt: new Date(), version: sql`${lesionCandidate.version} + 1` }).where(and(eq(lesionCandidate.seriesId, series.id), eq(lesionCandidate.status, "PROPOSED")));
  const jobs = await tx.select().from(quantificationJob).where(and(eq(quantificationJob.seriesId, series.id), inArray(quantificationJob.status, ["SUCCEEDED", "QUEUED", "RUNNING"]))).orderBy(asc(quantificationJob.createdAt));
  const last = new Map<string, QuantificationJobRow>();
  for (const j of jobs) last.set(j.method, j);
  const ids: string[] = [];
  for (const j of last.values()) {
    const [n] = await tx
      .insert(quantificationJob)
      .values({ siteId: j.siteId, seriesId: j.seriesId, studyId: j.studyId, patientId: j.patientId, method: j.method, params: j.params, requestedBy: actorUserId })
      .returning({ id: quantificationJob.id });
    ids.push(n!.id);
    await appendAudit(tx, [{ actorUserId, siteId: j.siteId, action: "quant.job.enqueue", entityType: "QuantificationJob", entityId: n!.id, patientId: j.patientId, outcome: "SUCCESS", requestId, detail: { reason: "SUV factor changed by QA override", rerunOf: j.id } }]);
  }
  return ids;
}
