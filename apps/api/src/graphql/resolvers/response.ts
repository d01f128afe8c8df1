import type { Resolvers } from "../generated/resolvers-types";
import { ResponseService } from "../../modules/response/response.service";
import { CATEGORIES } from "../../modules/response/response.logic";
import { gid, payload } from "./util";

const pct = (f: number | null | undefined) => (f === null || f === undefined ? null : f * 100);
const liver = (v: unknown) => (v && typeof v === "object" ? (v as { suvMean: number; suvSd: number; source: string }) : null);

export const responseResolvers: Resolvers = {
  Query: {
    responseAssessment: (_p, { id }, ctx) => ResponseService.get(ctx, id),
    responseAssessmentsAwaitingSignature: (_p, _a, ctx) => ResponseService.awaitingSignature(ctx),
    responseWaterfall: (_p, { criterion }, ctx) => ResponseService.waterfall(ctx, criterion),
    responseComparability: (_p, { baselineStudyId, followUpStudyId }, ctx) => ResponseService.comparability(ctx, baselineStudyId, followUpStudyId),
  },
  Mutation: {
    responseAssessmentCreate: (_p, { input }, ctx) => payload("assessment", () => ResponseService.create(ctx, input)),
    responseAssessmentUpdate: (_p, { input }, ctx) => payload("assessment", () => ResponseService.update(ctx, input)),
    responseAssessmentConclude: (_p, { input }, ctx) => payload("assessment", () => ResponseService.conclude(ctx, input)),
    responseAssessmentSign: (_p, { input }, ctx) => payload("assessment", () => ResponseService.sign(ctx, input)),
    responseAssessmentAmend: (_p, { input }, ctx) => payload("assessment", () => ResponseService.amend(ctx, input)),
  },
  Patient: {
    responseAssessments: (p, _a, ctx) => ResponseService.forPatient(ctx, p.id),
    responseStudySuggestion: (p, _a, ctx) => ResponseService.suggestion(ctx, gid("Patient")(p)),
  },
  ResponseStudySuggestion: {
    baselineStudy: (s, _a, ctx) => (s.baseline ? ctx.loaders.study.load(s.baseline.id) : null),
    followUpStudy: (s, _a, ctx) => (s.followUp ? ctx.loaders.study.load(s.followUp.id) : null),
  },
  ResponseAssessment: {
    id: gid("ResponseAssessment"),
    patient: async (r, _a, ctx) => (await ctx.loaders.patient.load(r.patientId))!,
    baselineStudy: async (r, _a, ctx) => (await ctx.loaders.study.load(r.baselineStudyId))!,
    followUpStudy: async (r, _a, ctx) => (await ctx.loaders.study.load(r.followUpStudyId))!,
    amends: (r, _a, ctx) => ResponseService.amends(ctx, r),
    amendedBy: (r, _a, ctx) => ResponseService.amendedBy(ctx, r),
    targetLesions: async (r, _a, ctx) => (await Promise.all(r.targetLesionIds.map((id) => ctx.loaders.lesion.load(id)))).filter((l) => l !== null),
    baselineLiver: async (r, _a, ctx) => liver(((await ResponseService.view(ctx, r)).inputs.liver as { baseline?: unknown } | undefined)?.baseline),
    followUpLiver: async (r, _a, ctx) => liver(((await ResponseService.view(ctx, r)).inputs.liver as { followUp?: unknown } | undefined)?.followUp),
    warnings: async (r, _a, ctx) => (await ResponseService.view(ctx, r)).warnings,
    lesionTable: async (r, _a, ctx) => (await ResponseService.view(ctx, r)).lesionTable,
    results: async (r, _a, ctx) => (await ResponseService.view(ctx, r)).results,
    frozen: async (r, _a, ctx) => (await ResponseService.view(ctx, r)).frozen,
    computedAt: async (r, _a, ctx) => new Date((await ResponseService.view(ctx, r)).computedAt),
    inputs: async (r, _a, ctx) => JSON.parse(JSON.stringify((await ResponseService.view(ctx, r)).inputs)) as Record<string, unknown>,
    conclusion: async (r, _a, ctx) =>
      r.conclusionCriterion && r.conclusionCategory
        ? {
            criterion: r.conclusionCriterion as never, category: r.conclusionCategory, computedCategory: r.conclusionComputedCategory, overridden: r.conclusionOverridden,
            reason: r.conclusionReason, concludedByName: await ResponseService.userName(ctx, r.concludedBy), concludedAt: r.concludedAt,
          }
        : null,
    signedByName: (r, _a, ctx) => ResponseService.userName(ctx, r.signedBy),
    lesionDoses: (r, _a, ctx) => ResponseService.lesionDoses(ctx, r),
    csvPath: (r) => `/api/response/${encodeURIComponent(gid("ResponseAssessment")(r))}/lesions.csv`,
  },
  ResponseLesionRow: {
    lesion: (l, _a, ctx) => ctx.loaders.lesion.load(l.lesionId),
    change: (l) => ({ diameterPercent: pct(l.change.diameter), suvMaxPercent: pct(l.change.suvMax), suvPeakPercent: pct(l.change.suvPeak), mtvPercent: pct(l.change.mtv) }),
  },
  ResponseCriterionResult: {
    categories: (r) => [...CATEGORIES[r.criterion]],
    metricLabel: (r) => r.metric?.label ?? null,
    metricChangePercent: (r) => pct(r.metric?.change),
  },
  LesionDoseResponse: {
    lesion: (l, _a, ctx) => ctx.loaders.lesion.load(l.lesionId),
    suvMaxChangePercent: (l) => pct(l.suvMaxChange),
    suvPeakChangePercent: (l) => pct(l.suvPeakChange),
    mtvChangePercent: (l) => pct(l.mtvChange),
  },
  ResponseWaterfallBar: {
    bestChangePercent: (b) => b.bestChange * 100,
  },
};
