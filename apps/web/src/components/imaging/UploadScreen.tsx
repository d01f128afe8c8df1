"use client";

import { useLazyQuery } from "@apollo/client/react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { EmptyState } from "@/components/States";
import { UploadedStudiesDocument, type UploadedStudiesQuery } from "@/graphql/generated";
import { formatNumber } from "@/lib/format";
import { useCanImaging } from "./permissions";
import { formatSuvFactor } from "./format";
import { QaFindingList } from "./QaFindings";
import {
  batchFiles,
  mergeResults,
  quarantineReasonText,
  uploadBatch,
  UploadError,
  type UploadResult,
} from "./upload-client";

type FileState = { status: "waiting" | "uploading" | "sent" | "error"; progress: number };
type UploadedStudy = UploadedStudiesQuery["dicomStudies"]["edges"][number]["node"];

function displayName(f: File): string {
  return f.webkitRelativePath || f.name;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${formatNumber(n / 1024, 1)} KiB`;
  return `${formatNumber(n / 1024 / 1024, 1)} MiB`;
}

const OUTCOME_TONE: Record<string, string> = { STORED: "ok", DUPLICATE: "neutral", CONFLICT: "warn", FAILED: "bad" };

export function UploadScreen() {
  const can = useCanImaging();
  const folderInput = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [states, setStates] = useState<FileState[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<UploadResult | null>(null);
  const abort = useRef<AbortController | null>(null);
  const [loadStudies, studies] = useLazyQuery(UploadedStudiesDocument, { fetchPolicy: "network-only" });

  useEffect(() => {
    // React has no typed prop for directory pickers; set the (widely supported) attribute.
    folderInput.current?.setAttribute("webkitdirectory", "");
  }, []);

  if (!can("imaging:upload")) {
    return (
      <div className="alert alert-error" role="alert">
        You are not allowed to upload images.
      </div>
    );
  }

  function choose(list: FileList | null) {
    const chosen = list ? Array.from(list).filter((f) => !f.name.startsWith(".")) : [];
    setFiles(chosen);
    setStates(chosen.map(() => ({ status: "waiting", progress: 0 })));
    setResult(null);
    setError(null);
  }

  async function onUpload() {
    if (files.length === 0) {
      setError("Choose DICOM files, a folder or a zip archive first.");
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    const ctrl = new AbortController();
    abort.current = ctrl;
    const indexed = files.map((f, i) => ({ f, i, size: f.size }));
    const batches = batchFiles(indexed);
    const results: UploadResult[] = [];
    try {
      for (const batch of batches) {
        const offsets: number[] = [];
        let acc = 0;
        for (const b of batch) {
          offsets.push(acc);
          acc += b.size;
        }
        const update = (loaded: number, total: number) => {
          // The multipart envelope is a little larger than the files; scale to the file bytes.
          const sent = total > 0 ? (loaded / total) * acc : 0;
          setStates((prev) => {
            const next = [...prev];
            batch.forEach((b, k) => {
              const start = offsets[k]!;
              const p = b.size === 0 ? (sent >= start ? 1 : 0) : Math.max(0, Math.min(1, (sent - start) / b.size));
              next[b.i] = { status: p >= 1 ? "sent" : "uploading", progress: p };
            });
            return next;
          });
        };
        update(0, 1);
        const r = await uploadBatch(
          batch.map((b) => b.f),
          update,
          ctrl.signal,
        );
        update(1, 1);
        results.push(r);
      }
      const merged = mergeResults(results);
      setResult(merged);
      if (merged.studies.length > 0) void loadStudies();
    } catch (e) {
      const message = e instanceof UploadError || e instanceof Error ? e.message : "Upload failed";
      setError(message);
      setStates((prev) => prev.map((s) => (s.status === "uploading" ? { ...s, status: "error" } : s)));
      if (results.length > 0) setResult(mergeResults(results));
    } finally {
      setBusy(false);
      abort.current = null;
    }
  }

  const total = files.reduce((n, f) => n + f.size, 0);
  const sentBytes = files.reduce((n, f, i) => n + f.size * (states[i]?.progress ?? 0), 0);
  const byUid = new Map<string, UploadedStudy>();
  for (const e of studies.data?.dicomStudies.edges ?? []) byUid.set(e.node.studyInstanceUid, e.node);

  return (
    <div className="stack">
      <h1>Upload DICOM images</h1>
      <p className="muted">
        PET, SPECT or CT DICOM files, a whole folder or zip archives. A study is filed under a patient when its Patient ID equals the
        patient&apos;s MRN and its birth date matches; otherwise it is held in quarantine.
      </p>
      <section className="card" aria-label="Choose files">
        <div className="row">
          <div className="field">
            <label htmlFor="upload-files">DICOM files or zip archives</label>
            <input id="upload-files" type="file" multiple disabled={busy} onChange={(e) => choose(e.currentTarget.files)} />
          </div>
          <div className="field">
            <label htmlFor="upload-folder">Or a folder</label>
            <input id="upload-folder" ref={folderInput} type="file" multiple disabled={busy} onChange={(e) => choose(e.currentTarget.files)} />
          </div>
        </div>
        <div className="row">
          <span>
            {files.length} file{files.length === 1 ? "" : "s"} · {formatBytes(total)}
          </span>
          <span className="spacer" />
          {busy ? (
            <button type="button" className="btn" onClick={() => abort.current?.abort()}>
              Cancel
            </button>
          ) : null}
          <button type="button" className="btn btn-primary" disabled={busy || files.length === 0} onClick={() => void onUpload()}>
            {busy ? "Uploading…" : "Upload"}
          </button>
        </div>
        {busy || sentBytes > 0 ? (
          <p>
            <label htmlFor="upload-total">Overall progress</label>{" "}
            <progress id="upload-total" max={1} value={total > 0 ? sentBytes / total : 0} /> {total > 0 ? Math.round((sentBytes / total) * 100) : 0} %
          </p>
        ) : null}
      </section>

      {error ? (
        <div className="alert alert-error" role="alert">
          <strong>Upload failed.</strong> {error}
        </div>
      ) : null}

      {result ? <UploadSummary result={result} byUid={byUid} loadingQa={studies.loading} /> : null}
      {result && studies.error ? (
        <p className="alert alert-error" role="alert">
          The upload finished, but its QA findings could not be loaded: {studies.error.message}. They are shown on each patient&apos;s
          Imaging tab.
        </p>
      ) : null}

      {files.length > 0 ? (
        <details open={files.length <= 50}>
          <summary>Files ({files.length})</summary>
          <table aria-label="Files to upload">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Progress</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f, i) => {
                const s = states[i];
                const r = result?.files.find((x) => x.name === displayName(f) || x.name === f.name);
                return (
                  <tr key={`${displayName(f)}-${i}`}>
                    <td>{displayName(f)}</td>
                    <td className="num">{formatBytes(f.size)}</td>
                    <td>
                      <progress max={1} value={s?.progress ?? 0} aria-label={`Upload progress of ${displayName(f)}`} /> {s?.status === "error" ? "error" : `${Math.round((s?.progress ?? 0) * 100)} %`}
                    </td>
                    <td>
                      {r ? (
                        <>
                          <span className={`badge badge-${OUTCOME_TONE[r.outcome] ?? "neutral"}`}>{r.outcome}</span> {r.message ?? ""}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}

function UploadSummary({ result, byUid, loadingQa }: { result: UploadResult; byUid: Map<string, UploadedStudy>; loadingQa: boolean }) {
  const s = result.summary;
  const problems = result.files.filter((f) => f.outcome === "CONFLICT" || f.outcome === "FAILED");
  return (
    <section className="card stack" aria-label="Upload result">
      <h2>Result</h2>
      <dl className="kv" data-testid="upload-summary">
        <dt>Stored</dt>
        <dd data-testid="upload-stored">{s.stored}</dd>
        <dt>Duplicates</dt>
        <dd data-testid="upload-duplicates">{s.duplicates}</dd>
        <dt>Conflicts</dt>
        <dd data-testid="upload-conflicts">{s.conflicts}</dd>
        <dt>Failed</dt>
        <dd data-testid="upload-failed">{s.failed}</dd>
      </dl>
      {result.studies.length === 0 ? (
        <EmptyState title="No study was stored or changed by this upload." />
      ) : (
        <table aria-label="Uploaded studies">
          <thead>
            <tr>
              <th scope="col">Study Instance UID</th>
              <th scope="col">Status</th>
              <th scope="col">Patient</th>
              <th scope="col">Series and QA findings</th>
            </tr>
          </thead>
          <tbody>
            {result.studies.map((st) => {
              const known = byUid.get(st.studyInstanceUid);
              return (
                <tr key={st.studyInstanceUid}>
                  <td>
                    <code>{st.studyInstanceUid}</code>
                  </td>
                  <td>
                    {st.status === "QUARANTINED" ? (
                      <>
                        <span className="badge badge-warn">Quarantined</span> {quarantineReasonText(st.quarantineReason)}
                      </>
                    ) : (
                      <span className="badge badge-ok">Filed</span>
                    )}
                  </td>
                  <td>
                    {known?.patient ? (
                      <Link href={`/patients/${encodeURIComponent(known.patient.id)}?tab=imaging`}>{known.patient.mrn}</Link>
                    ) : st.status === "QUARANTINED" ? (
                      <Link href="/imaging/quarantine">Resolve in quarantine</Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>
                    {known ? (
                      <ul style={{ margin: 0, paddingLeft: "1rem" }}>
                        {known.series.map((se) => (
                          <li key={se.id}>
                            {se.modality ?? "?"} {se.seriesNumber ?? ""} {se.description ?? ""}
                            {se.suv?.ok && se.suv.factor != null ? ` · SUV factor ${formatSuvFactor(se.suv.factor)}` : ""}{" "}
                            {se.qa ? <QaFindingList findings={se.qa.findings} label={`QA findings of series ${se.seriesNumber ?? ""}`} /> : null}
                          </li>
                        ))}
                      </ul>
                    ) : loadingQa ? (
                      "Loading…"
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {problems.length > 0 ? (
        <div className="alert alert-error" role="alert">
          <strong>
            {problems.length} file{problems.length === 1 ? " was" : "s were"} not stored
          </strong>
          <ul>
            {problems.slice(0, 50).map((f, i) => (
              <li key={i}>
                {f.name}: {f.outcome === "CONFLICT" ? "same UID, different content" : "failed"}
                {f.message ? ` — ${f.message}` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
