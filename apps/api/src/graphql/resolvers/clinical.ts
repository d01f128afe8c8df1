import type { Resolvers } from "../generated/resolvers-types";
import { DiagnosisService } from "../../modules/diagnoses/diagnoses.service";
import { ImagingService } from "../../modules/imaging/imaging.service";
import { LabService } from "../../modules/labs/labs.service";
import { LesionService } from "../../modules/lesions/lesions.service";
import { RadiopharmaceuticalService } from "../../modules/radiopharmaceuticals/radiopharmaceuticals.service";
import { TherapyService } from "../../modules/therapy/therapy.service";
import { gid, payload } from "./util";

const need = <T>(v: T | null | undefined, what: string): T => {
  if (v === null || v === undefined) throw new Error(`${what} missing (referential integrity)`);
  return v;
};

export const diagnosisResolvers: Resolvers = {
  Mutation: {
    diagnosisCreate: (_p, { input }, ctx) => payload("diagnosis", () => DiagnosisService.create(ctx, input)),
    diagnosisUpdate: (_p, { input }, ctx) => payload("diagnosis", () => DiagnosisService.update(ctx, input)),
    diagnosisVoid: (_p, { input }, ctx) => payload("diagnosis", () => DiagnosisService.void(ctx, input)),
  },
  Diagnosis: {
    id: gid("Diagnosis"),
    patient: async (d, _a, ctx) => need(await ctx.loaders.patient.load(d.patientId), "patient"),
  },
};

export const radiopharmaceuticalResolvers: Resolvers = {
  Query: {
    radiopharmaceuticals: (_p, args, ctx) => RadiopharmaceuticalService.list(ctx, args),
  },
  Mutation: {
    radiopharmaceuticalCreate: (_p, { input }, ctx) => payload("radiopharmaceutical", () => RadiopharmaceuticalService.create(ctx, input)),
    radiopharmaceuticalSetActive: (_p, { input }, ctx) => payload("radiopharmaceutical", () => RadiopharmaceuticalService.setActive(ctx, input)),
  },
  Radiopharmaceutical: {
    id: gid("Radiopharmaceutical"),
    shipped: (r) => r.siteId === null,
  },
};

export const therapyResolvers: Resolvers = {
  Query: {
    cyclesDue: (_p, args, ctx) => TherapyService.cyclesDue(ctx, args),
  },
  Mutation: {
    therapyCourseCreate: (_p, { input }, ctx) => payload("course", () => TherapyService.createCourse(ctx, input)),
    therapyCourseUpdate: (_p, { input }, ctx) => payload("course", () => TherapyService.updateCourse(ctx, input)),
    therapyCycleUpdate: (_p, { input }, ctx) => payload("cycle", () => TherapyService.updateCycle(ctx, input)),
    cycleRecordAdministration: (_p, { input }, ctx) => payload("cycle", () => TherapyService.recordAdministration(ctx, input)),
  },
  TherapyCourse: {
    id: gid("TherapyCourse"),
    patient: async (c, _a, ctx) => need(await ctx.loaders.patient.load(c.patientId), "patient"),
    radiopharmaceutical: async (c, _a, ctx) => need(await ctx.loaders.radiopharmaceutical.load(c.radiopharmaceuticalId), "radiopharmaceutical"),
    cycles: (c, _a, ctx) => ctx.loaders.cyclesByCourse.load(c.id),
    cumulativeActivityMBq: async (c, _a, ctx) =>
      (await ctx.loaders.cyclesByCourse.load(c.id)).reduce((s, y) => s + (y.status === "ADMINISTERED" ? (y.netActivityMBq ?? 0) : 0), 0),
  },
  TherapyCycle: {
    id: gid("TherapyCycle"),
    course: async (c, _a, ctx) => need(await ctx.loaders.course.load(c.courseId), "course"),
    patient: async (c, _a, ctx) => need(await ctx.loaders.patient.load(c.patientId), "patient"),
  },
};

export const labResolvers: Resolvers = {
  Query: {
    labAnalytes: (_p, _a, ctx) => {
      ctx.requireActor();
      return LabService.catalogue();
    },
  },
  Mutation: {
    labResultRecord: (_p, { input }, ctx) => payload("labResult", () => LabService.record(ctx, input)),
    labResultCorrect: (_p, { input }, ctx) => payload("labResult", () => LabService.correct(ctx, input)),
    labResultVoid: (_p, { input }, ctx) => payload("labResult", () => LabService.void(ctx, input)),
  },
  LabResult: {
    id: gid("LabResult"),
    patient: async (l, _a, ctx) => need(await ctx.loaders.patient.load(l.patientId), "patient"),
  },
};

export const imagingResolvers: Resolvers = {
  Query: {
    studies: (_p, args, ctx) => ImagingService.list(ctx, args),
  },
  Mutation: {
    imagingStudyCreate: (_p, { input }, ctx) => payload("study", () => ImagingService.create(ctx, input)),
    imagingStudyUpdate: (_p, { input }, ctx) => payload("study", () => ImagingService.update(ctx, input)),
    imagingStudyVoid: (_p, { input }, ctx) => payload("study", () => ImagingService.void(ctx, input)),
  },
  ImagingStudy: {
    id: gid("ImagingStudy"),
    patient: async (s, _a, ctx) => need(await ctx.loaders.patient.load(s.patientId), "patient"),
    tracer: (s, _a, ctx) => (s.tracerId ? ctx.loaders.radiopharmaceutical.load(s.tracerId) : null),
    cycle: (s, _a, ctx) => (s.cycleId ? ctx.loaders.cycle.load(s.cycleId) : null),
    measurements: (s, _a, ctx) => ctx.loaders.measurementsByStudy.load(s.id),
  },
};

export const lesionResolvers: Resolvers = {
  Mutation: {
    lesionCreate: (_p, { input }, ctx) => payload("lesion", () => LesionService.create(ctx, input)),
    lesionUpdate: (_p, { input }, ctx) => payload("lesion", () => LesionService.update(ctx, input)),
    lesionVoid: (_p, { input }, ctx) => payload("lesion", () => LesionService.void(ctx, input)),
    lesionMeasurementRecord: (_p, { input }, ctx) => payload("measurement", () => LesionService.recordMeasurement(ctx, input)),
    lesionMeasurementUpdate: (_p, { input }, ctx) => payload("measurement", () => LesionService.updateMeasurement(ctx, input)),
    lesionMeasurementVoid: (_p, { input }, ctx) => payload("measurement", () => LesionService.voidMeasurement(ctx, input)),
  },
  Lesion: {
    id: gid("Lesion"),
    patient: async (l, _a, ctx) => need(await ctx.loaders.patient.load(l.patientId), "patient"),
    measurements: (l, _a, ctx) => ctx.loaders.measurementsByLesion.load(l.id),
  },
  LesionMeasurement: {
    id: gid("LesionMeasurement"),
    lesion: async (m, _a, ctx) => need(await ctx.loaders.lesion.load(m.lesionId), "lesion"),
    study: async (m, _a, ctx) => need(await ctx.loaders.study.load(m.studyId), "study"),
    provenance: (m) => m.provenance ?? null,
  },
};
