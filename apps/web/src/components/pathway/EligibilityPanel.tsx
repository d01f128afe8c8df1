"use client";

import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { ErrorState, Loading } from "@/components/States";
import { PathwayEligibilityDocument, PathwayProtocolTemplatesDocument } from "@/graphql/generated";
import { humanize } from "@/lib/format";

const TONE: Record<string, string> = {
  PASS: "ok",
  FAIL: "bad",
  NEEDS_DATA: "info",
  WARN: "warn",
  ELIGIBLE: "ok",
  NOT_ELIGIBLE: "bad",
  REVIEW: "warn",
};

/** Advisory eligibility check against a protocol template: criteria with value, threshold, status and source. */
export function EligibilityPanel({ patientId }: { patientId: string }) {
  const templates = useQuery(PathwayProtocolTemplatesDocument);
  const [chosen, setChosen] = useState<string | null>(null);
  const [run, setRun] = useState(false);
  const list = templates.data?.protocolTemplates ?? [];
  const templateId =
    chosen ?? list.find((t) => t.key === "lu177-dotatate-standard")?.id ?? list[0]?.id ?? null;
  const q = useQuery(PathwayEligibilityDocument, {
    variables: { patientId, templateId: templateId ?? "" },
    skip: !templateId || !run,
    fetchPolicy: "network-only",
  });
  const report = q.data?.patientEligibility;
  return (
    <section className="card" aria-label="Eligibility">
      <div className="row">
        <h2>Eligibility</h2>
        <span className="spacer" />
        <div className="field">
          <label htmlFor="elig-template">Template</label>
          <select
            id="elig-template"
            value={templateId ?? ""}
            onChange={(e) => setChosen(e.target.value)}
          >
            {list.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} v{t.templateVersion}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!run ? (
        <button type="button" className="btn" onClick={() => setRun(true)}>
          Check eligibility
        </button>
      ) : q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !report ? (
        <Loading label="Checking eligibility…" />
      ) : (
        <div className="stack">
          <p data-testid="eligibility-overall">
            Overall:{" "}
            <span className={`badge badge-${TONE[report.overall] ?? "neutral"}`}>
              {humanize(report.overall)}
            </span>{" "}
            <span className="muted">
              Advisory — the board / physician decision is a separate record.
            </span>
          </p>
          {report.reasons.length ? (
            <ul aria-label="Eligibility reasons">
              {report.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          ) : null}
          <table aria-label="Eligibility criteria">
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">Value</th>
                <th scope="col">Threshold</th>
                <th scope="col">Status</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {report.criteria.map((c) => (
                <tr key={c.criterion} data-status={c.status}>
                  <td title={c.message}>{c.label}</td>
                  <td>
                    {c.value ?? "—"} {c.value && c.unit ? c.unit : ""}
                    {c.dataSource ? <div className="muted">{c.dataSource}</div> : null}
                  </td>
                  <td>{c.threshold}</td>
                  <td>
                    <span className={`badge badge-${TONE[c.status] ?? "neutral"}`}>{c.status}</span>
                  </td>
                  <td>
                    <details>
                      <summary>Rule</summary>
                      <span className="muted">
                        {c.message} — {c.source}
                      </span>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
