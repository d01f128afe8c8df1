import { z } from "zod";
import { diagnosis, patient, type DiagnosisRow } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { UserInputProblem } from "../../shared/errors";
import { loadInScope } from "../../shared/records";
import { parseInput, setFields } from "../../shared/validation";
import { changeRecord, createRecord, voidRecord } from "../../shared/versioned";
import { nonEmpty, pastOrTodayDate, version, VoidInput } from "../../shared/zod";

const GRADES = ["G1", "G2", "G3", "NEC", "UNKNOWN"] as const;
const DIFF = ["WELL", "POORLY", "UNKNOWN"] as const;
/** Ki-67 labelling index, percent of tumour cells (0–100). */
const ki67 = z.number().min(0, "must be between 0 and 100 %").max(100, "must be between 0 and 100 %");

const fields = {
  primarySite: nonEmpty(200),
  histology: nonEmpty(200),
  whoGrade: z.enum(GRADES),
  ki67Percent: ki67.nullish(),
  differentiation: z.enum(DIFF),
  functionalSyndrome: z.string().trim().max(200).nullish(),
  diagnosedOn: pastOrTodayDate,
};
const CreateInput = z.object({ patientId: z.string(), ...fields });
const UpdateInput = z.object({ id: z.string(), version, ...z.object(fields).partial().shape });

/**
 * WHO 2019/2022 grading of well-differentiated NETs by Ki-67: G1 < 3 %, G2 3–20 %, G3 > 20 %
 * (reference/glossary.md, WHO classification). A grade that contradicts the Ki-67 is refused
 * on `whoGrade` so a typo cannot pass silently (NEC is defined by differentiation instead).
 */
function checkGradeVsKi67(grade: string | undefined | null, k: number | undefined | null) {
  if (!grade || k === undefined || k === null || grade === "NEC" || grade === "UNKNOWN") return;
  const expected = k < 3 ? "G1" : k <= 20 ? "G2" : "G3";
  if (grade !== expected) {
    throw UserInputProblem.of(["input", "whoGrade"], `${grade} does not match Ki-67 ${k} % (WHO: G1 < 3 %, G2 3–20 %, G3 > 20 % → ${expected})`);
  }
}

export const DiagnosisService = {
  async create(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("diagnosis:write");
    const v = parseInput(CreateInput, input);
    checkGradeVsKi67(v.whoGrade, v.ki67Percent);
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    const { patientId: _ignored, ...rest } = v;
    return createRecord(ctx, {
      table: diagnosis,
      type: "Diagnosis",
      action: "diagnosis.create",
      values: { ...rest, ki67Percent: v.ki67Percent ?? null, functionalSyndrome: v.functionalSyndrome ?? null, siteId: actor.siteId, patientId: p.id },
      patientIdOf: (r) => r.patientId,
    });
  },

  async update(ctx: RequestContext, input: unknown) {
    ctx.authorize("diagnosis:write");
    const v = parseInput(UpdateInput, input);
    const { id, version: ver, ...rest } = v;
    const patch = setFields<DiagnosisRow>(rest);
    return changeRecord(ctx, {
      table: diagnosis,
      type: "Diagnosis",
      action: "diagnosis.update",
      globalId: id,
      version: ver,
      patch,
      check: (cur) => checkGradeVsKi67(patch.whoGrade ?? cur.whoGrade, patch.ki67Percent ?? cur.ki67Percent),
    });
  },

  async void(ctx: RequestContext, input: unknown) {
    ctx.authorize("diagnosis:write");
    return voidRecord(ctx, { table: diagnosis, type: "Diagnosis", action: "diagnosis.void", input: parseInput(VoidInput, input) });
  },
};
