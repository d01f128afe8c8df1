import type { Resolvers } from "../generated/resolvers-types";
import { auditResolvers } from "./audit";
import { boardResolvers } from "./boards";
import { authResolvers } from "./auth";
import {
  diagnosisResolvers,
  imagingResolvers,
  labResolvers,
  lesionResolvers,
  radiopharmaceuticalResolvers,
  therapyResolvers,
} from "./clinical";
import { dicomResolvers } from "./dicom";
import { dosimetryResolvers } from "./dosimetry";
import { nodeResolvers } from "./node";
import { pathwayResolvers, LocalDateTime } from "./pathway";
import { patientResolvers } from "./patients";
import { responseResolvers } from "./response";
import { DateScalar, DateTime, JSONScalar } from "./scalars";

const modules: Resolvers[] = [
  nodeResolvers,
  authResolvers,
  auditResolvers,
  patientResolvers,
  diagnosisResolvers,
  radiopharmaceuticalResolvers,
  therapyResolvers,
  labResolvers,
  imagingResolvers,
  lesionResolvers,
  pathwayResolvers,
  dicomResolvers,
  dosimetryResolvers,
  responseResolvers,
  boardResolvers,
];

/** Merges the per-module resolver maps (each type's fields may come from several modules). */
export function mergeResolvers(): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const m of modules) {
    for (const [type, fields] of Object.entries(m)) {
      merged[type] = { ...(merged[type] ?? {}), ...(fields as Record<string, unknown>) };
    }
  }
  return { ...(merged as Resolvers), DateTime, Date: DateScalar, JSON: JSONScalar, LocalDateTime };
}
