import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import {
  dicomSeries,
  dicomStudy,
  lesionCandidate,
  lesionMeasurement,
  patient,
  recordRevision,
  referenceValue,
  seriesQaOverride,
  type DicomSeriesRow,
} from "@lutetia/db";
import type { PetQaOverrides } from "@lutetia/dicom";
import type { RequestContext } from "../../graphql/context";
import { appendAudit, type AuditEntry } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { loadInScope } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { updateVersioned } from "../../shared/versioned";
import { nonEmpty } from "../../shared/zod";
import { requeueAfterFactorChange } from "../quantification-jobs/jobs.service";
import { DicomStoreService } from "./dicom-store.service";
import { linkImagingStudy, rederiveSeries } from "./ingest.service";
import type { SeriesDerivation } from "./series-quant";

const AssignInput = z.object({ studyId: z.string(), patientId: z.string(), version: z.number().int().positive(), reason: nonEmpty(500) });

/** DICOM DT: YYYYMMDDHHMMSS[.F]. */
const dt = z.string().regex(/^\d{14}(\.\d{1,6})?$/, "must be a DICOM DateTime YYYYMMDDHHMMSS[.FFFFFF]");
const OverrideInput = z
  .object({
    seriesId: z.string(),
    /** Version of the override row being replaced (omit when setting the first override). */
    version: z.number().int().positive().nullish(),
    weightKg: z.number().gt(0, "must be > 0 kg").max(500, "must be ≤ 500 kg").nullish(),
    heightM: z.number().gt(0.3, "must be > 0.3 m").max(2.6, "must be ≤ 2.6 m").nullish(),
    injectedActivityMBq: z.number().gt(0, "must be > 0 MBq").max(20000, "must be ≤ 20000 MBq").nullish(),
    injectionDateTime: dt.nullish(),
    referenceDateTime: dt.nullish(),
    halfLifeS: z.number().gt(0, "must be > 0 s").nullish(),
    units: z.enum(["BQML", "CNTS", "GML"]).nullish(),
    calibrationFactorCpsPerMBq: z.number().gt(0, "must be > 0 cps/MBq").nullish(),
    /** Withdraw every override (back to the header values); the history is kept. */
    clear: z.boolean().nullish(),
    reason: nonEmpty(500),
  })
  .refine((v) => !v.clear || [v.weightKg, v.heightM, v.injectedActivityMBq, v.injectionDateTime, v.referenceDateTime, v.halfLifeS, v.units, v.calibrationFactorCpsPerMBq].every((x) => x === null || x === undefined), {
    message: "clear withdraws all overrides; do not combine it with values",
    path: ["clear"],
  })
  .refine((v) => v.clear || [v.weightKg, v.heightM, v.injectedActivityMBq, v.injectionDateTime, v.referenceDateTime, v.halfLifeS, v.units, v.calibrationFactorCpsPerMBq].some((x) => x !== null && x !== undefined), {
    message: "set at least one value to override",
    path: ["weightKg"],
  });

/**
 * Writes on the DICOM store: quarantine assignment and QA overrides. Every write is authorised
 * here, versioned (record_revision) and audited in its transaction.
 */
export const DicomAdminService = {
  /** Quarantine list (studies without a patient) for roles that may resolve it. */
  async quarantine(ctx: RequestContext, first: number, offset: number) {
    ctx.authorize("quarantine:resolve");
    return DicomStoreService.listStudies(ctx, { status: "QUARANTINED", first, offset });
  },

  /**
   * Explicitly assigns a quarantined study to a patient (coordinator/physician), with a reason:
   * study and its series get the patient, the clinical imaging_study is created or linked.
   */
  async assign(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("quarantine:resolve");
    const v = parseInput(AssignInput, input);
    const sid = idOf(v.studyId, "DicomStudy");
    if (!sid) throw UserInputProblem.of(["input", "studyId"], "is not a DicomStudy id", "NOT_FOUND");
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    try {
      return await ctx.db.transaction(async (tx) => {
        const [cur] = await tx.select().from(dicomStudy).where(and(eq(dicomStudy.id, sid), eq(dicomStudy.siteId, actor.siteId)));
        if (!cur) throw UserInputProblem.of(["input", "studyId"], "DicomStudy not found", "NOT_FOUND");
        if (cur.status !== "QUARANTINED") throw UserInputProblem.of(["input", "studyId"], "the study is not in quarantine", "INVALID");
        const row = await updateVersioned(tx, dicomStudy, "DicomStudy", {
          id: sid, siteId: actor.siteId, expectedVersion: v.version, actorUserId: actor.userId, reason: v.reason,
          patch: { patientId: p.id, status: "ACTIVE", assignedBy: actor.userId, assignedAt: new Date() },
        });
        await tx.update(dicomSeries).set({ patientId: p.id, updatedAt: new Date() }).where(eq(dicomSeries.studyId, sid));
        const audit: AuditEntry[] = [
          ctx.writeEntry("dicom.quarantine.assign", "DicomStudy", sid, p.id, { quarantineReason: cur.quarantineReason, version: row.version }),
        ];
        const { actorUserId, siteId, outcome, requestId } = audit[0]!;
        await linkImagingStudy(tx, row, audit, { actorUserId, siteId, outcome, requestId });
        await appendAudit(tx, audit);
        const [fresh] = await tx.select().from(dicomStudy).where(eq(dicomStudy.id, sid));
        return fresh!;
      });
    } catch (e) {
      if (e instanceof UserInputProblem && e.errors[0]?.code === "NOT_FOUND" && e.errors[0].field[0] !== "input") {
        ctx.recordOutOfScope("DicomStudy", sid, "dicom.quarantine.assign");
        throw UserInputProblem.of(["input", "studyId"], "DicomStudy not found", "NOT_FOUND");
      }
      if (e instanceof UserInputProblem && e.errors[0]?.field[0] !== "input") {
        throw new UserInputProblem(e.errors.map((er) => ({ ...er, field: ["input", ...er.field] })));
      }
      throw e;
    }
  },

  /**
   * Sets (or replaces) the QA override of a series with a reason. Never rewrites DICOM: the
   * override row is versioned, QA and the SUV factor are re-derived, and what depends on the
   * factor follows — current reference values and accepted lesion measurements from this series
   * are rescaled by new/old factor (fixed regions; revision + audit), undecided candidates are
   * superseded and their job re-run. All in one transaction, audited.
   */
  async setOverride(ctx: RequestContext, input: unknown): Promise<{ series: DicomSeriesRow; rerunJobIds: string[] }> {
    const actor = ctx.authorize("imaging:override");
    const v = parseInput(OverrideInput, input);
    const sid = idOf(v.seriesId, "DicomSeries");
    const series = sid ? await DicomStoreService.seriesById(ctx, sid) : null;
    if (!series) throw UserInputProblem.of(["input", "seriesId"], "DicomSeries not found", "NOT_FOUND");
    if (series.modality !== "PT" && series.modality !== "NM") throw UserInputProblem.of(["input", "seriesId"], "QA overrides apply to PET and quantitative SPECT series only");
    const overrides: PetQaOverrides = {};
    if (v.weightKg != null) overrides.PatientWeight = v.weightKg;
    if (v.heightM != null) overrides.PatientSize = v.heightM;
    if (v.injectedActivityMBq != null) overrides.RadionuclideTotalDose = v.injectedActivityMBq * 1e6;
    if (v.injectionDateTime != null) overrides.RadiopharmaceuticalStartDateTime = v.injectionDateTime;
    if (v.referenceDateTime != null) overrides.ReferenceDateTime = v.referenceDateTime;
    if (v.halfLifeS != null) overrides.RadionuclideHalfLife = v.halfLifeS;
    if (v.units != null) overrides.Units = v.units;
    if (v.calibrationFactorCpsPerMBq != null) overrides.calibrationFactorCpsPerMBq = v.calibrationFactorCpsPerMBq;

    return ctx.db.transaction(async (tx) => {
      const [existing] = await tx.select().from(seriesQaOverride).where(eq(seriesQaOverride.seriesId, series.id)).for("update");
      let overrideRow;
      if (existing) {
        if (v.version == null) throw UserInputProblem.of(["input", "version"], `an override exists (version ${existing.version}); pass its version to replace it`, "CONFLICT");
        overrideRow = await updateVersioned(tx, seriesQaOverride, "SeriesQaOverride", {
          id: existing.id, siteId: actor.siteId, expectedVersion: v.version, actorUserId: actor.userId, reason: v.reason,
          patch: { overrides: overrides as Record<string, unknown>, reason: v.reason, setBy: actor.userId },
        }).catch((e: unknown) => {
          if (e instanceof UserInputProblem) throw new UserInputProblem(e.errors.map((er) => ({ ...er, field: ["input", ...er.field] })));
          throw e;
        });
      } else {
        if (v.clear) throw UserInputProblem.of(["input", "clear"], "there is no override to withdraw");
        [overrideRow] = await tx.insert(seriesQaOverride).values({ siteId: actor.siteId, seriesId: series.id, patientId: series.patientId, overrides: overrides as Record<string, unknown>, reason: v.reason, setBy: actor.userId }).returning();
      }
      const before = series.suv as SeriesDerivation["suv"] | null;
      const after = (await rederiveSeries(tx, series))!.suv;
      const audit: AuditEntry[] = [
        ctx.writeEntry(v.clear ? "imaging.override.clear" : "imaging.override.set", "SeriesQaOverride", overrideRow!.id, series.patientId, {
          seriesId: series.id, keys: Object.keys(overrides), version: overrideRow!.version,
          suvFactorBefore: before?.factor ?? null, suvFactorAfter: after.factor, suvMethodAfter: after.method,
        }),
      ];
      // re-derive stored quantification
      let rerunJobIds: string[] = [];
      const ratio = before?.ok && before.factor && after.ok && after.factor ? after.factor / before.factor : null;
      if (ratio !== null && Math.abs(ratio - 1) > 1e-12) {
        const refs = await tx.select().from(referenceValue).where(and(eq(referenceValue.seriesId, series.id), eq(referenceValue.current, true)));
        for (const r of refs) {
          await tx.update(referenceValue).set({
            suvMean: r.suvMean * ratio, suvSd: r.suvSd * ratio, suvMax: r.suvMax * ratio, updatedAt: new Date(), version: sql`${referenceValue.version} + 1`,
            provenance: { ...r.provenance, rescaled: [...(((r.provenance as { rescaled?: unknown[] }).rescaled) ?? []), { ratio, factorBefore: before!.factor, factorAfter: after.factor, overrideVersion: overrideRow!.version, at: new Date().toISOString() }] },
          }).where(eq(referenceValue.id, r.id));
        }
        const accepted = await tx.select({ m: lesionMeasurement }).from(lesionCandidate).innerJoin(lesionMeasurement, eq(lesionMeasurement.id, lesionCandidate.measurementId)).where(and(eq(lesionCandidate.seriesId, series.id), eq(lesionCandidate.status, "ACCEPTED"), isNull(lesionMeasurement.voidedAt)));
        for (const { m } of accepted) {
          await tx.insert(recordRevision).values({ siteId: m.siteId, entityType: "LesionMeasurement", entityId: m.id, version: m.version, data: m as unknown as Record<string, unknown>, changedBy: actor.userId, reason: `QA override changed the SUV factor (x${ratio.toFixed(6)}): ${v.reason}` });
          const sc = (x: number | null) => (x === null ? null : x * ratio);
          await tx.update(lesionMeasurement).set({
            suvMax: sc(m.suvMax), suvPeak: sc(m.suvPeak), suvMean: sc(m.suvMean), tlg: sc(m.tlg), version: m.version + 1, updatedAt: new Date(),
            provenance: { ...(m.provenance ?? {}), suvFactor: { factor: after.factor, method: after.method, inputs: after.inputs }, overridesInForce: { overrides, version: overrideRow!.version }, rescaled: [...((((m.provenance ?? {}) as { rescaled?: unknown[] }).rescaled) ?? []), { ratio, factorBefore: before!.factor, factorAfter: after.factor, at: new Date().toISOString() }] },
          }).where(eq(lesionMeasurement.id, m.id));
          audit.push(ctx.writeEntry("measurement.rederive", "LesionMeasurement", m.id, m.patientId, { ratio, version: m.version + 1, cause: "imaging.override.set" }));
        }
        rerunJobIds = await requeueAfterFactorChange(tx, series, actor.userId, ctx.requestId);
      } else if (before?.ok && !after.ok) {
        await tx.update(lesionCandidate).set({ status: "SUPERSEDED", updatedAt: new Date() }).where(and(eq(lesionCandidate.seriesId, series.id), eq(lesionCandidate.status, "PROPOSED")));
      }
      await appendAudit(tx, audit);
      const [fresh] = await tx.select().from(dicomSeries).where(eq(dicomSeries.id, series.id));
      return { series: fresh!, rerunJobIds };
    });
  },

  async overrideOf(ctx: RequestContext, seriesId: string) {
    const actor = ctx.requireActor();
    const [row] = await ctx.db.select().from(seriesQaOverride).where(and(eq(seriesQaOverride.seriesId, seriesId), eq(seriesQaOverride.siteId, actor.siteId)));
    return row ?? null;
  },

  async referenceValues(ctx: RequestContext, studyId: string) {
    const actor = ctx.requireActor();
    return ctx.db.select().from(referenceValue).where(and(eq(referenceValue.studyId, studyId), eq(referenceValue.siteId, actor.siteId), eq(referenceValue.current, true)));
  },
};
