/**
 * Browser side of `POST /api/uploads` (multipart/form-data, DICOM files and/or zips, header
 * X-Requested-With for CSRF): batching, XMLHttpRequest upload progress, result parsing.
 */

export type FileOutcome = "STORED" | "DUPLICATE" | "CONFLICT" | "FAILED";

export interface UploadFileResult {
  readonly name: string;
  readonly outcome: FileOutcome;
  readonly sopInstanceUid?: string | null;
  readonly message?: string | null;
}

export interface UploadStudyResult {
  readonly studyInstanceUid: string;
  readonly status: "ACTIVE" | "QUARANTINED";
  readonly quarantineReason?: string | null;
}

export interface UploadResult {
  readonly summary: { stored: number; duplicates: number; conflicts: number; failed: number };
  readonly studies: readonly UploadStudyResult[];
  readonly files: readonly UploadFileResult[];
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Batches of at most `maxFiles` files / `maxBytes` bytes (a larger single file is its own batch). */
export function batchFiles<T extends { size: number }>(files: readonly T[], maxFiles = 50, maxBytes = 32 * 1024 * 1024): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const f of files) {
    if (cur.length > 0 && (cur.length >= maxFiles || bytes + f.size > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(f);
    bytes += f.size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Adds batch results together; studies are de-duplicated by UID (the last status wins). */
export function mergeResults(results: readonly UploadResult[]): UploadResult {
  const summary = { stored: 0, duplicates: 0, conflicts: 0, failed: 0 };
  const studies = new Map<string, UploadStudyResult>();
  const files: UploadFileResult[] = [];
  for (const r of results) {
    summary.stored += r.summary.stored;
    summary.duplicates += r.summary.duplicates;
    summary.conflicts += r.summary.conflicts;
    summary.failed += r.summary.failed;
    for (const s of r.studies) studies.set(s.studyInstanceUid, s);
    files.push(...r.files);
  }
  return { summary, studies: [...studies.values()], files };
}

/** Human text for the API's quarantine reason codes. */
export function quarantineReasonText(code: string | null | undefined): string {
  switch (code) {
    case "NO_PATIENT_ID":
      return "No Patient ID in the DICOM header";
    case "NO_MATCHING_MRN":
      return "Patient ID matches no MRN at this site";
    case "BIRTH_DATE_MISSING":
      return "Birth date missing in the DICOM header";
    case "BIRTH_DATE_MISMATCH":
      return "Birth date differs from the patient's";
    case null:
    case undefined:
      return "—";
    default:
      return code;
  }
}

function parseError(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: string };
    if (body.error) return body.error;
  } catch {
    /* not JSON */
  }
  if (xhr.status === 401) return "Your session has expired; sign in again";
  if (xhr.status === 403) return "You are not allowed to upload images";
  if (xhr.status === 413) return "The upload is too large";
  return `Upload failed (HTTP ${xhr.status || "network error"})`;
}

/** One multipart POST; `onProgress(loadedBytes, totalBytes)` follows the request body. */
export function uploadBatch(
  files: readonly File[],
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append("files", f, f.webkitRelativePath || f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/uploads");
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as UploadResult);
        } catch {
          reject(new UploadError("The server answered with something that is not an upload result", xhr.status));
        }
      } else {
        reject(new UploadError(parseError(xhr), xhr.status));
      }
    };
    xhr.onerror = () => reject(new UploadError("Network error: the upload did not reach the server", 0));
    xhr.onabort = () => reject(new UploadError("Upload cancelled", 0));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
