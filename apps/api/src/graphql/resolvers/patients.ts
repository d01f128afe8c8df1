import type { Resolvers } from "../generated/resolvers-types";
import { PatientService } from "../../modules/patients/patients.service";
import { gid, payload } from "./util";

export const patientResolvers: Resolvers = {
  Query: {
    patients: (_p, args, ctx) => PatientService.list(ctx, args),
  },
  Mutation: {
    patientCreate: (_p, { input }, ctx) => payload("patient", () => PatientService.create(ctx, input)),
    patientUpdate: (_p, { input }, ctx) => payload("patient", () => PatientService.update(ctx, input)),
    patientClose: (_p, { input }, ctx) => payload("patient", () => PatientService.close(ctx, input)),
    bodyWeightRecord: (_p, { input }, ctx) => payload("bodyWeight", () => PatientService.recordWeight(ctx, input)),
    bodyWeightVoid: (_p, { input }, ctx) => payload("bodyWeight", () => PatientService.voidWeight(ctx, input)),
  },
  Patient: {
    id: gid("Patient"),
    weights: (p, _a, ctx) => ctx.loaders.weightsByPatient.load(p.id),
    latestWeight: async (p, _a, ctx) => (await ctx.loaders.weightsByPatient.load(p.id))[0] ?? null,
    diagnoses: (p, _a, ctx) => ctx.loaders.diagnosesByPatient.load(p.id),
    currentDiagnosis: async (p, _a, ctx) => (await ctx.loaders.diagnosesByPatient.load(p.id))[0] ?? null,
    courses: (p, _a, ctx) => ctx.loaders.coursesByPatient.load(p.id),
    currentCourse: async (p, _a, ctx) => {
      const courses = await ctx.loaders.coursesByPatient.load(p.id);
      return (
        courses.find((c) => c.status === "ACTIVE") ??
        courses.find((c) => c.status === "PLANNED") ??
        courses[0] ??
        null
      );
    },
    nextCycle: async (p, _a, ctx) => (await ctx.loaders.pendingCyclesByPatient.load(p.id))[0] ?? null,
    latestStudy: (p, _a, ctx) => ctx.loaders.latestStudyByPatient.load(p.id),
    studies: (p, _a, ctx) => ctx.loaders.studiesByPatient.load(p.id),
    labResults: async (p, { analyte }, ctx) => {
      const labs = await ctx.loaders.labsByPatient.load(p.id);
      return analyte ? labs.filter((l) => l.analyte === analyte) : labs;
    },
    lesions: (p, _a, ctx) => ctx.loaders.lesionsByPatient.load(p.id),
  },
  BodyWeight: { id: gid("BodyWeight") },
};
