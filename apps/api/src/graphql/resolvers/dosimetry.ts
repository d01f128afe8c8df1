import type { DosimetryRecordRow } from "@lutetia/db";
import type { Resolvers } from "../generated/resolvers-types";
import { DosimetryService } from "../../modules/dosimetry/dosimetry.service";
import { hoursPostInjection, type OrganResult, type RecordResults } from "../../modules/dosimetry/dosimetry.compute";
import { LIMIT_POLICIES, ORGAN_OF_KEY } from "../../modules/dosimetry/dosimetry.ledger";
import { pathwayLoaders } from "../../modules/pathway/pathway.loaders";
import { gid, payload } from "./util";

const need = <T>(v: T | null | undefined, what: string): T => {
  if (v === null || v === undefined) throw new Error(`${what} missing (referential integrity)`);
  return v;
};

/** Results are computed once per record row per request. */
const cache = new WeakMap<DosimetryRecordRow, RecordResults>();
const results = (r: DosimetryRecordRow): RecordResults => {
  let x = cache.get(r);
  if (!x) {
    x = DosimetryService.results(r);
    cache.set(r, x);
  }
  return x;
};
const finite = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : x);
const organOut = (o: OrganResult) => ({ ...o, doseSdGy: finite(o.doseSdGy), bedGy: finite(o.bedGy), effectiveHalfLifeH: finite(o.effectiveHalfLifeH) });
const policyOut = (name: string) => {
  const p = LIMIT_POLICIES[name]!;
  return { name: p.name, limits: p.limits.map((l) => ({ organ: ORGAN_OF_KEY[l.organ] ?? l.organ, absorbedGy: l.absorbedGy ?? null, bedGy: l.bedGy ?? null, source: l.source })) };
};

export const dosimetryResolvers: Resolvers = {
  Query: {
    dosimetryRecord: (_p, { id }, ctx) => DosimetryService.record(ctx, id),
    doseLedger: (_p, { patientId, policy }, ctx) => DosimetryService.ledger(ctx, patientId, policy),
    doseWhatIf: async (_p, { patientId, activityGBq, policy }, ctx) => {
      const w = await DosimetryService.whatIf(ctx, patientId, activityGBq, policy);
      return {
        activityGBq,
        organs: w.organs.map((o) => ({ ...o, organ: ORGAN_OF_KEY[o.organ] ?? o.organ })),
        notProjected: w.notProjected.map((o) => ORGAN_OF_KEY[o] ?? o),
      };
    },
    dosimetryAwaitingSignOff: (_p, _a, ctx) => DosimetryService.awaitingSignOff(ctx),
    doseLimitPolicies: (_p, _a, ctx) => {
      ctx.requireActor();
      return Object.keys(LIMIT_POLICIES).map(policyOut);
    },
  },
  Mutation: {
    dosimetryRecordCreate: (_p, { input }, ctx) => payload("record", () => DosimetryService.create(ctx, input)),
    dosimetryRecordSave: (_p, { input }, ctx) => payload("record", () => DosimetryService.save(ctx, input)),
    dosimetryRecordSign: (_p, { input }, ctx) => payload("record", () => DosimetryService.sign(ctx, input)),
    dosimetryRecordAmend: (_p, { input }, ctx) => payload("record", () => DosimetryService.amend(ctx, input)),
  },
  TherapyCycle: {
    dosimetryRecords: (c, _a, ctx) => DosimetryService.recordsOfCycle(ctx, gid("TherapyCycle")(c)),
  },
  DosimetryRecord: {
    id: gid("DosimetryRecord"),
    patient: async (r, _a, ctx) => need(await ctx.loaders.patient.load(r.patientId), "patient"),
    cycle: async (r, _a, ctx) => need(await ctx.loaders.cycle.load(r.cycleId), "cycle"),
    previous: (r, _a, ctx) => (r.previousId ? DosimetryService.record(ctx, gid("DosimetryRecord")({ id: r.previousId })) : null),
    timepoints: (r) => r.timepoints.map((t) => ({ ...t, hoursPostInjection: hoursPostInjection(r.administeredAt, t.acquiredAt) })),
    vois: (r) => {
      const res = results(r);
      return r.vois.map((doc) => ({ doc, record: r, result: need(res.vois.find((x) => x.key === doc.key), "voi result") }));
    },
    organs: (r) => results(r).organs.map(organOut),
    warnings: (r) => results(r).warnings,
    candidateStudies: (r, _a, ctx) => DosimetryService.candidateStudies(ctx, r),
    signedByName: async (r, _a, ctx) => (r.signedBy ? ((await pathwayLoaders(ctx).user.load(r.signedBy))?.displayName ?? null) : null),
    reportPath: (r) => `/api/dosimetry/records/${gid("DosimetryRecord")(r)}/report.pdf`,
  },
  DosimetryTimepoint: {
    study: (t, _a, ctx) => (t.imagingStudyId ? ctx.loaders.study.load(t.imagingStudyId) : null),
  },
  DosimetryVoi: {
    key: (v) => v.doc.key,
    kind: (v) => v.doc.kind,
    label: (v) => v.doc.label,
    lesion: (v, _a, ctx) => (v.doc.lesionId ? ctx.loaders.lesion.load(v.doc.lesionId) : null),
    massG: (v) => v.doc.massG,
    volumeMl: (v) => v.doc.volumeMl,
    model: (v) => v.doc.model,
    stpTimepointKey: (v) => v.doc.stpTimepointKey,
    source: (v) => v.doc.source,
    activities: (v) => v.record.timepoints.map((t) => v.doc.activities[t.key] ?? null),
    result: (v) => ({
      ...v.result,
      rSquared: finite(v.result.rSquared),
      effectiveHalfLifeH: finite(v.result.effectiveHalfLifeH),
      tiaMBqH: finite(v.result.tiaMBqH),
      tiaSdMBqH: finite(v.result.tiaSdMBqH),
      doseGy: finite(v.result.doseGy),
      doseSdGy: finite(v.result.doseSdGy),
      bedGy: finite(v.result.bedGy),
      bedSdGy: finite(v.result.bedSdGy),
      gyPerGBq: finite(v.result.gyPerGBq),
    }),
  },
  DoseLedger: {
    patient: (l) => l.patient,
    policy: (l) => policyOut(l.ledger.policy.name),
    organs: ({ ledger }) =>
      ledger.ledger.organs.map((o) => {
        const proj = ledger.projected.organs.find((x) => x.organ === o.organ);
        return {
          organ: ORGAN_OF_KEY[o.organ] ?? o.organ,
          cycles: o.cycles,
          cumulativeAbsorbedGy: o.cumulativeAbsorbedGy,
          cumulativeAbsorbedSdGy: finite(o.cumulativeAbsorbedSdGy),
          cumulativeBedGy: o.cumulativeBedGy,
          absorbedLimitGy: o.absorbed?.limitGy ?? null,
          absorbedRemainingGy: o.absorbed?.remainingGy ?? null,
          absorbedFractionUsed: o.absorbed?.fractionUsed ?? null,
          bedLimitGy: o.bed?.limitGy ?? null,
          bedRemainingGy: o.bed?.remainingGy ?? null,
          bedFractionUsed: o.bed?.fractionUsed ?? null,
          exceeded: !!(o.absorbed?.exceeded || o.bed?.exceeded),
          projectedAbsorbedGy: proj?.cumulativeAbsorbedGy ?? o.cumulativeAbsorbedGy,
          projectedBedGy: proj?.cumulativeBedGy ?? o.cumulativeBedGy,
          latestGyPerGBq: finite(o.latestGyPerGBq),
          limitSource: o.limitSource,
        };
      }),
    cycles: (l) => l.ledger.cycles,
    totalActivityGBq: (l) => l.ledger.ledger.totalActivityGBq,
    maxNextActivityGBq: (l) => finite(l.ledger.next?.maxActivityGBq),
    limitingOrgan: (l) => {
      const b = l.ledger.next?.binding;
      return b?.organ ? (ORGAN_OF_KEY[b.organ] ?? b.organ) : null;
    },
    limitingConstraint: (l) => l.ledger.next?.binding.constraint ?? null,
    nextMessage: (l) => l.ledger.next?.message ?? l.ledger.nextError ?? "",
    nextWarnings: (l) => l.ledger.next?.warnings ?? [],
    csvPath: (l) => `/api/dosimetry/patients/${gid("Patient")(l.patient)}/ledger.csv?policy=${encodeURIComponent(l.ledger.policy.name)}`,
    reportPath: (l) => `/api/dosimetry/patients/${gid("Patient")(l.patient)}/report.pdf?policy=${encodeURIComponent(l.ledger.policy.name)}`,
  },
  LedgerCycle: {
    cycle: async (c, _a, ctx) => need(await ctx.loaders.cycle.load(c.cycleId), "cycle"),
    organs: (c) => c.organs.map(organOut),
  },
};
