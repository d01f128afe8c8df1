/** Resolver parent types of the response module's GraphQL objects (codegen mappers). */
import type { PatientRow, ResponseAssessmentRow } from "@lutetia/db";
import type { Criterion, Suggestion } from "./response.logic";

export type SuggestionOut = Suggestion & { patientId: string };

export interface WaterfallBarOut {
  patient: PatientRow;
  criterion: Criterion;
  metricLabel: string;
  /** Fraction (−0.3 = −30 %); the resolver reports percent. */
  bestChange: number;
  category: string;
  concludedCategory: string | null;
  signed: boolean;
  assessment: ResponseAssessmentRow;
}
