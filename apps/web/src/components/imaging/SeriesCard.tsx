"use client";

import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { ErrorState, Loading } from "@/components/States";
import { DicomSeriesDetailDocument, type DicomSeriesDetailQuery, type DicomSeriesFieldsFragment } from "@/graphql/generated";
import { formatDateTime, formatNumber } from "@/lib/format";
import { CandidateTable } from "./CandidateTable";
import { formatDicomDateTime, formatSuvFactor, jsonText } from "./format";
import { OverrideForm } from "./OverrideForm";
import { useCanImaging } from "./permissions";
import { QaFindingList } from "./QaFindings";
import { JobProgress, QuantifyForm } from "./QuantifyForm";

const SUV_METHODS: Record<string, string> = {
  BQML_START: "Bq/mL, decay-corrected to series start",
  BQML_ADMIN: "Bq/mL, decay-corrected to administration",
  CNTS_PHILIPS_SUV_SCALE: "Philips counts, private SUV scale factor",
  CNTS_PHILIPS_ACTIVITY_SCALE: "Philips counts, private activity concentration scale",
  GML_ALREADY_SUV: "Pixels already in SUV (g/mL)",
  SPECT_CALIBRATED: "SPECT counts with a calibration factor",
};

function KeyValues({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined || typeof value !== "object" || Object.keys(value).length === 0) return <span>—</span>;
  return (
    <dl className="kv" aria-label={label}>
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <div key={k} style={{ display: "contents" }}>
          <dt>{k}</dt>
          <dd>{jsonText(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface SeriesSummary {
  readonly id: string;
  readonly seriesInstanceUid: string;
  readonly modality?: string | null;
  readonly seriesNumber?: number | null;
  readonly description?: string | null;
}

function seriesName(s: SeriesSummary): string {
  return `${s.modality ?? "?"} series ${s.seriesNumber ?? ""}${s.description ? ` ${s.description}` : ""}`.trim();
}

/** One series: loads its QA, SUV derivation, override, jobs and candidates (kept out of the list query for its cost). */
export function SeriesCard({ series: summary }: { series: SeriesSummary }) {
  const detail = useQuery(DicomSeriesDetailDocument, { variables: { id: summary.id }, fetchPolicy: "cache-and-network" });
  const d = detail.data?.dicomSeries;
  if (!d) {
    return (
      <section className="card" aria-label={seriesName(summary)} data-series-uid={summary.seriesInstanceUid}>
        <h4 style={{ margin: 0 }}>{seriesName(summary)}</h4>
        {detail.error ? <ErrorState error={detail.error} onRetry={() => void detail.refetch()} /> : <Loading label="Loading series…" />}
      </section>
    );
  }
  return <SeriesDetail s={d} jobs={d.jobs} candidates={d.candidates} refetch={() => detail.refetch()} />;
}

type Detail = NonNullable<DicomSeriesDetailQuery["dicomSeries"]>;

function SeriesDetail({
  s,
  jobs,
  candidates,
  refetch,
}: {
  s: DicomSeriesFieldsFragment;
  jobs: Detail["jobs"];
  candidates: Detail["candidates"];
  refetch: () => Promise<unknown>;
}) {
  const can = useCanImaging();
  const [panel, setPanel] = useState<"none" | "override" | "quantify">("none");
  const [jobId, setJobId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const suv = s.suv;
  const name = seriesName(s);
  const latestJob = [...jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
  const shownJobId = jobId ?? (latestJob && (latestJob.status === "QUEUED" || latestJob.status === "RUNNING") ? latestJob.id : null);

  return (
    <section className="card stack" aria-label={name} data-series-uid={s.seriesInstanceUid}>
      <header className="row">
        <h4 style={{ margin: 0 }}>{name}</h4>
        <span className="muted">{s.instanceCount} images</span>
        <span className="spacer" />
        {s.qa?.blocking ? <span className="badge badge-bad">QA blocking</span> : s.qa ? <span className="badge badge-ok">QA ok</span> : null}
        {can("imaging:override") ? (
          <button type="button" className="btn btn-small" onClick={() => setPanel(panel === "override" ? "none" : "override")}>
            QA override
          </button>
        ) : null}
        {can("quant:run") ? (
          <button type="button" className="btn btn-small" onClick={() => setPanel(panel === "quantify" ? "none" : "quantify")}>
            Quantify
          </button>
        ) : null}
      </header>

      {s.qa ? (
        <div>
          <h5>QA findings</h5>
          <QaFindingList findings={s.qa.findings} label={`QA findings of ${name}`} />
          <p className="muted">
            {s.qa.nuclide ? `Nuclide ${s.qa.nuclide}` : "Nuclide unknown"}
            {s.qa.halfLifeS ? ` (T½ ${formatNumber(s.qa.halfLifeS, 1)} s)` : ""} · injection {formatDicomDateTime(s.qa.injectionDateTime)} · reference{" "}
            {formatDicomDateTime(s.qa.referenceDateTime)}
            {s.qa.referenceTimeSource ? ` (${s.qa.referenceTimeSource})` : ""}
            {s.qa.decayTimeS != null ? ` · decay ${formatNumber(s.qa.decayTimeS, 0)} s` : ""}
          </p>
        </div>
      ) : (
        <p className="muted">No PET/SPECT QA for this modality.</p>
      )}

      {suv ? (
        <div>
          <h5>SUV</h5>
          {suv.ok ? (
            <p>
              SUVbw factor <strong data-testid="suv-factor">{formatSuvFactor(suv.factor)}</strong> · method <code>{suv.method}</code>{" "}
              <span className="muted">({SUV_METHODS[suv.method ?? ""] ?? "—"})</span>
              {suv.perInstance ? " · per image" : ""}
              {suv.sulJanma != null ? ` · SUL (Janmahasatian) factor ${formatSuvFactor(suv.sulJanma)}` : ""}
            </p>
          ) : (
            <div className="alert alert-error" role="alert">
              <strong>No SUV factor.</strong>
              <ul>
                {suv.reasons.map((r, i) => (
                  <li key={i}>
                    <code>{r.code}</code> {r.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {suv.warnings.length > 0 ? (
            <ul aria-label={`SUV warnings of ${name}`}>
              {suv.warnings.map((w, i) => (
                <li key={i}>
                  <span className="badge badge-warn">Warning</span> <code>{w.code}</code> {w.message}
                </li>
              ))}
            </ul>
          ) : null}
          <details>
            <summary>Inputs used</summary>
            <KeyValues value={suv.inputs} label={`SUV inputs of ${name}`} />
          </details>
          <p className="muted">Derived {formatDateTime(suv.derivedAt)}</p>
        </div>
      ) : null}

      {s.qaOverride ? (
        <div className="alert alert-info" aria-label={`Overrides in force for ${name}`}>
          <strong>Overrides in force</strong> (version {s.qaOverride.version}, {s.qaOverride.setBy?.displayName ?? "—"},{" "}
          {formatDateTime(s.qaOverride.updatedAt)}): reason “{s.qaOverride.reason}”
          <KeyValues value={s.qaOverride.overrides} label="Overrides" />
        </div>
      ) : null}

      {notice ? (
        <p className="alert alert-info" role="status">
          {notice}
        </p>
      ) : null}
      {panel === "override" ? (
        <OverrideForm
          series={s}
          onClose={() => setPanel("none")}
          onSaved={async (message) => {
            setPanel("none");
            setNotice(message);
            await refetch();
          }}
        />
      ) : null}
      {panel === "quantify" ? (
        <QuantifyForm
          series={s}
          onClose={() => setPanel("none")}
          onQueued={(id) => {
            setPanel("none");
            setJobId(id);
          }}
        />
      ) : null}
      {shownJobId ? <JobProgress id={shownJobId} onFinished={() => void refetch()} /> : null}

      <CandidateTable seriesName={name} candidates={candidates} onChanged={() => void refetch()} />
    </section>
  );
}
