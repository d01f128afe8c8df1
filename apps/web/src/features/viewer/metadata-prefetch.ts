/**
 * Series WADO-RS metadata requested as soon as the route knows the study, while the viewer's
 * Cornerstone3D chunk is still downloading and compiling (bench:web: the metadata was on the
 * critical path after the chunk). Deliberately free of Cornerstone imports so the route page can
 * use it; the viewer takes the promise (one request per series and page visit).
 */
export type DicomJson = Record<string, { vr?: string; Value?: unknown[] }>;

/** A prefetch older than this is not used (the series may have gained instances since). */
const FRESH_MS = 30_000;
const inFlight = new Map<string, { at: number; p: Promise<DicomJson[]> }>();

async function fetchMetadata(seriesUrl: string): Promise<DicomJson[]> {
  const res = await fetch(`${seriesUrl}/metadata`, { headers: { accept: "application/dicom+json" }, credentials: "same-origin" });
  if (!res.ok) throw new Error(`DICOMweb metadata request failed (HTTP ${res.status})`);
  return (await res.json()) as DicomJson[];
}

/** Starts (once) the metadata request of a series. Errors surface when the viewer takes it. */
export function prefetchSeriesMetadata(seriesUrl: string): void {
  const cur = inFlight.get(seriesUrl);
  if (cur && Date.now() - cur.at < FRESH_MS) return;
  const p = fetchMetadata(seriesUrl);
  p.catch(() => undefined); // handled by takeSeriesMetadata's caller
  inFlight.set(seriesUrl, { at: Date.now(), p });
}

/** The prefetched metadata (or a fresh request); the entry is consumed so a reload refetches. */
export function takeSeriesMetadata(seriesUrl: string): Promise<DicomJson[]> {
  const cur = inFlight.get(seriesUrl);
  inFlight.delete(seriesUrl);
  return cur && Date.now() - cur.at < FRESH_MS ? cur.p : fetchMetadata(seriesUrl);
}
