import { z } from "zod";
import { bodyWeight, patient, type PatientRow } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { UserInputProblem } from "../../shared/errors";
import { decodeCursor, loadInScope, pageSize, toConnection } from "../../shared/records";
import { parseInput, setFields } from "../../shared/validation";
import { changeRecord, createRecord, voidRecord } from "../../shared/versioned";
import { isoDate, nonEmpty, pastInstant, reason, version, VoidInput, weightKg } from "../../shared/zod";
import { listPatients, mrnTaken, searchTextOf, siteById } from "./patients.repo";

const SEX = ["FEMALE", "MALE", "OTHER", "UNKNOWN"] as const;
const STATUS = ["REFERRED", "IN_WORKUP", "ON_TREATMENT", "FOLLOW_UP", "CLOSED"] as const;

const birthDate = isoDate
  .refine((s) => s >= "1900-01-01", "must be on or after 1900-01-01")
  .refine((s) => s <= new Date().toISOString().slice(0, 10), "must not be in the future");
/** Height plausibility, cm (adults and children). */
const heightCm = z.number().min(30, "must be between 30 and 250 cm").max(250, "must be between 30 and 250 cm");

const CreateInput = z.object({
  mrn: z.string().trim().min(1, "must not be empty"),
  familyName: nonEmpty(100),
  givenName: nonEmpty(100),
  birthDate,
  sex: z.enum(SEX),
  heightCm: heightCm.nullish(),
});

const UpdateInput = z.object({
  id: z.string(),
  version,
  mrn: z.string().trim().min(1, "must not be empty").nullish(),
  familyName: nonEmpty(100).nullish(),
  givenName: nonEmpty(100).nullish(),
  birthDate: birthDate.nullish(),
  sex: z.enum(SEX).nullish(),
  heightCm: heightCm.nullish(),
  status: z.enum(STATUS).nullish(),
});

async function checkMrn(ctx: RequestContext, mrn: string, exceptId?: string) {
  const actor = ctx.requireActor();
  const s = await siteById(ctx.db, actor.siteId);
  if (s && !new RegExp(s.mrnPattern).test(mrn)) {
    throw UserInputProblem.of(["input", "mrn"], `does not match this site's MRN format ${s.mrnPattern} (got ${JSON.stringify(mrn)})`);
  }
  if (await mrnTaken(ctx.db, actor.siteId, mrn, exceptId)) {
    throw UserInputProblem.of(["input", "mrn"], `is already used by another patient at this site (got ${JSON.stringify(mrn)})`, "DUPLICATE");
  }
}

export const PatientService = {
  async list(
    ctx: RequestContext,
    args: {
      first?: number | null;
      after?: string | null;
      filter?: { search?: string | null; status?: string[] | null; onActiveCourse?: boolean | null; nextDueBefore?: string | null } | null;
      orderBy?: { field: "NAME" | "MRN" | "CREATED_AT" | "NEXT_DUE"; direction?: "ASC" | "DESC" | null } | null;
    },
  ) {
    const actor = ctx.authorize("patient:read");
    const first = pageSize(args.first);
    const offset = decodeCursor(args.after);
    const { rows, total } = await listPatients(ctx.db, {
      siteId: actor.siteId,
      ...args.filter,
      orderBy: args.orderBy?.field ?? "NAME",
      direction: args.orderBy?.direction ?? "ASC",
      offset,
      limit: first + 1,
    });
    for (const p of rows.slice(0, first)) ctx.recordRead("Patient", p.id, p.id);
    return toConnection(rows, offset, first, total);
  },

  async get(ctx: RequestContext, id: string): Promise<PatientRow | null> {
    ctx.authorize("patient:read");
    return ctx.loaders.patient.load(id);
  },

  async create(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("patient:write");
    const v = parseInput(CreateInput, input);
    await checkMrn(ctx, v.mrn);
    return createRecord(ctx, {
      table: patient,
      type: "Patient",
      action: "patient.create",
      values: { ...v, heightCm: v.heightCm ?? null, siteId: actor.siteId, searchText: searchTextOf(v) },
      patientIdOf: (r) => r.id,
    });
  },

  async update(ctx: RequestContext, input: unknown) {
    ctx.authorize("patient:write");
    const v = parseInput(UpdateInput, input);
    const { id, version: ver, ...rest } = v;
    const patch = setFields<PatientRow>(rest);
    return changeRecord(ctx, {
      table: patient,
      type: "Patient",
      action: "patient.update",
      globalId: id,
      version: ver,
      patch,
      check: async (cur) => {
        if (patch.mrn && patch.mrn !== cur.mrn) await checkMrn(ctx, patch.mrn, cur.id);
        const next = { ...cur, ...patch };
        patch.searchText = searchTextOf(next);
        if (patch.status === "CLOSED") patch.closedAt = new Date();
      },
    });
  },

  async close(ctx: RequestContext, input: unknown) {
    ctx.authorize("patient:write");
    const v = parseInput(z.object({ id: z.string(), version, reason }), input);
    return changeRecord(ctx, {
      table: patient,
      type: "Patient",
      action: "patient.close",
      globalId: v.id,
      version: v.version,
      patch: { status: "CLOSED", closedAt: new Date() },
      reason: v.reason,
    });
  },

  async recordWeight(ctx: RequestContext, input: { patientId: string; weightKg: number; measuredAt: Date }) {
    const actor = ctx.authorize("weight:write");
    const v = parseInput(z.object({ patientId: z.string(), weightKg, measuredAt: pastInstant }), input);
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    return createRecord(ctx, {
      table: bodyWeight,
      type: "BodyWeight",
      action: "weight.record",
      values: { siteId: actor.siteId, patientId: p.id, weightKg: v.weightKg, measuredAt: v.measuredAt },
      patientIdOf: (r) => r.patientId,
    });
  },

  async voidWeight(ctx: RequestContext, input: unknown) {
    ctx.authorize("weight:write");
    const v = parseInput(VoidInput, input);
    return voidRecord(ctx, { table: bodyWeight, type: "BodyWeight", action: "weight.void", input: v });
  },
};
