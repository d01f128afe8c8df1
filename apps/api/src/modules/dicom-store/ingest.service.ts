import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  dicomInstance,
  dicomSeries,
  dicomStudy,
  imagingStudy,
  patient,
  seriesQaOverride,
  type DicomJson,
  type DicomSeriesRow,
  type DicomStudyRow,
  type Tx,
} from "@lutetia/db";
import type { PetInstanceMetadata, PetQaOverrides } from "@lutetia/dicom";
import type { RequestContext } from "../../graphql/context";
import { appendAudit, type AuditEntry } from "../../audit/audit.service";
import type { StoredObject } from "../../storage/storage";
import { DicomFileRejected, type ParsedFile } from "./dicom-file";
import { deriveSeries } from "./series-quant";

/** One file of a request after it was stored and parsed (or refused). */
export interface IncomingFile {
  name: string;
  stored: StoredObject | null;
  parsed: ParsedFile | null;
  error: DicomFileRejected | null;
}

export type InstanceOutcome = "STORED" | "DUPLICATE" | "CONFLICT" | "FAILED";

export interface InstanceResult {
  name: string;
  sopInstanceUid: string | null;
  sopClassUid: string | null;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  outcome: InstanceOutcome;
  /** PS3.18 / PS3.4 failure reason (0x0111 duplicate SOP instance with other content, 0xA900, 0xC000 ...). */
  failureReason: number | null;
  message: string | null;
  studyId: string | null;
}

export interface IngestResult {
  instances: InstanceResult[];
  studies: { id: string; studyInstanceUid: string; status: "ACTIVE" | "QUARANTINED"; quarantineReason: string | null; patientId: string | null }[];
}

/** PS3.5 DA → ISO date, or null. */
function daToIso(da: string | null): string | null {
  if (!da) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.replace(/[.-]/g, ""));
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

const STUDY_TAGS = ["00080020", "00080030", "00080050", "00080090", "00081030", "00100010", "00100020", "00100030", "00100040", "00101010", "00101020", "00101030", "0020000D", "00200010"];
const SERIES_TAGS = ["00080021", "00080031", "00080060", "0008103E", "00180015", "0020000E", "00200011", "00200052", "00540016", "00541001", "00541102"];

function pick(md: DicomJson, tags: string[]): DicomJson {
  const out: DicomJson = {};
  for (const t of tags) if (md[t]) out[t] = md[t];
  return out;
}

export const MODALITY_OF: Record<string, "PET" | "SPECT" | "CT" | "MRI"> = { PT: "PET", NM: "SPECT", CT: "CT", MR: "MRI" };

/**
 * Patient match for a new study: PatientID (0010,0020) must equal a site MRN AND
 * PatientBirthDate (0010,0030) that patient's birth date. Anything else quarantines the study
 * with a machine-readable reason (no PHI in the reason).
 */
async function matchPatient(tx: Tx, siteId: string, pid: string | null, birth: string | null): Promise<{ patientId: string | null; reason: string | null }> {
  if (!pid) return { patientId: null, reason: "NO_PATIENT_ID" };
  const rows = await tx.select({ id: patient.id, birthDate: patient.birthDate }).from(patient).where(and(eq(patient.siteId, siteId), eq(patient.mrn, pid)));
  const p = rows[0];
  if (!p) return { patientId: null, reason: "NO_MATCHING_MRN" };
  const iso = daToIso(birth);
  if (!iso) return { patientId: null, reason: "BIRTH_DATE_MISSING" };
  if (iso !== p.birthDate) return { patientId: null, reason: "BIRTH_DATE_MISMATCH" };
  return { patientId: p.id, reason: null };
}

/**
 * Files the DICOM study under the patient's clinical imaging_study record: links the one with
 * the same Study Instance UID, or creates it (modality from the series, date/time from the
 * study, injected activity/time and weight from the PET header). Audited by the caller.
 */
export async function linkImagingStudy(tx: Tx, study: DicomStudyRow, entries: AuditEntry[], base: Omit<AuditEntry, "action" | "entityType" | "entityId" | "patientId">): Promise<string | null> {
  if (!study.patientId) return null;
  const existing = await tx.select({ id: imagingStudy.id, patientId: imagingStudy.patientId }).from(imagingStudy).where(and(eq(imagingStudy.siteId, study.siteId), eq(imagingStudy.studyInstanceUid, study.studyInstanceUid)));
  let id: string;
  if (existing[0]) {
    if (existing[0].patientId !== study.patientId) return null; // registered for another patient: leave unlinked (shown as a warning)
    id = existing[0].id;
  } else {
    const series = await tx.select().from(dicomSeries).where(eq(dicomSeries.studyId, study.id));
    const mods = series.map((s) => s.modality ?? "");
    const modality = MODALITY_OF[mods.find((m) => m === "PT") ?? mods.find((m) => m === "NM") ?? mods[0] ?? ""] ?? "PET";
    const quant = series.find((s) => s.modality === "PT" || s.modality === "NM");
    const inputs = (quant?.suv as { inputs?: { injectedDoseBq?: number; weightKg?: number; injectionTime?: string } } | null)?.inputs;
    const date = daToIso(study.studyDate) ?? new Date().toISOString().slice(0, 10);
    const t = (study.studyTime ?? "000000").replace(/[^0-9.]/g, "").padEnd(6, "0");
    const performedAt = new Date(`${date}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`);
    const prior = await tx.select({ n: sql<number>`count(*)::int` }).from(imagingStudy).where(and(eq(imagingStudy.patientId, study.patientId), isNull(imagingStudy.voidedAt)));
    const injectedAt = inputs?.injectionTime ? new Date(`${inputs.injectionTime.replace(" ", "T")}Z`) : null;
    const [row] = await tx
      .insert(imagingStudy)
      .values({
        siteId: study.siteId,
        patientId: study.patientId,
        modality,
        performedAt: Number.isNaN(performedAt.getTime()) ? new Date() : performedAt,
        purpose: (prior[0]?.n ?? 0) === 0 ? "BASELINE" : "FOLLOW_UP",
        studyInstanceUid: study.studyInstanceUid,
        injectedActivityMBq: inputs?.injectedDoseBq ? inputs.injectedDoseBq / 1e6 : null,
        injectedAt: injectedAt && !Number.isNaN(injectedAt.getTime()) ? injectedAt : null,
        weightKg: inputs?.weightKg ?? null,
      })
      .returning({ id: imagingStudy.id });
    id = row!.id;
    entries.push({ ...base, action: "study.create", entityType: "ImagingStudy", entityId: id, patientId: study.patientId, detail: { source: "dicom", dicomStudyId: study.id } });
  }
  await tx.update(dicomStudy).set({ imagingStudyId: id, updatedAt: new Date() }).where(eq(dicomStudy.id, study.id));
  return id;
}

/**
 * Re-derives QA findings and the SUV factor of one series from its stored header values and the
 * override in force, and stores them (used on ingest and on override change).
 */
export async function rederiveSeries(tx: Tx, series: DicomSeriesRow): Promise<ReturnType<typeof deriveSeries> | null> {
  if (series.modality !== "PT" && series.modality !== "NM") return null;
  const rows = await tx.select({ pet: dicomInstance.pet }).from(dicomInstance).where(eq(dicomInstance.seriesId, series.id)).orderBy(asc(dicomInstance.instanceNumber));
  const [ov] = await tx.select().from(seriesQaOverride).where(eq(seriesQaOverride.seriesId, series.id));
  const pets = rows.map((r) => (r.pet ?? {}) as PetInstanceMetadata);
  let voxelVolumeMl: number | null = null;
  const [first] = series.modality === "NM" ? await tx.select({ md: dicomInstance.metadata }).from(dicomInstance).where(eq(dicomInstance.seriesId, series.id)).limit(1) : [];
  const md = first?.md;
  if (md) {
    const ps = md["00280030"]?.Value as number[] | undefined;
    const th = (md["00180088"]?.Value?.[0] ?? md["00180050"]?.Value?.[0]) as number | undefined;
    if (ps && ps.length === 2 && th) voxelVolumeMl = (ps[0]! * ps[1]! * th) / 1000;
  }
  const d = deriveSeries(pets, (ov?.overrides as PetQaOverrides | undefined) ?? null, ov?.version ?? null, { voxelVolumeMl });
  await tx
    .update(dicomSeries)
    .set({ qa: d.qa as unknown as Record<string, unknown>, qaBlocking: d.qa.blocking, suv: d.suv as unknown as Record<string, unknown>, updatedAt: new Date() })
    .where(eq(dicomSeries.id, series.id));
  return d;
}

export const IngestService = {
  /** Upload permission check before any byte is stored (audited when denied). */
  authorizeUpload(ctx: RequestContext) {
    return ctx.authorize("imaging:upload");
  },

  /**
   * Indexes the stored files of one request in ONE transaction (crash safety: until it commits
   * nothing of the request is visible; files already stored are content-addressed and re-sending
   * completes the request). Idempotent by SOP Instance UID: same bytes → DUPLICATE (no-op),
   * other bytes → CONFLICT (0x0111), original kept. New studies are matched to a patient or
   * quarantined. Audit rows are written in the same transaction.
   *
   * @param opts.studyInstanceUid - STOW-RS `POST /studies/{uid}`: other studies fail with 0xA900.
   * @param opts.onProgress - called with the number of instances indexed so far (inside the transaction).
   */
  async index(ctx: RequestContext, files: IncomingFile[], opts: { studyInstanceUid?: string; source?: string; onProgress?: (indexed: number) => void } = {}): Promise<IngestResult> {
    const actor = ctx.authorize("imaging:upload");
    const results: InstanceResult[] = files.map((f) => ({
      name: f.name,
      sopInstanceUid: f.parsed?.sopInstanceUid ?? f.error?.sopInstanceUid ?? null,
      sopClassUid: f.parsed?.sopClassUid ?? f.error?.sopClassUid ?? null,
      studyInstanceUid: f.parsed?.studyInstanceUid ?? null,
      seriesInstanceUid: f.parsed?.seriesInstanceUid ?? null,
      outcome: f.error || !f.parsed || !f.stored ? "FAILED" : "STORED",
      failureReason: f.error ? f.error.failureReason : f.parsed && f.stored ? null : 0xc000,
      message: f.error?.message ?? (f.parsed && f.stored ? null : "not stored"),
      studyId: null,
    }));
    const fail = (r: InstanceResult, reason: number, message: string, outcome: InstanceOutcome = "FAILED") => {
      r.outcome = outcome;
      r.failureReason = reason;
      r.message = message;
    };
    // within-request duplicates and study restriction
    const seenInRequest = new Map<string, number>();
    files.forEach((f, i) => {
      const r = results[i]!;
      if (r.outcome !== "STORED" || !f.parsed) return;
      if (opts.studyInstanceUid && f.parsed.studyInstanceUid !== opts.studyInstanceUid) {
        fail(r, 0xa900, "Study Instance UID differs from the study in the request URL");
        return;
      }
      const prev = seenInRequest.get(f.parsed.sopInstanceUid);
      if (prev !== undefined) {
        const same = files[prev]!.stored!.sha256 === f.stored!.sha256;
        if (same) r.outcome = "DUPLICATE";
        else fail(r, 0x0111, "the same SOP Instance UID was sent twice with different content in this request", "CONFLICT");
        return;
      }
      seenInRequest.set(f.parsed.sopInstanceUid, i);
    });

    const studiesOut = new Map<string, IngestResult["studies"][number]>();
    const base = { actorUserId: actor.userId, siteId: actor.siteId, outcome: "SUCCESS" as const, requestId: ctx.requestId };

    await ctx.db.transaction(async (tx) => {
      const audit: AuditEntry[] = [];
      const candidates = files.map((f, i) => ({ f, r: results[i]! })).filter((x) => x.r.outcome === "STORED" && x.f.parsed);
      // existing instances by SOP Instance UID (idempotency)
      const uids = [...new Set(candidates.map((c) => c.f.parsed!.sopInstanceUid))];
      const existing = new Map<string, { sha256: string; studyId: string }>();
      for (let i = 0; i < uids.length; i += 500) {
        const chunk = uids.slice(i, i + 500);
        const rows = await tx.select({ uid: dicomInstance.sopInstanceUid, sha256: dicomInstance.sha256, studyId: dicomInstance.studyId }).from(dicomInstance).where(and(eq(dicomInstance.siteId, actor.siteId), inArray(dicomInstance.sopInstanceUid, chunk)));
        for (const r of rows) existing.set(r.uid, { sha256: r.sha256, studyId: r.studyId });
      }
      const fresh: typeof candidates = [];
      for (const c of candidates) {
        const ex = existing.get(c.f.parsed!.sopInstanceUid);
        if (!ex) {
          fresh.push(c);
          continue;
        }
        c.r.studyId = ex.studyId;
        if (ex.sha256 === c.f.stored!.sha256) c.r.outcome = "DUPLICATE";
        else fail(c.r, 0x0111, "an instance with this SOP Instance UID is already stored with different content; the stored instance was kept", "CONFLICT");
      }

      // studies
      const studyRows = new Map<string, DicomStudyRow>();
      const newStudies = new Set<string>();
      for (const c of fresh) {
        const p = c.f.parsed!;
        if (studyRows.has(p.studyInstanceUid)) continue;
        let [s] = await tx.select().from(dicomStudy).where(and(eq(dicomStudy.siteId, actor.siteId), eq(dicomStudy.studyInstanceUid, p.studyInstanceUid))).for("update");
        if (!s) {
          const m = await matchPatient(tx, actor.siteId, p.patientId, p.patientBirthDate);
          const str = (t: string) => (p.metadata[t]?.Value?.[0] as string | undefined) ?? null;
          // ON CONFLICT DO NOTHING: a concurrent request creating the same study wins; we then use its row
          [s] = await tx
            .insert(dicomStudy)
            .values({
              siteId: actor.siteId, patientId: m.patientId, studyInstanceUid: p.studyInstanceUid, status: m.patientId ? "ACTIVE" : "QUARANTINED", quarantineReason: m.reason,
              dicomPatientId: p.patientId, dicomBirthDate: p.patientBirthDate, studyDate: str("00080020"), studyTime: str("00080030"), accessionNumber: str("00080050"), studyDescription: str("00081030"),
              attributes: pick(p.metadata, STUDY_TAGS),
            })
            .onConflictDoNothing({ target: [dicomStudy.siteId, dicomStudy.studyInstanceUid] })
            .returning();
          if (s) {
            newStudies.add(p.studyInstanceUid);
            if (!m.patientId) audit.push({ ...base, action: "dicom.quarantine", entityType: "DicomStudy", entityId: s.id, patientId: null, detail: { reason: m.reason } });
          } else {
            [s] = await tx.select().from(dicomStudy).where(and(eq(dicomStudy.siteId, actor.siteId), eq(dicomStudy.studyInstanceUid, p.studyInstanceUid))).for("update");
          }
        }
        studyRows.set(p.studyInstanceUid, s!);
      }

      // identity consistency within a study
      for (const c of fresh) {
        const p = c.f.parsed!;
        const s = studyRows.get(p.studyInstanceUid)!;
        c.r.studyId = s.id;
        if ((s.dicomPatientId ?? null) !== (p.patientId ?? null) || daToIso(s.dicomBirthDate) !== daToIso(p.patientBirthDate)) {
          fail(c.r, 0xa900, "PatientID / PatientBirthDate differ from the instances already stored in this study; not attached");
        }
      }
      const toInsert = fresh.filter((c) => c.r.outcome === "STORED");

      // series
      const seriesRows = new Map<string, DicomSeriesRow>();
      for (const c of toInsert) {
        const p = c.f.parsed!;
        if (seriesRows.has(p.seriesInstanceUid)) continue;
        const s = studyRows.get(p.studyInstanceUid)!;
        let [se] = await tx.select().from(dicomSeries).where(and(eq(dicomSeries.siteId, actor.siteId), eq(dicomSeries.seriesInstanceUid, p.seriesInstanceUid))).for("update");
        if (!se) {
          [se] = await tx
            .insert(dicomSeries)
            .values({
              siteId: actor.siteId, studyId: s.id, patientId: s.patientId, seriesInstanceUid: p.seriesInstanceUid, modality: p.modality, seriesNumber: p.seriesNumber,
              seriesDescription: (p.metadata["0008103E"]?.Value?.[0] as string | undefined) ?? null, frameOfReferenceUid: p.frameOfReferenceUid, attributes: pick(p.metadata, SERIES_TAGS),
            })
            .onConflictDoNothing({ target: [dicomSeries.siteId, dicomSeries.seriesInstanceUid] })
            .returning();
          if (!se) [se] = await tx.select().from(dicomSeries).where(and(eq(dicomSeries.siteId, actor.siteId), eq(dicomSeries.seriesInstanceUid, p.seriesInstanceUid))).for("update");
        }
        seriesRows.set(p.seriesInstanceUid, se!);
      }
      const valid = toInsert.filter((c) => {
        const se = seriesRows.get(c.f.parsed!.seriesInstanceUid)!;
        if (se.studyId !== c.r.studyId) {
          fail(c.r, 0xa900, "Series Instance UID already belongs to another study");
          return false;
        }
        return true;
      });

      let indexed = 0;
      for (let i = 0; i < valid.length; i += 100) {
        const chunk = valid.slice(i, i + 100);
        const inserted = await tx.insert(dicomInstance).values(
          chunk.map((c) => {
            const p = c.f.parsed!;
            const se = seriesRows.get(p.seriesInstanceUid)!;
            return {
              siteId: actor.siteId, studyId: se.studyId, seriesId: se.id, sopInstanceUid: p.sopInstanceUid, sopClassUid: p.sopClassUid, instanceNumber: p.instanceNumber,
              transferSyntaxUid: p.transferSyntaxUid, storageKey: c.f.stored!.key, sha256: c.f.stored!.sha256, sizeBytes: c.f.stored!.size, numberOfFrames: p.numberOfFrames,
              pixelDataOffset: p.pixelDataOffset, frameLength: p.frameLength, sliceLocationMm: p.sliceLocationMm, metadata: p.metadata, pet: (p.pet as Record<string, unknown> | null) ?? null,
            };
          }),
        )
          .onConflictDoNothing({ target: [dicomInstance.siteId, dicomInstance.sopInstanceUid] })
          .returning({ uid: dicomInstance.sopInstanceUid });
        if (inserted.length < chunk.length) {
          // a concurrent request stored some of these SOP Instance UIDs first: same bytes → duplicate, else conflict
          const got = new Set(inserted.map((r) => r.uid));
          const lost = chunk.filter((c) => !got.has(c.f.parsed!.sopInstanceUid));
          const rows = await tx.select({ uid: dicomInstance.sopInstanceUid, sha256: dicomInstance.sha256 }).from(dicomInstance).where(and(eq(dicomInstance.siteId, actor.siteId), inArray(dicomInstance.sopInstanceUid, lost.map((c) => c.f.parsed!.sopInstanceUid))));
          const shaOf = new Map(rows.map((r) => [r.uid, r.sha256]));
          for (const c of lost) {
            if (shaOf.get(c.f.parsed!.sopInstanceUid) === c.f.stored!.sha256) c.r.outcome = "DUPLICATE";
            else fail(c.r, 0x0111, "an instance with this SOP Instance UID was stored concurrently with different content; the stored instance was kept", "CONFLICT");
          }
        }
        indexed += chunk.length;
        opts.onProgress?.(indexed);
      }

      // counts, QA/SUV of touched series, study link, audit
      const touchedSeries = new Set(valid.map((c) => c.f.parsed!.seriesInstanceUid));
      for (const uid of touchedSeries) {
        const se = seriesRows.get(uid)!;
        const [cnt] = await tx.select({ n: sql<number>`count(*)::int` }).from(dicomInstance).where(eq(dicomInstance.seriesId, se.id));
        const [updated] = await tx.update(dicomSeries).set({ instanceCount: cnt?.n ?? 0, updatedAt: new Date() }).where(eq(dicomSeries.id, se.id)).returning();
        await rederiveSeries(tx, updated!);
      }
      for (const [uid, s] of studyRows) {
        const mine = results.filter((r) => r.studyInstanceUid === uid && r.studyId === s.id);
        const stored = mine.filter((r) => r.outcome === "STORED").length;
        if (s.status === "ACTIVE" && !s.imagingStudyId && stored > 0) await linkImagingStudy(tx, s, audit, base);
        audit.push({
          ...base, action: "dicom.store", entityType: "DicomStudy", entityId: s.id, patientId: s.patientId,
          detail: { source: opts.source ?? "stow-rs", stored, duplicates: mine.filter((r) => r.outcome === "DUPLICATE").length, conflicts: mine.filter((r) => r.outcome === "CONFLICT").length, failed: mine.filter((r) => r.outcome === "FAILED").length, newStudy: newStudies.has(uid) },
        });
        studiesOut.set(uid, { id: s.id, studyInstanceUid: uid, status: s.status, quarantineReason: s.quarantineReason, patientId: s.patientId });
      }
      // conflicts on already-stored studies are audited too (refused writes)
      const refused = results.filter((r) => r.outcome === "CONFLICT" && r.studyId && ![...studyRows.values()].some((s) => s.id === r.studyId));
      for (const r of refused) audit.push({ ...base, outcome: "FAILURE", action: "dicom.store", entityType: "DicomStudy", entityId: r.studyId, patientId: null, detail: { conflict: true, failureReason: 0x0111 } });
      await appendAudit(tx, audit);
    });
    return { instances: results, studies: [...studiesOut.values()] };
  },
};
