"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { ResponseWaterfallDocument, type ResponseCriterion } from "@/graphql/generated";
import { formatDate, patientName } from "@/lib/format";
import { CategoryBadge } from "./AssessmentDetail";
import { categoryTone, signedPercent, sortBy, TONE_COLOUR, type SortDir } from "./view";

const CRITERIA: { value: ResponseCriterion; label: string }[] = [
  { value: "RECIST_1_1", label: "RECIST 1.1 — Δ sum of diameters" },
  { value: "SWOG", label: "SWOG / Kwekkeboom — Δ sum of products" },
  { value: "PERCIST_1_0", label: "PERCIST 1.0 — Δ SULpeak" },
  { value: "EORTC", label: "EORTC — Δ SUVmax" },
  { value: "SSTR_PET", label: "SSTR-PET — Δ tumour-to-liver ratio" },
];

/** Site waterfall of best response per patient (signed assessments preferred), one criterion at a time. */
export function ResponseWaterfall() {
  const [criterion, setCriterion] = useState<ResponseCriterion>("RECIST_1_1");
  const [dir, setDir] = useState<SortDir>("desc");
  const [signedOnly, setSignedOnly] = useState(false);
  const q = useQuery(ResponseWaterfallDocument, { variables: { criterion }, fetchPolicy: "cache-and-network" });
  const bars = sortBy((q.data?.responseWaterfall ?? []).filter((b) => !signedOnly || b.signed), (b) => b.bestChangePercent, dir);
  const data = bars.map((b) => ({ key: b.patient.mrn, value: b.bestChangePercent, category: b.concludedCategory ?? b.category, name: patientName(b.patient) }));
  const categories = [...new Set(data.map((d) => d.category))];
  return (
    <div className="stack">
      <h1>Response — best response across the site</h1>
      <div className="filters row" role="group" aria-label="Waterfall options">
        <label>
          Criterion{" "}
          <select value={criterion} onChange={(e) => setCriterion(e.target.value as ResponseCriterion)} aria-label="Criterion">
            {CRITERIA.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order{" "}
          <select value={dir} onChange={(e) => setDir(e.target.value as SortDir)} aria-label="Order">
            <option value="desc">largest increase first (classic waterfall)</option>
            <option value="asc">best response first</option>
          </select>
        </label>
        <label className="field-check">
          <input type="checkbox" checked={signedOnly} onChange={(e) => setSignedOnly(e.target.checked)} /> Signed assessments only
        </label>
      </div>
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading label="Computing best responses…" />
      ) : bars.length === 0 ? (
        <EmptyState title="No evaluable assessment for this criterion.">Patients appear here once a response assessment evaluates this criterion.</EmptyState>
      ) : (
        <>
          <figure className="chart-card" aria-label="Waterfall plot of best response">
            <figcaption>
              Best {CRITERIA.find((c) => c.value === criterion)!.label.split("— ")[1]} (%) per patient; colour = category (physician&apos;s conclusion when given on this criterion).{" "}
              {categories.map((c) => (
                <span key={c} style={{ marginRight: 6 }}>
                  <CategoryBadge value={c} />
                </span>
              ))}
            </figcaption>
            <BarChart width={Math.max(480, data.length * 36)} height={300} data={data} margin={{ top: 8, right: 12, bottom: 8, left: 0 }}>
              <CartesianGrid stroke="#e5e8ec" vertical={false} />
              <XAxis dataKey="key" fontSize={10} interval={0} angle={-40} textAnchor="end" height={60} />
              <YAxis unit=" %" fontSize={11} width={56} />
              <ReferenceLine y={0} stroke="#5b6776" />
              {criterion === "RECIST_1_1" ? <ReferenceLine y={-30} stroke="#1b7a3d" strokeDasharray="4 3" label={{ value: "PR −30 %", fontSize: 10, position: "insideBottomLeft" }} /> : null}
              {criterion === "RECIST_1_1" ? <ReferenceLine y={20} stroke="#b3261e" strokeDasharray="4 3" label={{ value: "+20 %", fontSize: 10, position: "insideTopLeft" }} /> : null}
              <Tooltip formatter={(v) => [signedPercent(Number(v)), "best change"]} labelFormatter={(l) => String(l)} />
              <Bar dataKey="value" isAnimationActive={false}>
                {data.map((d) => (
                  <Cell key={d.key} fill={TONE_COLOUR[categoryTone(d.category)]} />
                ))}
              </Bar>
            </BarChart>
          </figure>
          <table data-testid="waterfall-table">
            <caption className="sr-only">Best response per patient</caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">MRN</th>
                <th scope="col">
                  <button type="button" className="link-button" onClick={() => setDir(dir === "asc" ? "desc" : "asc")}>
                    Best change {dir === "asc" ? "▲" : "▼"}
                  </button>
                </th>
                <th scope="col">Computed category</th>
                <th scope="col">Physician</th>
                <th scope="col">Follow-up</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {bars.map((b) => (
                <tr key={b.patient.id}>
                  <td>
                    <Link href={`/patients/${encodeURIComponent(b.patient.id)}?tab=response&assessment=${encodeURIComponent(b.assessment.id)}`}>{patientName(b.patient)}</Link>
                  </td>
                  <td>{b.patient.mrn}</td>
                  <td>{signedPercent(b.bestChangePercent)}</td>
                  <td>
                    <CategoryBadge value={b.category} />
                  </td>
                  <td>{b.concludedCategory ? <CategoryBadge value={b.concludedCategory} /> : <span className="muted">—</span>}</td>
                  <td>{formatDate(b.assessment.followUpStudy.performedAt)}</td>
                  <td>{b.signed ? "Signed" : "Draft"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
