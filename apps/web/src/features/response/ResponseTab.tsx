"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { SelectField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import {
  PatientResponseDocument,
  ResponseAssessmentCreateDocument,
  ResponseAssessmentDocument,
  ResponseComparabilityDocument,
  type PatientResponseQuery,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatDate, humanize } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { AssessmentDetail, CategoryBadge } from "./AssessmentDetail";
import { criterionLabel } from "./view";

type P = Extract<NonNullable<PatientResponseQuery["node"]>, { __typename: "Patient" }>;
type Study = P["studies"][number];
const studyText = (s: Pick<Study, "performedAt" | "modality" | "tracer">) => `${formatDate(s.performedAt)} · ${s.modality}${s.tracer ? ` ${s.tracer.name}` : ""}`;

/** Comparable-study checks of the pair currently chosen (warnings, never blocking). */
function PairWarnings({ baselineStudyId, followUpStudyId }: { baselineStudyId: string; followUpStudyId: string }) {
  const skip = !baselineStudyId || !followUpStudyId;
  const q = useQuery(ResponseComparabilityDocument, { variables: { baselineStudyId, followUpStudyId }, skip });
  if (skip || !q.data) return null;
  const w = q.data.responseComparability;
  return w.length ? (
    <div className="alert alert-conflict" role="status" aria-label="Comparability of the chosen studies">
      <strong>Check comparability</strong>
      <ul>
        {w.map((x) => (
          <li key={x.code}>{x.message}</li>
        ))}
      </ul>
    </div>
  ) : (
    <p className="muted" role="status" aria-label="Comparability of the chosen studies">
      Chosen studies are comparable (same modality and tracer; uptake times within 15 min where known).
    </p>
  );
}

function CreateForm({ p, onCreated, onClose }: { p: P; onCreated: (id: string) => Promise<void>; onClose: () => void }) {
  const form = useForm();
  const [create] = useMutation(ResponseAssessmentCreateDocument);
  const sug = p.responseStudySuggestion;
  const [pair, setPair] = useState({ b: sug.baselineStudy?.id ?? "", f: sug.followUpStudy?.id ?? "" });
  const measured = new Set(p.lesions.flatMap((l) => l.measurements.map((m) => m.study.id)));
  const studies = [...p.studies].filter((s) => measured.has(s.id)).sort((a, b) => a.performedAt.localeCompare(b.performedAt));
  const options = studies.map((s) => ({ value: s.id, label: `${studyText(s)} (${humanize(s.purpose)})` }));
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const baselineStudyId = r.requiredText("baselineStudyId", "Baseline study");
    const followUpStudyId = r.requiredText("followUpStudyId", "Follow-up study");
    const suggested = baselineStudyId === sug.baselineStudy?.id && followUpStudyId === sug.followUpStudy?.id;
    let createdId: string | null = null;
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const out = await create({
        variables: { input: { patientId: p.id, baselineStudyId, followUpStudyId, selectionNote: suggested ? `Suggested: ${sug.explanation.join(" ")}` : "Studies chosen by the physician." } },
      });
      createdId = out.data?.responseAssessmentCreate.assessment?.id ?? null;
      return out.data?.responseAssessmentCreate.userErrors ?? [];
    });
    if (ok && createdId) await onCreated(createdId);
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="New response assessment">
      {studies.length < 2 ? (
        <EmptyState title="At least two studies with lesion measurements are needed.">Record lesions and their measurements on the baseline and follow-up studies first (Lesions tab).</EmptyState>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <ErrorSummary errors={form.errors} />
          <div className="alert alert-info" role="note">
            <strong>Suggested studies</strong>
            <ul>
              {sug.explanation.map((x, i) => (
                <li key={i}>{x}</li>
              ))}
              {sug.warnings.map((w) => (
                <li key={w.code}>⚠ {w.message}</li>
              ))}
            </ul>
          </div>
          <div className="form-grid">
            <SelectField name="baselineStudyId" label="Baseline study" required placeholder="Choose…" value={pair.b} onChange={(e) => setPair({ ...pair, b: e.target.value })} options={options} error={err.baselineStudyId} />
            <SelectField name="followUpStudyId" label="Follow-up study" required placeholder="Choose…" value={pair.f} onChange={(e) => setPair({ ...pair, f: e.target.value })} options={options} error={err.followUpStudyId} />
          </div>
          <PairWarnings baselineStudyId={pair.b} followUpStudyId={pair.f} />
          <FormActions submitting={form.submitting} submitLabel="Create assessment" onCancel={onClose} />
        </form>
      )}
    </FormPanel>
  );
}

const TREND_COLOURS = ["#1f5fa8", "#b3261e", "#1b7a3d", "#a86400", "#6a3d9a", "#00838f", "#5d4037", "#c2185b"];

type TrendKey = "suvMax" | "suvPeak" | "mtvMl" | "longAxisMm";

/** Long axis, SUVmax, SUVpeak and MTV per lesion over time (every measured study); a chart only where values exist. */
function LesionTrends({ p }: { p: P }) {
  const lesions = p.lesions.filter((l) => l.measurements.length > 1);
  if (!lesions.length) return null;
  const times = [...new Set(lesions.flatMap((l) => l.measurements.map((m) => m.study.performedAt)))].sort();
  const has = (key: TrendKey) => lesions.some((l) => l.measurements.filter((m) => m[key] !== null).length > 1);
  const series = (key: TrendKey) =>
    times.map((t) => ({ t: new Date(t).getTime(), ...Object.fromEntries(lesions.map((l) => [l.label, l.measurements.find((m) => m.study.performedAt === t)?.[key] ?? null])) }));
  const chart = (key: TrendKey, title: string) => (
    <figure key={key} className="chart-card" aria-label={title}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <LineChart width={340} height={220} data={series(key)} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e5e8ec" />
        <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(t: number) => formatDate(new Date(t).toISOString()).slice(2)} fontSize={11} />
        <YAxis width={44} fontSize={11} />
        <Tooltip labelFormatter={(t) => formatDate(new Date(Number(t)).toISOString())} />
        <Legend />
        {lesions.map((l, i) => (
          <Line key={l.id} type="monotone" dataKey={l.label} stroke={TREND_COLOURS[i % TREND_COLOURS.length]} connectNulls dot={{ r: 3 }} isAnimationActive={false} />
        ))}
      </LineChart>
    </figure>
  );
  return (
    <section className="card" aria-labelledby="h-trends">
      <h3 id="h-trends">Lesion trends</h3>
      <div className="charts">
        {([["longAxisMm", "Long axis (mm) per lesion"], ["suvMax", "SUVmax (g/mL) per lesion"], ["suvPeak", "SUVpeak (g/mL) per lesion"], ["mtvMl", "MTV (mL) per lesion"]] as const)
          .filter(([k]) => has(k))
          .map(([k, t]) => chart(k, t))}
      </div>
    </section>
  );
}

function SelectedAssessment({ id, onSaved, onOpen }: { id: string; onSaved: () => Promise<unknown>; onOpen: (id: string) => void }) {
  const q = useQuery(ResponseAssessmentDocument, { variables: { id }, fetchPolicy: "cache-and-network" });
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading label="Computing the criteria…" />;
  const a = q.data.responseAssessment;
  if (!a) return <EmptyState title="Assessment not found." />;
  return (
    <AssessmentDetail
      a={a}
      onOpen={onOpen}
      onSaved={async () => {
        await Promise.all([q.refetch(), onSaved()]);
      }}
    />
  );
}

/** The chart's Response tab: assessments of the patient, a new one from suggested studies, the selected one in full. */
export function ResponseTab({ patientId }: { patientId: string }) {
  const can = useCan();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const selected = params.get("assessment");
  const [creating, setCreating] = useState(false);
  const q = useQuery(PatientResponseDocument, { variables: { id: patientId }, fetchPolicy: "cache-and-network" });
  const open = (id: string) => router.replace(`${pathname}?tab=response&assessment=${encodeURIComponent(id)}`, { scroll: false });
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading label="Loading response assessments…" />;
  const p = q.data.node;
  if (!p || p.__typename !== "Patient") return <EmptyState title="Patient not found." />;
  const list = p.responseAssessments;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="h-response">
        <div className="row">
          <h2 id="h-response">Response assessments</h2>
          <span className="spacer" />
          {can("response:write") && !creating ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              New assessment
            </button>
          ) : null}
        </div>
        {creating ? (
          <CreateForm
            p={p}
            onClose={() => setCreating(false)}
            onCreated={async (id) => {
              setCreating(false);
              await q.refetch();
              open(id);
            }}
          />
        ) : null}
        {list.length === 0 ? (
          <EmptyState title="No response assessment yet.">{can("response:write") ? "Create one: Lutetia suggests the baseline and follow-up studies." : "A physician creates and signs response assessments."}</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Revision</th>
                <th scope="col">Baseline</th>
                <th scope="col">Follow-up</th>
                <th scope="col">Conclusion</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id} aria-current={a.id === selected ? "true" : undefined}>
                  <td>{a.revision}</td>
                  <td>{formatDate(a.baselineStudy.performedAt)}</td>
                  <td>{formatDate(a.followUpStudy.performedAt)}</td>
                  <td>{a.conclusion ? <>{criterionLabel(a.conclusion.criterion)} <CategoryBadge value={a.conclusion.category} />{a.conclusion.overridden ? " (override)" : ""}</> : <span className="muted">—</span>}</td>
                  <td>{humanize(a.status)}{a.signedAt ? ` ${formatDate(a.signedAt)}` : ""}</td>
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => open(a.id)} aria-label={`Open assessment revision ${a.revision} of ${formatDate(a.followUpStudy.performedAt)}`}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected ? <SelectedAssessment key={selected} id={selected} onOpen={open} onSaved={() => q.refetch()} /> : null}
      <LesionTrends p={p} />
    </div>
  );
}
