import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { dicomInstance, dicomSeries, dicomStudy, type DicomInstanceRow, type DicomJson, type DicomSeriesRow, type DicomStudyRow } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { idOf } from "../../shared/ids";

/**
 * Read side of the DICOM store, shared by DICOMweb (QIDO-RS / WADO-RS) and GraphQL. Every
 * lookup is scoped to the caller's site; quarantined studies are visible only to roles that
 * may resolve the quarantine; a UID or id of another site answers "not found" and the attempt is
 * audited as a denied access; every patient-data read is recorded.
 */

export interface QidoQuery {
  /** Attribute tag (8 hex, upper case) → matching value (DICOM PS3.18 §8.3.4 / PS3.4 C.2.2.2). */
  match: Record<string, string>;
  limit: number;
  offset: number;
}

/** Keyword → tag of the supported QIDO matching keys. */
export const QIDO_KEYS: Record<string, string> = {
  StudyInstanceUID: "0020000D",
  PatientID: "00100020",
  PatientName: "00100010",
  PatientBirthDate: "00100030",
  StudyDate: "00080020",
  StudyTime: "00080030",
  AccessionNumber: "00080050",
  StudyDescription: "00081030",
  ModalitiesInStudy: "00080061",
  StudyID: "00200010",
  SeriesInstanceUID: "0020000E",
  Modality: "00080060",
  SeriesNumber: "00200011",
  SeriesDescription: "0008103E",
  SOPInstanceUID: "00080018",
  SOPClassUID: "00080016",
  InstanceNumber: "00200013",
};

function visibleStatus(ctx: RequestContext): SQL {
  return ctx.can("quarantine:resolve") ? inArray(dicomStudy.status, ["ACTIVE", "QUARANTINED"]) : eq(dicomStudy.status, "ACTIVE");
}

/** DICOM date range matching "YYYYMMDD", "YYYYMMDD-YYYYMMDD", "-YYYYMMDD", "YYYYMMDD-". */
function dateMatch(col: typeof dicomStudy.studyDate, v: string): SQL | null {
  const m = /^(\d{8})?-(\d{8})?$/.exec(v);
  if (m) {
    const parts: SQL[] = [];
    if (m[1]) parts.push(sql`${col} >= ${m[1]}`);
    if (m[2]) parts.push(sql`${col} <= ${m[2]}`);
    return parts.length ? and(...parts)! : null;
  }
  return /^\d{8}$/.test(v) ? eq(col, v) : sql`false`;
}

/** Wildcard matching (`*`, `?`) for string keys; exact otherwise. */
function strMatch(col: SQL | typeof dicomStudy.accessionNumber, v: string): SQL {
  if (/[*?]/.test(v)) {
    const like = v.replace(/[%_\\]/g, (c) => `\\${c}`).replace(/\*/g, "%").replace(/\?/g, "_");
    return ilike(col as typeof dicomStudy.accessionNumber, like);
  }
  return eq(col as typeof dicomStudy.accessionNumber, v);
}

/**
 * Instances of ACTIVE studies never change (rows are immutable; an ACTIVE study never returns to
 * quarantine or changes patient), so the WADO-RS hot path caches their lookups per site.
 * Authorisation and the audit row still happen on every request.
 */
const INSTANCE_CACHE_MAX = 20_000;
const instanceCache = new Map<string, { instance: DicomInstanceRow; patientId: string | null; seriesUid: string }>();

const uidList = (v: string) => v.split(/[,\\]/).map((s) => s.trim()).filter(Boolean);

export const DicomStoreService = {
  /** QIDO-RS study search. */
  async searchStudies(ctx: RequestContext, q: QidoQuery) {
    const actor = ctx.authorize("patient:read");
    const where: SQL[] = [eq(dicomStudy.siteId, actor.siteId), visibleStatus(ctx)];
    for (const [tag, v] of Object.entries(q.match)) {
      if (!v) continue;
      switch (tag) {
        case "0020000D": where.push(inArray(dicomStudy.studyInstanceUid, uidList(v))); break;
        case "00100020": where.push(strMatch(dicomStudy.dicomPatientId as never, v)); break;
        case "00080020": { const d = dateMatch(dicomStudy.studyDate, v); if (d) where.push(d); break; }
        case "00080050": where.push(strMatch(dicomStudy.accessionNumber, v)); break;
        case "00081030": where.push(strMatch(dicomStudy.studyDescription as never, v)); break;
        case "00080061": where.push(sql`exists (select 1 from ${dicomSeries} where ${dicomSeries.studyId} = ${dicomStudy.id} and ${dicomSeries.modality} in ${uidList(v)})`); break;
        case "00100010": where.push(sql`${dicomStudy.attributes} -> '00100010' -> 'Value' -> 0 ->> 'Alphabetic' ilike ${v.replace(/\*/g, "%").replace(/\?/g, "_")}`); break;
        case "00100030": where.push(eq(dicomStudy.dicomBirthDate, v)); break;
        default: break; // unsupported keys are ignored (PS3.18: optional matching)
      }
    }
    const rows = await ctx.db.select().from(dicomStudy).where(and(...where)).orderBy(desc(dicomStudy.studyDate), desc(dicomStudy.createdAt)).limit(q.limit).offset(q.offset);
    const stats = await this.studyStats(ctx, rows.map((r) => r.id));
    for (const r of rows) ctx.recordRead("DicomStudy", r.id, r.patientId);
    return rows.map((r) => ({ study: r, ...(stats.get(r.id) ?? { series: 0, instances: 0, modalities: [] as string[] }) }));
  },

  async studyStats(ctx: RequestContext, ids: string[]) {
    const out = new Map<string, { series: number; instances: number; modalities: string[] }>();
    if (!ids.length) return out;
    const rows = await ctx.db
      .select({ studyId: dicomSeries.studyId, series: count(), instances: sql<number>`coalesce(sum(${dicomSeries.instanceCount}),0)::int`, modalities: sql<string[]>`array_remove(array_agg(distinct ${dicomSeries.modality}), null)` })
      .from(dicomSeries)
      .where(inArray(dicomSeries.studyId, ids))
      .groupBy(dicomSeries.studyId);
    for (const r of rows) out.set(r.studyId, { series: r.series, instances: r.instances, modalities: r.modalities ?? [] });
    return out;
  },

  /**
   * One study by Study Instance UID in the caller's site (visible status), or null. A UID that
   * exists only at another site is audited as a denied access.
   */
  async studyByUid(ctx: RequestContext, uid: string, action = "DicomStudy.access"): Promise<DicomStudyRow | null> {
    const actor = ctx.authorize("patient:read");
    const [row] = await ctx.db.select().from(dicomStudy).where(and(eq(dicomStudy.siteId, actor.siteId), eq(dicomStudy.studyInstanceUid, uid), visibleStatus(ctx)));
    if (row) return row;
    const elsewhere = await ctx.db.select({ id: dicomStudy.id, siteId: dicomStudy.siteId }).from(dicomStudy).where(eq(dicomStudy.studyInstanceUid, uid)).limit(5);
    for (const e of elsewhere) ctx.recordOutOfScope("DicomStudy", e.id, action);
    return null;
  },

  async seriesOfStudy(ctx: RequestContext, study: DicomStudyRow, match: Record<string, string> = {}): Promise<DicomSeriesRow[]> {
    const where: SQL[] = [eq(dicomSeries.studyId, study.id), eq(dicomSeries.siteId, study.siteId)];
    if (match["0020000E"]) where.push(inArray(dicomSeries.seriesInstanceUid, uidList(match["0020000E"])));
    if (match["00080060"]) where.push(inArray(dicomSeries.modality, uidList(match["00080060"])));
    if (match["00200011"] && /^\d+$/.test(match["00200011"])) where.push(eq(dicomSeries.seriesNumber, Number(match["00200011"])));
    const rows = await ctx.db.select().from(dicomSeries).where(and(...where)).orderBy(asc(dicomSeries.seriesNumber), asc(dicomSeries.createdAt));
    for (const r of rows) ctx.recordRead("DicomSeries", r.id, r.patientId);
    return rows;
  },

  async seriesByUid(ctx: RequestContext, study: DicomStudyRow, uid: string): Promise<DicomSeriesRow | null> {
    const [row] = await ctx.db.select().from(dicomSeries).where(and(eq(dicomSeries.studyId, study.id), eq(dicomSeries.seriesInstanceUid, uid)));
    if (row) ctx.recordRead("DicomSeries", row.id, row.patientId);
    return row ?? null;
  },

  async instances(ctx: RequestContext, study: DicomStudyRow, series: DicomSeriesRow | null, match: Record<string, string> = {}): Promise<DicomInstanceRow[]> {
    const where: SQL[] = [eq(dicomInstance.studyId, study.id), eq(dicomInstance.siteId, study.siteId)];
    if (series) where.push(eq(dicomInstance.seriesId, series.id));
    if (match["00080018"]) where.push(inArray(dicomInstance.sopInstanceUid, uidList(match["00080018"])));
    if (match["00080016"]) where.push(inArray(dicomInstance.sopClassUid, uidList(match["00080016"])));
    if (match["00200013"] && /^\d+$/.test(match["00200013"])) where.push(eq(dicomInstance.instanceNumber, Number(match["00200013"])));
    const rows = await ctx.db.select().from(dicomInstance).where(and(...where)).orderBy(asc(dicomInstance.seriesId), asc(dicomInstance.instanceNumber), asc(dicomInstance.sliceLocationMm));
    ctx.recordRead("DicomStudy", study.id, study.patientId);
    if (series) ctx.recordRead("DicomSeries", series.id, series.patientId);
    return rows;
  },

  /**
   * The instance addressed by study/series/instance UIDs (the WADO-RS hot path: one query).
   * Records the read of the instance (patient data).
   */
  async instanceByUids(ctx: RequestContext, studyUid: string, seriesUid: string, sopUid: string): Promise<{ instance: DicomInstanceRow; patientId: string | null } | null> {
    const actor = ctx.authorize("patient:read");
    const cacheKey = `${actor.siteId}|${studyUid}|${sopUid}`;
    const cached = instanceCache.get(cacheKey);
    if (cached && cached.seriesUid === seriesUid) {
      ctx.recordRead("DicomInstance", cached.instance.id, cached.patientId);
      return { instance: cached.instance, patientId: cached.patientId };
    }
    const rows = await ctx.db
      .select({ i: dicomInstance, patientId: dicomStudy.patientId, status: dicomStudy.status, seriesUid: dicomSeries.seriesInstanceUid })
      .from(dicomInstance)
      .innerJoin(dicomStudy, eq(dicomStudy.id, dicomInstance.studyId))
      .innerJoin(dicomSeries, eq(dicomSeries.id, dicomInstance.seriesId))
      .where(and(eq(dicomInstance.siteId, actor.siteId), eq(dicomInstance.sopInstanceUid, sopUid), eq(dicomStudy.studyInstanceUid, studyUid)))
      .limit(1);
    const r = rows[0];
    if (!r || r.seriesUid !== seriesUid || (r.status === "QUARANTINED" && !ctx.can("quarantine:resolve"))) {
      const elsewhere = await ctx.db.select({ id: dicomInstance.id }).from(dicomInstance).where(eq(dicomInstance.sopInstanceUid, sopUid)).limit(5);
      for (const e of elsewhere) if (!r || e.id !== r.i.id) ctx.recordOutOfScope("DicomInstance", e.id, "DicomInstance.access");
      return null;
    }
    ctx.recordRead("DicomInstance", r.i.id, r.patientId);
    if (r.status === "ACTIVE") {
      if (instanceCache.size >= INSTANCE_CACHE_MAX) instanceCache.delete(instanceCache.keys().next().value!);
      instanceCache.set(cacheKey, { instance: r.i, patientId: r.patientId, seriesUid: r.seriesUid });
    }
    return { instance: r.i, patientId: r.patientId };
  },

  /** GraphQL: studies of the site (optionally one patient's), newest first, with visibility rules. */
  async listStudies(ctx: RequestContext, args: { patientId?: string | null; status?: "ACTIVE" | "QUARANTINED" | null; first: number; offset: number }) {
    const actor = ctx.authorize("patient:read");
    const where: SQL[] = [eq(dicomStudy.siteId, actor.siteId), visibleStatus(ctx)];
    if (args.patientId) where.push(eq(dicomStudy.patientId, args.patientId));
    if (args.status) where.push(eq(dicomStudy.status, args.status));
    const [rows, [total]] = await Promise.all([
      ctx.db.select().from(dicomStudy).where(and(...where)).orderBy(desc(dicomStudy.createdAt), desc(dicomStudy.id)).limit(args.first + 1).offset(args.offset),
      ctx.db.select({ n: count() }).from(dicomStudy).where(and(...where)),
    ]);
    for (const r of rows.slice(0, args.first)) ctx.recordRead("DicomStudy", r.id, r.patientId);
    return { rows, total: total?.n ?? 0 };
  },

  /** GraphQL node lookup by global id (scoped; out-of-scope audited). */
  async studyById(ctx: RequestContext, globalId: string): Promise<DicomStudyRow | null> {
    const actor = ctx.authorize("patient:read");
    const id = idOf(globalId, "DicomStudy");
    if (!id) return null;
    const [row] = await ctx.db.select().from(dicomStudy).where(and(eq(dicomStudy.id, id), eq(dicomStudy.siteId, actor.siteId), visibleStatus(ctx)));
    if (!row) {
      ctx.recordOutOfScope("DicomStudy", id, "DicomStudy.access");
      return null;
    }
    ctx.recordRead("DicomStudy", row.id, row.patientId);
    return row;
  },

  async seriesById(ctx: RequestContext, id: string): Promise<DicomSeriesRow | null> {
    const actor = ctx.authorize("patient:read");
    const rows = await ctx.db
      .select({ s: dicomSeries, status: dicomStudy.status })
      .from(dicomSeries)
      .innerJoin(dicomStudy, eq(dicomStudy.id, dicomSeries.studyId))
      .where(and(eq(dicomSeries.id, id), eq(dicomSeries.siteId, actor.siteId)));
    const r = rows[0];
    if (!r || (r.status === "QUARANTINED" && !ctx.can("quarantine:resolve"))) {
      ctx.recordOutOfScope("DicomSeries", id, "DicomSeries.access");
      return null;
    }
    ctx.recordRead("DicomSeries", r.s.id, r.s.patientId);
    return r.s;
  },

  async seriesByStudyIds(ctx: RequestContext, studyIds: readonly string[]): Promise<DicomSeriesRow[]> {
    const actor = ctx.requireActor();
    const rows = await ctx.db.select().from(dicomSeries).where(and(inArray(dicomSeries.studyId, [...studyIds]), eq(dicomSeries.siteId, actor.siteId))).orderBy(asc(dicomSeries.seriesNumber));
    for (const r of rows) ctx.recordRead("DicomSeries", r.id, r.patientId);
    return rows;
  },

  /** Study UID → its row, for GraphQL studies of a patient. */
  async studiesOfPatients(ctx: RequestContext, patientIds: readonly string[]): Promise<DicomStudyRow[]> {
    const actor = ctx.requireActor();
    const rows = await ctx.db.select().from(dicomStudy).where(and(inArray(dicomStudy.patientId, [...patientIds]), eq(dicomStudy.siteId, actor.siteId), or(eq(dicomStudy.status, "ACTIVE")))).orderBy(desc(dicomStudy.studyDate));
    for (const r of rows) ctx.recordRead("DicomStudy", r.id, r.patientId);
    return rows;
  },
};

export type { DicomJson };
