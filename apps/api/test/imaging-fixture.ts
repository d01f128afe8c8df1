import { eq } from "drizzle-orm";
import { dicomSeries, dicomStudy, lesionCandidate, quantificationJob } from "@lutetia/db";
import { uidFromKey } from "@lutetia/dicom";
import { toGlobalId } from "../src/shared/ids";
import type { Client, TestServer } from "./harness";
import { uniq, type ClinicalFixture } from "./fixtures";
import { petSeries, stow } from "./imaging-helpers";

/**
 * Imaging fixture for the permission tests: a small PET series filed under the clinical
 * fixture's patient (MRN + birth date match), a quarantined study, and four PROPOSED lesion
 * candidates of a finished job on the series (inserted directly: the worker is not what is tested).
 */
export interface ImagingFixture {
  seriesId: string;
  quarantinedStudyId: string;
  candidateIds: string[];
}

export async function imagingFixture(server: TestServer, coord: Client, fx: ClinicalFixture, birthDate = "1958-03-14"): Promise<ImagingFixture> {
  const key = `perm-${uniq()}`;
  const matched = petSeries({ mrn: fx.mrn, birthDate, uidKey: key, nx: 8, ny: 8, nz: 2, lesions: 0, spacingMm: [40, 40, 8] });
  const r1 = await stow(coord, matched.files);
  if (r1.status !== 200) throw new Error(`imaging fixture STOW failed: ${r1.status}`);
  const outside = petSeries({ mrn: `OUT-${uniq()}`.slice(0, 20), uidKey: `${key}-q`, nx: 8, ny: 8, nz: 1, lesions: 0, spacingMm: [40, 40, 8] });
  const r2 = await stow(coord, outside.files);
  if (r2.status !== 200) throw new Error(`imaging fixture STOW (quarantine) failed: ${r2.status}`);
  const db = server.db.db;
  const [series] = await db.select().from(dicomSeries).where(eq(dicomSeries.seriesInstanceUid, uidFromKey(`${key}/series`)));
  const [q] = await db.select().from(dicomStudy).where(eq(dicomStudy.studyInstanceUid, uidFromKey(`${key}-q/study`)));
  if (!series?.patientId || q?.status !== "QUARANTINED") throw new Error("imaging fixture: unexpected ingest result");
  const [job] = await db
    .insert(quantificationJob)
    .values({ siteId: series.siteId, seriesId: series.id, studyId: series.studyId, patientId: series.patientId, method: "THRESHOLD", params: { threshold: 5 }, status: "SUCCEEDED", progress: 100, attempts: 1 })
    .returning();
  const rows = await db
    .insert(lesionCandidate)
    .values(
      [1, 2, 3, 4].map((rank) => ({
        siteId: series.siteId, patientId: series.patientId!, studyId: series.studyId, seriesId: series.id, jobId: job!.id, rank,
        suvMax: 10 - rank, suvPeak: 8 - rank, suvMean: 6 - rank, suvSd: 0.5, volumeMl: 2, tlg: 2 * (6 - rank), voxelCount: 20,
        centroidMm: [rank * 10, 0, 0] as [number, number, number], provenance: { method: "THRESHOLD", fixture: true },
      })),
    )
    .returning({ id: lesionCandidate.id });
  return {
    seriesId: toGlobalId("DicomSeries", series.id),
    quarantinedStudyId: toGlobalId("DicomStudy", q.id),
    candidateIds: rows.map((c) => toGlobalId("LesionCandidate", c.id)),
  };
}
