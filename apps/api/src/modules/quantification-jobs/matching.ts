import { and, eq, inArray, isNotNull, ne } from "drizzle-orm";
import { dicomSeries, lesion, lesionCandidate, type DicomSeriesRow, type Tx } from "@lutetia/db";

type Vec3 = [number, number, number];

/** Same frame of reference: the candidate is the lesion when centroids are within this distance. */
export const SAME_FOR_TOLERANCE_MM = 15;
/** Different frames of reference, after aligning body-outline centroids. */
export const ALIGNED_TOLERANCE_MM = 30;

const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * Proposes, for each new candidate, which of the patient's known lesions it is (the physician
 * confirms on accept). Known lesions are those accepted from earlier candidates (their centroid,
 * frame of reference and series body centroid are known):
 * - same FrameOfReferenceUID → nearest centroid within 15 mm;
 * - otherwise translate by the difference of body-outline centroids (a rigid, translation-only
 *   alignment of the body outline — robust to table position and FOV differences) and take the
 *   nearest within 30 mm.
 * Ties and ambiguity (two lesions within tolerance) are recorded in `match.alternatives`.
 */
export async function proposeMatches(tx: Tx, series: DicomSeriesRow, candidateIds: string[]): Promise<void> {
  if (!candidateIds.length) return;
  const cands = await tx.select().from(lesionCandidate).where(inArray(lesionCandidate.id, candidateIds));
  const patientId = cands[0]?.patientId;
  if (!patientId) return;
  const known = await tx
    .select({ c: lesionCandidate, forUid: dicomSeries.frameOfReferenceUid, body: dicomSeries.bodyCentroidMm, label: lesion.label, voided: lesion.voidedAt })
    .from(lesionCandidate)
    .innerJoin(dicomSeries, eq(dicomSeries.id, lesionCandidate.seriesId))
    .innerJoin(lesion, eq(lesion.id, lesionCandidate.lesionId))
    .where(and(eq(lesionCandidate.patientId, patientId), eq(lesionCandidate.status, "ACCEPTED"), isNotNull(lesionCandidate.lesionId), ne(lesionCandidate.studyId, series.studyId)));
  // latest accepted position per lesion
  const byLesion = new Map<string, (typeof known)[number]>();
  for (const k of known) {
    if (k.voided) continue;
    const prev = byLesion.get(k.c.lesionId!);
    if (!prev || prev.c.createdAt < k.c.createdAt) byLesion.set(k.c.lesionId!, k);
  }
  if (!byLesion.size) return;
  for (const c of cands) {
    const scored: { lesionId: string; label: string; distanceMm: number; method: string }[] = [];
    for (const [lesionId, k] of byLesion) {
      const same = !!series.frameOfReferenceUid && series.frameOfReferenceUid === k.forUid;
      let d: number;
      let method: string;
      if (same) {
        d = dist(c.centroidMm, k.c.centroidMm);
        method = "SAME_FRAME_OF_REFERENCE";
      } else if (series.bodyCentroidMm && k.body) {
        const shift: Vec3 = [series.bodyCentroidMm[0] - k.body[0], series.bodyCentroidMm[1] - k.body[1], series.bodyCentroidMm[2] - k.body[2]];
        d = dist(c.centroidMm, [k.c.centroidMm[0] + shift[0], k.c.centroidMm[1] + shift[1], k.c.centroidMm[2] + shift[2]]);
        method = "BODY_CENTROID_ALIGNED";
      } else continue;
      const tol = same ? SAME_FOR_TOLERANCE_MM : ALIGNED_TOLERANCE_MM;
      if (d <= tol) scored.push({ lesionId, label: k.label, distanceMm: Math.round(d * 10) / 10, method });
    }
    scored.sort((a, b) => a.distanceMm - b.distanceMm);
    const best = scored[0];
    if (!best) continue;
    await tx
      .update(lesionCandidate)
      .set({ matchedLesionId: best.lesionId, match: { method: best.method, distanceMm: best.distanceMm, toleranceMm: best.method === "SAME_FRAME_OF_REFERENCE" ? SAME_FOR_TOLERANCE_MM : ALIGNED_TOLERANCE_MM, alternatives: scored.slice(1, 4) } })
      .where(eq(lesionCandidate.id, c.id));
  }
}
