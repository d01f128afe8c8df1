"use client";

import { useState } from "react";
import { EmptyState } from "@/components/States";
import { ctcaeResult } from "@/lib/ctcae";
import { formatDateTime, formatNumber, humanize } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { LabCorrectForm } from "./LabCorrectForm";
import { LabForm } from "./LabForm";
import { LabTrend } from "./LabTrend";
import type { ChartIntent, ChartLab, ChartPatient, OnSaved } from "./types";

function GradeCell({ lab }: { lab: ChartLab }) {
  const r = ctcaeResult(lab.analyte, lab.value);
  if (r === null) return <td className="muted">n/a</td>;
  return (
    <td className={`grade-${r.grade}`} data-grade={r.grade} title={`${r.term}: ${r.rule}`}>
      {r.grade === 0 ? "—" : `Grade ${r.grade}`}
      {r.grade > 0 ? <span className="sr-only"> {r.term}</span> : null}
    </td>
  );
}

export function LabsTab({ patient: p, intent, onSaved }: { patient: ChartPatient; intent: ChartIntent; onSaved: OnSaved }) {
  const can = useCan();
  const [open, setOpen] = useState(intent.action === "lab" && can("lab:write"));
  const [correcting, setCorrecting] = useState<ChartLab | null>(null);
  const labs = [...p.labResults].sort((a, b) => b.sampledAt.localeCompare(a.sampledAt));
  const byAnalyte = new Map<string, ChartLab[]>();
  for (const l of labs) byAnalyte.set(l.analyte, [...(byAnalyte.get(l.analyte) ?? []), l]);
  return (
    <div className="stack">
      <div className="row">
        <p className="muted">
          CTCAE v5.0 grades (@lutetia/protocols, reference/prrt-protocols.md §4) use typical adult limits of normal until site limits are configurable.
        </p>
        <span className="spacer" />
        {can("lab:write") ? (
          <button type="button" className="btn" onClick={() => setOpen(true)}>
            Record lab results
          </button>
        ) : null}
      </div>
      {open ? <LabForm patientId={p.id} onSaved={onSaved} onClose={() => setOpen(false)} /> : null}
      {correcting ? <LabCorrectForm key={correcting.id} lab={correcting} onSaved={onSaved} onClose={() => setCorrecting(null)} /> : null}
      {labs.length === 0 ? (
        <EmptyState title="No lab results recorded." />
      ) : (
        <>
          <table aria-label="Lab results">
            <thead>
              <tr>
                <th scope="col">Sampled</th>
                <th scope="col">Analyte</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col">Unit</th>
                <th scope="col">As reported</th>
                <th scope="col">CTCAE</th>
                {can("lab:write") ? (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {labs.map((l) => (
                <tr key={l.id}>
                  <td>{formatDateTime(l.sampledAt)}</td>
                  <td>{humanize(l.analyte)}</td>
                  <td className="num">{formatNumber(l.value, 2)}</td>
                  <td>{l.unit}</td>
                  <td className="muted">{l.reportedUnit !== l.unit ? `${formatNumber(l.reportedValue, 2)} ${l.reportedUnit}` : ""}</td>
                  <GradeCell lab={l} />
                  {can("lab:write") ? (
                    <td>
                      <button type="button" className="btn btn-small" onClick={() => setCorrecting(l)}>
                        Correct<span className="sr-only"> {humanize(l.analyte)} result</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Trends</h2>
          <div className="charts">
            {[...byAnalyte.entries()].map(([analyte, results]) => (
              <LabTrend key={analyte} label={humanize(analyte)} unit={results[0]!.unit} results={results} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
