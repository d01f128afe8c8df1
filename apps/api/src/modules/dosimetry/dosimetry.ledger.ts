/**
 * The cumulative dose ledger of a patient across cycles and courses (retreatment included),
 * assembled from dosimetry records: the latest SIGNED revision of each cycle counts as of record;
 * a cycle whose only dosimetry is an unsigned draft (or a pending amendment) is reported
 * separately as an unsigned contribution. Arithmetic: @lutetia/quantification buildDoseLedger,
 * maxNextCycleActivity, whatIfNextCycle (reference/dosimetry.md §6.1, §8).
 */
import { and, asc, eq } from "drizzle-orm";
import {
  buildDoseLedger,
  LIMITS_UPPSALA_27GY,
  LIMITS_WITH_RENAL_RISK_FACTORS,
  LIMITS_WITHOUT_RENAL_RISK_FACTORS,
  maxNextCycleActivity,
  whatIfNextCycle,
  type CycleOrganDose,
  type DoseLedger,
  type DoseLimitPolicy,
  type NextCycleActivity,
  type WhatIfOrgan,
} from "@lutetia/quantification";
import { dosimetryRecord, therapyCourse, therapyCycle, type DbOrTx, type DosimetryRecordRow } from "@lutetia/db";
import { computeRecord, type LedgerOrgan, type RecordResults } from "./dosimetry.compute";

/** Named limit policies (reference/dosimetry.md §6.1; sources carried in each policy). */
export const LIMIT_POLICIES: Readonly<Record<string, DoseLimitPolicy>> = {
  [LIMITS_WITH_RENAL_RISK_FACTORS.name]: LIMITS_WITH_RENAL_RISK_FACTORS,
  [LIMITS_WITHOUT_RENAL_RISK_FACTORS.name]: LIMITS_WITHOUT_RENAL_RISK_FACTORS,
  [LIMITS_UPPSALA_27GY.name]: LIMITS_UPPSALA_27GY,
};

/** Ledger organ ↔ the organ keys of the quantification policies. */
export const ORGAN_KEY: Record<LedgerOrgan, string> = { KIDNEYS: "kidneys", LIVER: "liver", SPLEEN: "spleen", BONE_MARROW: "redMarrow" };
export const ORGAN_OF_KEY: Record<string, LedgerOrgan> = { kidneys: "KIDNEYS", liver: "LIVER", spleen: "SPLEEN", redMarrow: "BONE_MARROW" };

export interface RecordWithCycle {
  row: DosimetryRecordRow;
  cycleNumber: number;
  courseCreatedAt: Date;
}

/** The numbers of a record: the signed snapshot when signed, otherwise computed now. */
export function resultsOf(row: DosimetryRecordRow): RecordResults {
  if (row.status === "SIGNED" && row.results) return row.results as unknown as RecordResults;
  return computeRecord({
    administeredActivityMBq: row.administeredActivityMBq,
    administeredAt: row.administeredAt,
    phantomSex: row.phantomSex,
    activityRelSd: row.activityRelSd,
    calibrationRelSd: row.calibrationRelSd,
    massRelSd: row.massRelSd,
    timepoints: row.timepoints,
    vois: row.vois,
  });
}

export async function patientRecords(db: DbOrTx, siteId: string, patientId: string): Promise<RecordWithCycle[]> {
  const rows = await db
    .select({ row: dosimetryRecord, cycleNumber: therapyCycle.number, courseCreatedAt: therapyCourse.createdAt })
    .from(dosimetryRecord)
    .innerJoin(therapyCycle, eq(therapyCycle.id, dosimetryRecord.cycleId))
    .innerJoin(therapyCourse, eq(therapyCourse.id, dosimetryRecord.courseId))
    .where(and(eq(dosimetryRecord.siteId, siteId), eq(dosimetryRecord.patientId, patientId)))
    .orderBy(asc(dosimetryRecord.administeredAt), asc(dosimetryRecord.revision));
  return rows;
}

export interface LedgerCycle {
  cycleId: string;
  courseId: string;
  cycleNumber: number;
  /** 1-based order of the course among the patient's courses with dosimetry. */
  courseOrdinal: number;
  administeredAt: Date;
  administeredActivityGBq: number;
  /** Record whose numbers are shown: the latest signed revision, else the draft. */
  record: DosimetryRecordRow;
  signed: boolean;
  /** A newer unsigned amendment exists for a signed cycle. */
  pendingAmendment: DosimetryRecordRow | null;
  organs: RecordResults["organs"];
  /** Reasons an organ could not enter the ledger (e.g. kidney without T_eff). */
  warnings: string[];
}

export interface PatientLedger {
  policy: DoseLimitPolicy;
  cycles: LedgerCycle[];
  /** Of record: signed cycles only. */
  ledger: DoseLedger;
  /** Signed + unsigned drafts (what the ledger becomes if the drafts are signed unchanged). */
  projected: DoseLedger;
  next: NextCycleActivity | null;
  nextError: string | null;
  signedEntries: CycleOrganDose[];
}

function entriesOf(c: LedgerCycle): { entries: CycleOrganDose[]; warnings: string[] } {
  const entries: CycleOrganDose[] = [];
  const warnings: string[] = [];
  for (const o of c.organs) {
    if (o.organ === "KIDNEYS" && !(o.effectiveHalfLifeH && o.effectiveHalfLifeH > 0)) {
      warnings.push(`cycle ${c.cycleNumber}: kidneys have no effective half-life – not in the BED ledger`);
      continue;
    }
    entries.push({
      courseId: c.courseId,
      cycleNumber: c.cycleNumber,
      administeredActivityGBq: c.administeredActivityGBq,
      organ: ORGAN_KEY[o.organ],
      absorbedDoseGy: o.doseGy,
      ...(o.doseSdGy !== null && Number.isFinite(o.doseSdGy) ? { absorbedDoseSdGy: o.doseSdGy } : {}),
      ...(o.effectiveHalfLifeH && o.effectiveHalfLifeH > 0 ? { effectiveHalfLifeH: o.effectiveHalfLifeH } : {}),
    });
  }
  return { entries, warnings };
}

/** Builds the ledger from a patient's records (pure apart from the computation of drafts). */
export function ledgerOf(records: readonly RecordWithCycle[], policy: DoseLimitPolicy): PatientLedger {
  const byCycle = new Map<string, RecordWithCycle[]>();
  for (const r of records) byCycle.set(r.row.cycleId, [...(byCycle.get(r.row.cycleId) ?? []), r]);
  const courseOrder = [...new Set([...records].sort((a, b) => a.courseCreatedAt.getTime() - b.courseCreatedAt.getTime()).map((r) => r.row.courseId))];
  const cycles: LedgerCycle[] = [];
  for (const [cycleId, list] of byCycle) {
    const sorted = [...list].sort((a, b) => a.row.revision - b.row.revision);
    const signed = sorted.filter((r) => r.row.status === "SIGNED").pop() ?? null;
    const latest = sorted[sorted.length - 1] as RecordWithCycle;
    const shown = signed ?? latest;
    const c: LedgerCycle = {
      cycleId,
      courseId: shown.row.courseId,
      cycleNumber: shown.cycleNumber,
      courseOrdinal: courseOrder.indexOf(shown.row.courseId) + 1,
      administeredAt: shown.row.administeredAt,
      administeredActivityGBq: shown.row.administeredActivityMBq / 1000,
      record: shown.row,
      signed: signed !== null,
      pendingAmendment: signed && latest.row.status === "DRAFT" ? latest.row : null,
      organs: resultsOf(shown.row).organs,
      warnings: [],
    };
    c.warnings = entriesOf(c).warnings;
    cycles.push(c);
  }
  cycles.sort((a, b) => a.courseOrdinal - b.courseOrdinal || a.cycleNumber - b.cycleNumber);
  const signedEntries = cycles.filter((c) => c.signed).flatMap((c) => entriesOf(c).entries);
  const allEntries = cycles.flatMap((c) => entriesOf(c).entries);
  const ledger = buildDoseLedger(signedEntries, policy);
  const projected = buildDoseLedger(allEntries, policy);
  let next: NextCycleActivity | null = null;
  let nextError: string | null = null;
  if (signedEntries.length) {
    try {
      next = maxNextCycleActivity(signedEntries, policy);
    } catch (e) {
      nextError = (e as Error).message;
    }
  } else nextError = "no signed dosimetry yet: the next-cycle maximum needs at least one signed cycle";
  return { policy, cycles, ledger, projected, next, nextError, signedEntries };
}

/** What-if on the signed history (throws RangeError naming the parameter, e.g. activityGBq). */
export function whatIf(l: PatientLedger, activityGBq: number): WhatIfOrgan[] {
  // Organs without any signed history have no Gy/GBq to project with: they are left out (and
  // listed by the caller) rather than failing the whole projection.
  const measured = new Set(l.signedEntries.map((e) => e.organ));
  return whatIfNextCycle(l.signedEntries, activityGBq, { ...l.policy, limits: l.policy.limits.filter((x) => measured.has(x.organ)) });
}
