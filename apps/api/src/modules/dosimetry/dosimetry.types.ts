import type { DosimetryRecordRow, DosimetryTimepointDoc, DosimetryVoiDoc, PatientRow } from "@lutetia/db";
import type { VoiResult } from "./dosimetry.compute";
import type { LedgerCycle, PatientLedger } from "./dosimetry.ledger";

/** GraphQL parents of the dosimetry types (codegen mappers). */
export interface TimepointOut extends DosimetryTimepointDoc {
  hoursPostInjection: number;
}
export interface VoiOut {
  doc: DosimetryVoiDoc;
  record: DosimetryRecordRow;
  result: VoiResult;
}
export interface LedgerOut {
  patient: PatientRow;
  ledger: PatientLedger;
}
export type LedgerCycleOut = LedgerCycle;
