import DataLoader from "dataloader";
import { and, asc, desc, eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import {
  bodyWeight,
  dosimetryRecord,
  diagnosis,
  imagingStudy,
  labResult,
  lesion,
  lesionMeasurement,
  patient,
  radiopharmaceutical,
  therapyCourse,
  therapyCycle,
  type RadiopharmaceuticalRow,
} from "@lutetia/db";
import type { RequestContext } from "./context";

type SiteTable = PgTable & { id: PgColumn; siteId: PgColumn };

/**
 * Per-request DataLoaders: a page of N patients with nested data costs a constant number of
 * SQL statements. Every loader is scoped to the caller's site and records audit reads.
 */
function byId<T extends { id: string; siteId: string }>(
  ctx: RequestContext,
  table: SiteTable,
  entityType: string,
  patientOf: (row: T) => string | null,
) {
  return new DataLoader<string, T | null>(async (ids) => {
    const actor = ctx.requireActor();
    const rows = (await ctx.db
      .select()
      .from(table)
      .where(and(inArray(table.id, [...ids]), eq(table.siteId, actor.siteId)))) as T[];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = map.get(id) ?? null;
      if (r) ctx.recordRead(entityType, r.id, patientOf(r));
      return r;
    });
  });
}

function manyBy<T extends { id: string }>(
  ctx: RequestContext,
  table: SiteTable,
  key: PgColumn,
  keyOf: (row: T) => string,
  entityType: string,
  patientOf: (row: T) => string | null,
  orderBy: SQL[],
  extra?: SQL,
) {
  return new DataLoader<string, T[]>(async (keys) => {
    const actor = ctx.requireActor();
    const where = [inArray(key, [...keys]), eq(table.siteId, actor.siteId)];
    if (extra) where.push(extra);
    const rows = (await ctx.db
      .select()
      .from(table)
      .where(and(...where))
      .orderBy(...orderBy)) as T[];
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const r of rows) {
      groups.get(keyOf(r))?.push(r);
      ctx.recordRead(entityType, r.id, patientOf(r));
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}

const PENDING_CYCLE = ["PLANNED", "READY", "DELAYED"] as const;

export function createLoaders(ctx: RequestContext) {
  type P = { patientId: string };
  const ofPatient = (r: P) => r.patientId;
  return {
    patient: byId<typeof patient.$inferSelect>(ctx, patient, "Patient", (r) => r.id),
    course: byId<typeof therapyCourse.$inferSelect>(ctx, therapyCourse, "TherapyCourse", ofPatient),
    cycle: byId<typeof therapyCycle.$inferSelect>(ctx, therapyCycle, "TherapyCycle", ofPatient),
    study: byId<typeof imagingStudy.$inferSelect>(ctx, imagingStudy, "ImagingStudy", ofPatient),
    lesion: byId<typeof lesion.$inferSelect>(ctx, lesion, "Lesion", ofPatient),
    bodyWeight: byId<typeof bodyWeight.$inferSelect>(ctx, bodyWeight, "BodyWeight", ofPatient),
    diagnosis: byId<typeof diagnosis.$inferSelect>(ctx, diagnosis, "Diagnosis", ofPatient),
    labResult: byId<typeof labResult.$inferSelect>(ctx, labResult, "LabResult", ofPatient),
    measurement: byId<typeof lesionMeasurement.$inferSelect>(ctx, lesionMeasurement, "LesionMeasurement", ofPatient),
    /** Shipped (site_id null) or this site's agents; not patient data, not audited. */
    radiopharmaceutical: new DataLoader<string, RadiopharmaceuticalRow | null>(async (ids) => {
      const actor = ctx.requireActor();
      const rows = await ctx.db
        .select()
        .from(radiopharmaceutical)
        .where(
          and(
            inArray(radiopharmaceutical.id, [...ids]),
            or(isNull(radiopharmaceutical.siteId), eq(radiopharmaceutical.siteId, actor.siteId)),
          ),
        );
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    weightsByPatient: manyBy<typeof bodyWeight.$inferSelect>(
      ctx, bodyWeight, bodyWeight.patientId, ofPatient, "BodyWeight", ofPatient,
      [desc(bodyWeight.measuredAt)], isNull(bodyWeight.voidedAt),
    ),
    diagnosesByPatient: manyBy<typeof diagnosis.$inferSelect>(
      ctx, diagnosis, diagnosis.patientId, ofPatient, "Diagnosis", ofPatient,
      [desc(diagnosis.diagnosedOn), desc(diagnosis.createdAt)], isNull(diagnosis.voidedAt),
    ),
    coursesByPatient: manyBy<typeof therapyCourse.$inferSelect>(
      ctx, therapyCourse, therapyCourse.patientId, ofPatient, "TherapyCourse", ofPatient,
      [desc(therapyCourse.createdAt)],
    ),
    /** All revisions of each cycle's dosimetry, newest first (the Dosimetry tab lists every cycle). */
    dosimetryByCycle: manyBy<typeof dosimetryRecord.$inferSelect>(
      ctx, dosimetryRecord, dosimetryRecord.cycleId, (r) => r.cycleId, "DosimetryRecord", ofPatient,
      [desc(dosimetryRecord.revision)],
    ),
    cyclesByCourse: manyBy<typeof therapyCycle.$inferSelect>(
      ctx, therapyCycle, therapyCycle.courseId, (r) => r.courseId, "TherapyCycle", ofPatient,
      [asc(therapyCycle.number)],
    ),
    pendingCyclesByPatient: manyBy<typeof therapyCycle.$inferSelect>(
      ctx, therapyCycle, therapyCycle.patientId, ofPatient, "TherapyCycle", ofPatient,
      [asc(therapyCycle.plannedDate), asc(therapyCycle.number)],
      inArray(therapyCycle.status, [...PENDING_CYCLE]),
    ),
    studiesByPatient: manyBy<typeof imagingStudy.$inferSelect>(
      ctx, imagingStudy, imagingStudy.patientId, ofPatient, "ImagingStudy", ofPatient,
      [desc(imagingStudy.performedAt)], isNull(imagingStudy.voidedAt),
    ),
    /** The most recent non-voided study per patient: one row per patient, not the whole history. */
    latestStudyByPatient: new DataLoader<string, typeof imagingStudy.$inferSelect | null>(async (patientIds) => {
      const actor = ctx.requireActor();
      const rows = await ctx.db
        .selectDistinctOn([imagingStudy.patientId])
        .from(imagingStudy)
        .where(and(inArray(imagingStudy.patientId, [...patientIds]), eq(imagingStudy.siteId, actor.siteId), isNull(imagingStudy.voidedAt)))
        .orderBy(imagingStudy.patientId, desc(imagingStudy.performedAt), desc(imagingStudy.id));
      const map = new Map(rows.map((r) => [r.patientId, r]));
      return patientIds.map((id) => {
        const r = map.get(id) ?? null;
        if (r) ctx.recordRead("ImagingStudy", r.id, r.patientId);
        return r;
      });
    }),
    labsByPatient: manyBy<typeof labResult.$inferSelect>(
      ctx, labResult, labResult.patientId, ofPatient, "LabResult", ofPatient,
      [desc(labResult.sampledAt)], isNull(labResult.voidedAt),
    ),
    lesionsByPatient: manyBy<typeof lesion.$inferSelect>(
      ctx, lesion, lesion.patientId, ofPatient, "Lesion", ofPatient,
      [asc(lesion.label)], isNull(lesion.voidedAt),
    ),
    measurementsByLesion: manyBy<typeof lesionMeasurement.$inferSelect>(
      ctx, lesionMeasurement, lesionMeasurement.lesionId, (r) => r.lesionId, "LesionMeasurement", ofPatient,
      [asc(lesionMeasurement.createdAt)], isNull(lesionMeasurement.voidedAt),
    ),
    measurementsByStudy: manyBy<typeof lesionMeasurement.$inferSelect>(
      ctx, lesionMeasurement, lesionMeasurement.studyId, (r) => r.studyId, "LesionMeasurement", ofPatient,
      [asc(lesionMeasurement.createdAt)], isNull(lesionMeasurement.voidedAt),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
