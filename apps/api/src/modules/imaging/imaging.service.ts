import { and, count, desc, eq, gte, inArray, isNull, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { imagingStudy, patient, therapyCycle, type ImagingStudyRow } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { UserInputProblem } from "../../shared/errors";
import { idOf, toGlobalId } from "../../shared/ids";
import { decodeCursor, loadInScope, pageSize, toConnection } from "../../shared/records";
import { parseInput } from "../../shared/validation";
import { changeRecord, createRecord, voidRecord } from "../../shared/versioned";
import { pastInstant, version, VoidInput, weightKg } from "../../shared/zod";
import { ACTIVITY_LIMITS_MBQ } from "../therapy/therapy.policy";

const MODALITY = ["PET", "SPECT", "CT", "MRI"] as const;
const PURPOSE = ["BASELINE", "POST_THERAPY", "INTERIM", "RESTAGING", "FOLLOW_UP"] as const;
/** DICOM UI: digits and dots, ≤ 64 characters (PS3.5 §9.1). */
const uid = z.string().regex(/^[0-9]+(\.[0-9]+)*$/, "must be a DICOM UID (digits and dots)").max(64, "must be at most 64 characters");

const fields = {
  tracerId: z.string().nullish(),
  performedAt: pastInstant,
  injectedActivityMBq: z.number().positive("must be > 0 MBq").nullish(),
  injectedAt: pastInstant.nullish(),
  weightKg: weightKg.nullish(),
  purpose: z.enum(PURPOSE),
  cycleId: z.string().nullish(),
};
const CreateInput = z.object({ patientId: z.string(), modality: z.enum(MODALITY), studyInstanceUid: uid.nullish(), ...fields });
const UpdateInput = z.object({ id: z.string(), version, ...z.object(fields).partial().shape });

/**
 * Cross-field rules: a tracer must suit the modality (PET/SPECT agents; therapy agents may be
 * imaged by SPECT after therapy); injected activity within the plausibility policy of the
 * tracer's use; injection not after the scan; the linked cycle belongs to the same patient.
 */
async function resolveLinks(
  ctx: RequestContext,
  v: { modality?: string; tracerId?: string | null; injectedActivityMBq?: number | null; injectedAt?: Date | null; performedAt?: Date; cycleId?: string | null },
  patientId: string,
) {
  const out: Partial<ImagingStudyRow> = {};
  if (v.tracerId) {
    const id = idOf(v.tracerId, "Radiopharmaceutical");
    const rp = id ? await ctx.loaders.radiopharmaceutical.load(id) : null;
    if (!rp) throw UserInputProblem.of(["input", "tracerId"], "Radiopharmaceutical not found", "NOT_FOUND");
    const ok = v.modality === "PET" ? rp.use === "PET" : v.modality === "SPECT" ? rp.use === "SPECT" || rp.use === "THERAPY" : false;
    if (v.modality && !ok) throw UserInputProblem.of(["input", "tracerId"], `${rp.name} (${rp.use}) cannot be the tracer of a ${v.modality} study`);
    const lim = ACTIVITY_LIMITS_MBQ[rp.use];
    if (v.injectedActivityMBq != null && (v.injectedActivityMBq < lim.min || v.injectedActivityMBq > lim.max)) {
      throw UserInputProblem.of(["input", "injectedActivityMBq"], `must be between ${lim.min} and ${lim.max} MBq for a ${rp.use} agent (got ${v.injectedActivityMBq})`);
    }
    out.tracerId = rp.id;
  }
  if (v.injectedAt && v.performedAt && v.injectedAt > v.performedAt) {
    throw UserInputProblem.of(["input", "injectedAt"], `must not be after performedAt ${v.performedAt.toISOString()} (got ${v.injectedAt.toISOString()})`);
  }
  if (v.cycleId) {
    const cycle = await loadInScope(ctx, therapyCycle, "TherapyCycle", v.cycleId, ["input", "cycleId"]);
    if (cycle.patientId !== patientId) throw UserInputProblem.of(["input", "cycleId"], "belongs to another patient");
    out.cycleId = cycle.id;
  }
  return out;
}

export const ImagingService = {
  async create(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("study:write");
    const v = parseInput(CreateInput, input);
    const p = await loadInScope(ctx, patient, "Patient", v.patientId, ["input", "patientId"]);
    const links = await resolveLinks(ctx, v, p.id);
    if (v.studyInstanceUid) {
      const dup = await ctx.db.select({ id: imagingStudy.id }).from(imagingStudy).where(and(eq(imagingStudy.siteId, actor.siteId), eq(imagingStudy.studyInstanceUid, v.studyInstanceUid)));
      if (dup.length) throw UserInputProblem.of(["input", "studyInstanceUid"], `is already registered at this site (got ${v.studyInstanceUid})`, "DUPLICATE");
    }
    return createRecord(ctx, {
      table: imagingStudy,
      type: "ImagingStudy",
      action: "study.create",
      values: {
        siteId: actor.siteId, patientId: p.id, modality: v.modality, performedAt: v.performedAt, purpose: v.purpose,
        injectedActivityMBq: v.injectedActivityMBq ?? null, injectedAt: v.injectedAt ?? null, weightKg: v.weightKg ?? null,
        studyInstanceUid: v.studyInstanceUid ?? null, tracerId: links.tracerId ?? null, cycleId: links.cycleId ?? null,
      },
      patientIdOf: (r) => r.patientId,
    });
  },

  async update(ctx: RequestContext, input: unknown) {
    ctx.authorize("study:write");
    const v = parseInput(UpdateInput, input);
    const { id, version: ver, tracerId, cycleId, ...rest } = v;
    const patch = Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined && x !== null)) as Partial<ImagingStudyRow>;
    return changeRecord(ctx, {
      table: imagingStudy, type: "ImagingStudy", action: "study.update", globalId: id, version: ver, patch,
      check: async (cur) => {
        const merged = { ...cur, ...patch };
        // Without a new tracer, the stored one still bounds the (possibly changed) injected activity.
        const storedTracer = cur.tracerId ? toGlobalId("Radiopharmaceutical", cur.tracerId) : null;
        const links = await resolveLinks(ctx, { ...merged, tracerId: tracerId ?? storedTracer, cycleId: cycleId ?? null }, cur.patientId);
        if (!tracerId) delete links.tracerId;
        Object.assign(patch, links);
      },
    });
  },

  async void(ctx: RequestContext, input: unknown) {
    ctx.authorize("study:write");
    return voidRecord(ctx, { table: imagingStudy, type: "ImagingStudy", action: "study.void", input: parseInput(VoidInput, input) });
  },

  async list(
    ctx: RequestContext,
    args: { first?: number | null; after?: string | null; filter?: { patientId?: string | null; modality?: ImagingStudyRow["modality"][] | null; purpose?: ImagingStudyRow["purpose"][] | null; from?: Date | null; to?: Date | null } | null },
  ) {
    const actor = ctx.authorize("patient:read");
    const first = pageSize(args.first);
    const offset = decodeCursor(args.after);
    const f = args.filter ?? {};
    const where: SQL[] = [eq(imagingStudy.siteId, actor.siteId), isNull(imagingStudy.voidedAt)];
    if (f.patientId) {
      const pid = idOf(f.patientId, "Patient");
      if (!pid) throw UserInputProblem.of(["filter", "patientId"], "is not a Patient id", "NOT_FOUND");
      where.push(eq(imagingStudy.patientId, pid));
    }
    if (f.modality?.length) where.push(inArray(imagingStudy.modality, f.modality));
    if (f.purpose?.length) where.push(inArray(imagingStudy.purpose, f.purpose));
    if (f.from) where.push(gte(imagingStudy.performedAt, f.from));
    if (f.to) where.push(lte(imagingStudy.performedAt, f.to));
    const [rows, [total]] = await Promise.all([
      ctx.db.select().from(imagingStudy).where(and(...where)).orderBy(desc(imagingStudy.performedAt), desc(imagingStudy.id)).offset(offset).limit(first + 1),
      ctx.db.select({ n: count() }).from(imagingStudy).where(and(...where)),
    ]);
    for (const r of rows.slice(0, first)) ctx.recordRead("ImagingStudy", r.id, r.patientId);
    return toConnection(rows, offset, first, total?.n ?? 0);
  },
};
