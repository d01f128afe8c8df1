import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { imagingStudy, lesion, lesionMeasurement, patient, type LesionMeasurementRow, type LesionRow } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { UserInputProblem } from "../../shared/errors";
import { loadInScope } from "../../shared/records";
import { parseInput, setFields } from "../../shared/validation";
import { changeRecord, createRecord, voidRecord } from "../../shared/versioned";
import { nonEmpty, pastOrTodayDate, version, VoidInput } from "../../shared/zod";

const nonNeg = (unit: string) => z.number().min(0, `must be ≥ 0 ${unit}`);
/** SUV is dimensionless (g/mL); > 200 is implausible for clinical PET (entry error). */
const suv = z.number().min(0, "must be ≥ 0").max(200, "must be ≤ 200 (implausible SUV)");
const measures = {
  suvMax: suv.nullish(),
  suvPeak: suv.nullish(),
  suvMean: suv.nullish(),
  mtvMl: nonNeg("mL").nullish(),
  tlg: nonNeg("g").nullish(),
  longAxisMm: nonNeg("mm").max(1000, "must be ≤ 1000 mm").nullish(),
  shortAxisMm: nonNeg("mm").max(1000, "must be ≤ 1000 mm").nullish(),
  /** Krenning score 0–4 (reference/response-criteria.md, Krenning). */
  krenningScore: z.number().int("must be an integer").min(0, "must be 0–4").max(4, "must be 0–4").nullish(),
  isTarget: z.boolean().nullish(),
};

/** Internal consistency of a measurement: mean ≤ peak ≤ max, short axis ≤ long axis. */
function checkMeasures(m: Partial<Record<keyof typeof measures, number | boolean | null | undefined>>) {
  const n = (k: keyof typeof measures) => (typeof m[k] === "number" ? (m[k] as number) : null);
  const max = n("suvMax"), peak = n("suvPeak"), mean = n("suvMean"), la = n("longAxisMm"), sa = n("shortAxisMm");
  if (max !== null && peak !== null && peak > max) throw UserInputProblem.of(["input", "suvPeak"], `must not exceed suvMax ${max} (got ${peak})`);
  if (max !== null && mean !== null && mean > max) throw UserInputProblem.of(["input", "suvMean"], `must not exceed suvMax ${max} (got ${mean})`);
  if (la !== null && sa !== null && sa > la) throw UserInputProblem.of(["input", "shortAxisMm"], `must not exceed longAxisMm ${la} (got ${sa})`);
}

export const LesionService = {
  async create(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("lesion:write");
    const v = parseInput(z.object({ patientId: z.string(), label: nonEmpty(40), organ: nonEmpty(100), location: z.string().trim().max(200).nullish(), firstSeenOn: pastOrTodayDate }), input);
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    const dup = await ctx.db.select({ id: lesion.id }).from(lesion).where(and(eq(lesion.patientId, p.id), eq(lesion.label, v.label), isNull(lesion.voidedAt)));
    if (dup.length) throw UserInputProblem.of(["input", "label"], `is already used for this patient (got ${JSON.stringify(v.label)})`, "DUPLICATE");
    return createRecord(ctx, {
      table: lesion, type: "Lesion", action: "lesion.create",
      values: { siteId: actor.siteId, patientId: p.id, label: v.label, organ: v.organ, location: v.location ?? null, firstSeenOn: v.firstSeenOn },
      patientIdOf: (r) => r.patientId,
    });
  },

  async update(ctx: RequestContext, input: unknown) {
    ctx.authorize("lesion:write");
    const v = parseInput(z.object({ id: z.string(), version, label: nonEmpty(40).nullish(), organ: nonEmpty(100).nullish(), location: z.string().trim().max(200).nullish() }), input);
    const { id, version: ver, ...rest } = v;
    const patch = setFields<LesionRow>(rest);
    return changeRecord(ctx, {
      table: lesion, type: "Lesion", action: "lesion.update", globalId: id, version: ver, patch,
      check: async (cur) => {
        if (patch.label && patch.label !== cur.label) {
          const dup = await ctx.db.select({ id: lesion.id }).from(lesion).where(and(eq(lesion.patientId, cur.patientId), eq(lesion.label, patch.label), isNull(lesion.voidedAt)));
          if (dup.length) throw UserInputProblem.of(["input", "label"], `is already used for this patient (got ${JSON.stringify(patch.label)})`, "DUPLICATE");
        }
      },
    });
  },

  async void(ctx: RequestContext, input: unknown) {
    ctx.authorize("lesion:write");
    return voidRecord(ctx, { table: lesion, type: "Lesion", action: "lesion.void", input: parseInput(VoidInput, input) });
  },

  /** One measurement per lesion per study; lesion and study must belong to the same patient. */
  async recordMeasurement(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("lesion:write");
    const v = parseInput(
      z.object({
        lesionId: z.string(), studyId: z.string(), ...measures,
        method: z.enum(["MANUAL", "THRESHOLD", "PERCENT_MAX", "PERCIST", "ROI", "IMPORTED"]),
        provenance: z.record(z.string(), z.unknown()).nullish(),
      }),
      input,
    );
    checkMeasures(v);
    const l = await loadInScope(ctx, lesion, "Lesion", v.lesionId, ["input", "lesionId"]);
    const s = await loadInScope(ctx, imagingStudy, "ImagingStudy", v.studyId, ["input", "studyId"]);
    if (l.patientId !== s.patientId) throw UserInputProblem.of(["input", "studyId"], "belongs to another patient than the lesion");
    if (l.voidedAt || s.voidedAt) throw UserInputProblem.of(["input", l.voidedAt ? "lesionId" : "studyId"], "is voided");
    const dup = await ctx.db.select({ id: lesionMeasurement.id }).from(lesionMeasurement).where(and(eq(lesionMeasurement.lesionId, l.id), eq(lesionMeasurement.studyId, s.id), isNull(lesionMeasurement.voidedAt)));
    if (dup.length) throw UserInputProblem.of(["input", "studyId"], "this lesion already has a measurement on this study; update it instead", "DUPLICATE");
    const { lesionId: _l, studyId: _s, ...rest } = v;
    return createRecord(ctx, {
      table: lesionMeasurement, type: "LesionMeasurement", action: "measurement.record",
      values: {
        siteId: actor.siteId, patientId: l.patientId, lesionId: l.id, studyId: s.id,
        suvMax: rest.suvMax ?? null, suvPeak: rest.suvPeak ?? null, suvMean: rest.suvMean ?? null, mtvMl: rest.mtvMl ?? null, tlg: rest.tlg ?? null,
        longAxisMm: rest.longAxisMm ?? null, shortAxisMm: rest.shortAxisMm ?? null, krenningScore: rest.krenningScore ?? null,
        isTarget: rest.isTarget ?? false, method: rest.method, provenance: rest.provenance ?? null,
      },
      patientIdOf: (r) => r.patientId,
    });
  },

  async updateMeasurement(ctx: RequestContext, input: unknown) {
    ctx.authorize("lesion:write");
    const v = parseInput(z.object({ id: z.string(), version, ...measures }), input);
    const { id, version: ver, ...rest } = v;
    const patch = setFields<LesionMeasurementRow>(rest);
    return changeRecord(ctx, {
      table: lesionMeasurement, type: "LesionMeasurement", action: "measurement.update", globalId: id, version: ver, patch,
      check: (cur) => checkMeasures({ ...cur, ...patch }),
    });
  },

  async voidMeasurement(ctx: RequestContext, input: unknown) {
    ctx.authorize("lesion:write");
    return voidRecord(ctx, { table: lesionMeasurement, type: "LesionMeasurement", action: "measurement.void", input: parseInput(VoidInput, input) });
  },
};
