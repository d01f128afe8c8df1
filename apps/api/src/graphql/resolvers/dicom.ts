import { asc, eq } from "drizzle-orm";
import { dicomInstance, type DicomSeriesRow } from "@lutetia/db";
import type { Resolvers } from "../generated/resolvers-types";
import { DicomAdminService } from "../../modules/dicom-store/dicom-admin.service";
import { DicomStoreService } from "../../modules/dicom-store/dicom-store.service";
import type { SeriesDerivation } from "../../modules/dicom-store/series-quant";
import { CandidateService } from "../../modules/quantification-jobs/candidates.service";
import { JobService } from "../../modules/quantification-jobs/jobs.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf, type NodeType } from "../../shared/ids";
import type { RequestContext } from "../context";
import { decodeCursor, pageSize, toConnection } from "../../shared/records";
import { gid, payload } from "./util";

const ROOT = "/dicomweb";

/** The JSON scalar carries any JSON value (numbers, strings, lists) for finding values. */
const jsonValue = <T extends { value: unknown }>(x: T) => ({ ...x, value: x.value as Record<string, unknown> | null });

export const dicomResolvers: Resolvers = {
  Query: {
    dicomStudies: async (_p, args, ctx) => {
      const first = pageSize(args.first);
      const offset = decodeCursor(args.after);
      let patientId: string | null = null;
      if (args.filter?.patientId) {
        patientId = idOf(args.filter.patientId, "Patient");
        if (!patientId) throw UserInputProblem.of(["filter", "patientId"], "is not a Patient id", "NOT_FOUND");
      }
      const { rows, total } = await DicomStoreService.listStudies(ctx, { patientId, status: args.filter?.status ?? null, first, offset });
      return toConnection(rows, offset, first, total);
    },
    quarantine: async (_p, args, ctx) => {
      const first = pageSize(args.first);
      const offset = decodeCursor(args.after);
      const { rows, total } = await DicomAdminService.quarantine(ctx, first, offset);
      return toConnection(rows, offset, first, total);
    },
    dicomStudy: (_p, { id }, ctx) => DicomStoreService.studyById(ctx, id),
    dicomSeries: (_p, { id }, ctx) => {
      const sid = idOf(id, "DicomSeries");
      return sid ? DicomStoreService.seriesById(ctx, sid) : null;
    },
    job: (_p, { id }, ctx) => JobService.get(ctx, id),
  },
  Mutation: {
    quarantineAssign: (_p, { input }, ctx) => payload("study", () => DicomAdminService.assign(ctx, input)),
    seriesQaOverrideSet: async (_p, { input }, ctx) => {
      const r = await payload("result", () => DicomAdminService.setOverride(ctx, input));
      const jobs = r.result ? await Promise.all(r.result.rerunJobIds.map((id) => JobService.get(ctx, Buffer.from(`QuantificationJob:${id}`).toString("base64url")))) : [];
      return { series: r.result?.series ?? null, rerunJobs: jobs.filter((j) => j !== null), userErrors: r.userErrors };
    },
    seriesQuantify: (_p, { input }, ctx) => payload("job", () => JobService.enqueue(ctx, input)),
    lesionCandidateAccept: (_p, { input }, ctx) => payload("candidate", () => CandidateService.accept(ctx, input)),
    lesionCandidateReject: (_p, { input }, ctx) => payload("candidate", () => CandidateService.reject(ctx, input)),
    lesionCandidateMerge: (_p, { input }, ctx) => payload("candidate", () => CandidateService.merge(ctx, input)),
  },
  DicomStudy: {
    id: gid("DicomStudy"),
    patient: (s, _a, ctx) => (s.patientId ? ctx.loaders.patient.load(s.patientId) : null),
    imagingStudy: (s, _a, ctx) => (s.imagingStudyId ? ctx.loaders.study.load(s.imagingStudyId) : null),
    description: (s) => s.studyDescription,
    series: (s, _a, ctx) => DicomStoreService.seriesByStudyIds(ctx, [s.id]),
    referenceValues: (s, _a, ctx) => DicomAdminService.referenceValues(ctx, s.id),
    dicomweb: (s) => ({ root: ROOT, studyUrl: `${ROOT}/studies/${s.studyInstanceUid}`, seriesUrl: null }),
  },
  DicomSeries: {
    id: gid("DicomSeries"),
    study: async (s, _a, ctx) => {
      const st = await DicomStoreService.studyById(ctx, Buffer.from(`DicomStudy:${s.studyId}`).toString("base64url"));
      if (!st) throw new Error("study missing (referential integrity)");
      return st;
    },
    description: (s) => s.seriesDescription,
    qa: (s) => {
      const q = s.qa as SeriesDerivation["qa"] | null;
      return q ? { ...q, findings: q.findings.map(jsonValue), overridesApplied: q.overridesApplied as unknown as Record<string, unknown> } : null;
    },
    suv: (s) => {
      const d = s.suv as SeriesDerivation["suv"] | null;
      return d
        ? { ...d, reasons: d.reasons.map(jsonValue), warnings: d.warnings.map(jsonValue), perInstance: d.perInstance !== null, overrides: (d.overrides as Record<string, unknown> | null) ?? null, derivedAt: new Date(d.derivedAt) }
        : null;
    },
    qaOverride: (s, _a, ctx) => DicomAdminService.overrideOf(ctx, s.id),
    dicomweb: async (s, _a, ctx) => {
      const st = await seriesStudyUid(ctx, s);
      return { root: ROOT, studyUrl: `${ROOT}/studies/${st}`, seriesUrl: `${ROOT}/studies/${st}/series/${s.seriesInstanceUid}` };
    },
    imageIds: async (s, _a, ctx) => {
      const st = await seriesStudyUid(ctx, s);
      const rows = await ctx.db.select({ uid: dicomInstance.sopInstanceUid, frames: dicomInstance.numberOfFrames }).from(dicomInstance).where(eq(dicomInstance.seriesId, s.id)).orderBy(asc(dicomInstance.instanceNumber), asc(dicomInstance.sliceLocationMm));
      const base = `wadors:${ROOT}/studies/${st}/series/${s.seriesInstanceUid}/instances`;
      return rows.flatMap((r) => Array.from({ length: r.frames }, (_x, f) => `${base}/${r.uid}/frames/${f + 1}`));
    },
    jobs: (s, _a, ctx) => JobService.ofSeries(ctx, s.id),
    candidates: (s, { status }, ctx) => CandidateService.list(ctx, s.id, status ?? null),
  },
  SeriesQaOverride: {
    id: gid("SeriesQaOverride"),
    setBy: () => null,
  },
  QuantificationJob: {
    id: gid("QuantificationJob"),
    series: (j, _a, ctx) => DicomStoreService.seriesById(ctx, j.seriesId),
  },
  LesionCandidate: {
    id: gid("LesionCandidate"),
    matchedLesion: (c, _a, ctx) => (c.matchedLesionId ? ctx.loaders.lesion.load(c.matchedLesionId) : null),
    lesion: (c, _a, ctx) => (c.lesionId ? ctx.loaders.lesion.load(c.lesionId) : null),
    measurement: async (c, _a, ctx) => {
      if (!c.measurementId || !c.lesionId) return null;
      const ms = await ctx.loaders.measurementsByLesion.load(c.lesionId);
      return ms.find((m) => m.id === c.measurementId) ?? null;
    },
  },
  ReferenceValue: {
    id: gid("ReferenceValue"),
  },
};

/** `node(id:)` for the imaging types (scoped and audited by the services; null when out of scope). */
export async function resolveImagingNode(ctx: RequestContext, type: NodeType, id: string, globalId: string): Promise<object | null> {
  switch (type) {
    case "DicomStudy":
      return DicomStoreService.studyById(ctx, globalId);
    case "DicomSeries":
      return DicomStoreService.seriesById(ctx, id);
    case "QuantificationJob":
      return JobService.get(ctx, globalId);
    case "LesionCandidate":
      return CandidateService.byId(ctx, id);
    default:
      return null;
  }
}

async function seriesStudyUid(ctx: Parameters<typeof DicomStoreService.studyById>[0], s: DicomSeriesRow): Promise<string> {
  const st = await DicomStoreService.studyById(ctx, Buffer.from(`DicomStudy:${s.studyId}`).toString("base64url"));
  return st?.studyInstanceUid ?? "";
}
