import { z } from "zod";
import { labResult, patient } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { UserInputProblem } from "../../shared/errors";
import { loadInScope } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { changeRecord, createRecord, voidRecord } from "../../shared/versioned";
import { pastInstant, reason, version, VoidInput } from "../../shared/zod";
import { LAB_CATALOGUE, toCanonical, type Analyte } from "./lab-catalogue";

const ANALYTES = Object.keys(LAB_CATALOGUE) as [Analyte, ...Analyte[]];

function convert(analyte: Analyte, value: number, unit: string) {
  try {
    return toCanonical(analyte, value, unit);
  } catch (e) {
    const msg = (e as Error).message;
    throw UserInputProblem.of(["input", msg.startsWith("unit") ? "unit" : "value"], msg);
  }
}

export const LabService = {
  catalogue() {
    return Object.values(LAB_CATALOGUE).map((a) => ({ analyte: a.analyte, label: a.label, canonicalUnit: a.canonicalUnit, acceptedUnits: Object.keys(a.units) }));
  },

  /** Records a result; the value is stored in the canonical unit next to the reported one. */
  async record(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("lab:write");
    const v = parseInput(z.object({ patientId: z.string(), analyte: z.enum(ANALYTES), value: z.number(), unit: z.string().trim(), sampledAt: pastInstant }), input);
    const c = convert(v.analyte, v.value, v.unit);
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    return createRecord(ctx, {
      table: labResult,
      type: "LabResult",
      action: "lab.record",
      values: { siteId: actor.siteId, patientId: p.id, analyte: v.analyte, value: c.value, unit: c.unit, reportedValue: v.value, reportedUnit: v.unit, sampledAt: v.sampledAt },
      patientIdOf: (r) => r.patientId,
    });
  },

  /** Corrects a result (the previous value is kept in the record history with the reason). */
  async correct(ctx: RequestContext, input: unknown) {
    ctx.authorize("lab:write");
    const v = parseInput(z.object({ id: z.string(), version, value: z.number(), unit: z.string().trim(), sampledAt: pastInstant.nullish(), reason }), input);
    let converted: { value: number; unit: string } | undefined;
    const patch: Partial<typeof labResult.$inferSelect> = { reportedValue: v.value, reportedUnit: v.unit };
    if (v.sampledAt) patch.sampledAt = v.sampledAt;
    return changeRecord(ctx, {
      table: labResult, type: "LabResult", action: "lab.correct", globalId: v.id, version: v.version, patch, reason: v.reason,
      check: (cur) => {
        if (cur.voidedAt) throw UserInputProblem.of(["input", "id"], "a voided result cannot be corrected");
        converted = convert(cur.analyte, v.value, v.unit);
        patch.value = converted.value;
        patch.unit = converted.unit;
      },
    });
  },

  async void(ctx: RequestContext, input: unknown) {
    ctx.authorize("lab:write");
    return voidRecord(ctx, { table: labResult, type: "LabResult", action: "lab.void", input: parseInput(VoidInput, input) });
  },
};
