"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { EmptyState } from "@/components/States";
import {
  ResponseAssessmentAmendDocument,
  ResponseAssessmentConcludeDocument,
  ResponseAssessmentSignDocument,
  ResponseAssessmentUpdateDocument,
  type RecistNonTargetResponse,
  type ResponseAssessmentFullFragment,
  type ResponseCriterion,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatDate, formatDateTime, formatNumber, humanize } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { categoryTone, criterionLabel, signedPercent, sortBy, type SortDir } from "./view";

type A = ResponseAssessmentFullFragment;
type Row = A["lesionTable"][number];
const studyText = (s: A["baselineStudy"]) => `${formatDate(s.performedAt)} · ${s.modality}${s.tracer ? ` ${s.tracer.name}` : ""}`;

export function CategoryBadge({ value }: { value: string }) {
  return <span className={`badge badge-${categoryTone(value)}`}>{value === "NE" ? "Not evaluable" : value.replace(/_/g, " ")}</span>;
}

const COLUMNS: { key: string; label: string; value: (r: Row) => number | string | null }[] = [
  { key: "label", label: "Lesion", value: (r) => r.label },
  { key: "organ", label: "Organ", value: (r) => r.organ },
  { key: "status", label: "Status", value: (r) => r.status },
  { key: "bDiam", label: "Baseline diameter (mm)", value: (r) => (r.nodal ? r.baseline?.shortAxisMm : r.baseline?.longAxisMm) ?? null },
  { key: "fDiam", label: "Follow-up diameter (mm)", value: (r) => (r.nodal ? r.followUp?.shortAxisMm : r.followUp?.longAxisMm) ?? null },
  { key: "dDiam", label: "Δ diameter", value: (r) => r.change.diameterPercent },
  { key: "bSuv", label: "SUVmax B → F", value: (r) => r.baseline?.suvMax ?? null },
  { key: "dSuv", label: "Δ SUVmax", value: (r) => r.change.suvMaxPercent },
  { key: "dPeak", label: "Δ SUVpeak", value: (r) => r.change.suvPeakPercent },
  { key: "bMtv", label: "MTV B → F (mL)", value: (r) => r.baseline?.mtvMl ?? null },
  { key: "dMtv", label: "Δ MTV", value: (r) => r.change.mtvPercent },
  { key: "kren", label: "Krenning B → F", value: (r) => r.baseline?.krenningScore ?? null },
];

function LesionTable({ a, editable, onSaved }: { a: A; editable: boolean; onSaved: () => Promise<unknown> }) {
  const [sort, setSort] = useState<{ key: string; dir: SortDir }>({ key: "label", dir: "asc" });
  const [status, setStatus] = useState<string>("");
  const [targets, setTargets] = useState<Set<string>>(() => new Set(a.targetLesions.map((l) => l.id)));
  const form = useForm();
  const [update] = useMutation(ResponseAssessmentUpdateDocument);
  const col = COLUMNS.find((c) => c.key === sort.key)!;
  const rows = sortBy(a.lesionTable.filter((r) => !status || r.status === status), col.value, sort.dir);
  const dirty = a.targetLesions.length !== targets.size || a.targetLesions.some((l) => !targets.has(l.id));
  async function saveTargets(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    await form.submit(e.currentTarget, async () => {
      const r = await update({ variables: { input: { id: a.id, version: a.version, targetLesionIds: [...targets] } } });
      const errs = r.data?.responseAssessmentUpdate.userErrors ?? [];
      if (!errs.length) await onSaved();
      return errs;
    });
  }
  const counts = a.lesionTable.reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
  return (
    <section className="card" aria-labelledby="h-lesions">
      <div className="row">
        <h3 id="h-lesions">Lesion table</h3>
        <span className="muted">
          {["MATCHED", "NEW", "DISAPPEARED", "BASELINE_ONLY"].map((s) => `${humanize(s)} ${counts[s] ?? 0}`).join(" · ")}
        </span>
        <span className="spacer" />
        <label>
          Show{" "}
          <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label="Filter lesions by status">
            <option value="">all lesions</option>
            {["MATCHED", "NEW", "DISAPPEARED", "BASELINE_ONLY"].map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </label>
        <a className="btn btn-small" href={a.csvPath} download>
          Download CSV
        </a>
      </div>
      <p className="muted">Δ = follow-up vs baseline; diameter = short axis for lymph nodes (RECIST 1.1), long axis otherwise. A lesion recorded as 0 mm / 0 mL at follow-up is &quot;disappeared&quot;; one not measured at follow-up is &quot;baseline only&quot; (not evaluated).</p>
      {a.lesionTable.length === 0 ? (
        <EmptyState title="No lesion is measured on either study." />
      ) : (
        <form onSubmit={saveTargets}>
          <ErrorSummary errors={form.errors} />
          <table data-testid="response-lesion-table">
            <thead>
              <tr>
                <th scope="col">RECIST target</th>
                {COLUMNS.map((c) => (
                  <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}>
                    <button type="button" className="link-button" onClick={() => setSort({ key: c.key, dir: sort.key === c.key && sort.dir === "asc" ? "desc" : "asc" })}>
                      {c.label}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const id = r.lesion?.id ?? r.label;
                const diam = (v: Row["baseline"]) => formatNumber(r.nodal ? v?.shortAxisMm : v?.longAxisMm, 0);
                return (
                  <tr key={id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`RECIST target ${r.label}`}
                        checked={targets.has(id)}
                        disabled={!editable || !r.baseline}
                        onChange={(e) => {
                          const next = new Set(targets);
                          if (e.target.checked) next.add(id);
                          else next.delete(id);
                          setTargets(next);
                        }}
                      />
                    </td>
                    <th scope="row">{r.label}</th>
                    <td>{r.organ}</td>
                    <td>
                      <span className={`badge badge-${r.status === "NEW" ? "bad" : r.status === "DISAPPEARED" ? "ok" : r.status === "BASELINE_ONLY" ? "warn" : "neutral"}`}>{humanize(r.status)}</span>
                    </td>
                    <td>{diam(r.baseline)}</td>
                    <td>{diam(r.followUp)}</td>
                    <td className="nowrap">{signedPercent(r.change.diameterPercent)}</td>
                    <td className="nowrap">
                      {formatNumber(r.baseline?.suvMax)} → {formatNumber(r.followUp?.suvMax)}
                    </td>
                    <td className="nowrap">{signedPercent(r.change.suvMaxPercent)}</td>
                    <td className="nowrap">{signedPercent(r.change.suvPeakPercent)}</td>
                    <td className="nowrap">
                      {formatNumber(r.baseline?.mtvMl)} → {formatNumber(r.followUp?.mtvMl)}
                    </td>
                    <td className="nowrap">{signedPercent(r.change.mtvPercent)}</td>
                    <td>
                      {r.baseline?.krenningScore ?? "—"} → {r.followUp?.krenningScore ?? "—"}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {editable ? (
            <div className="form-actions">
              <button type="submit" className="btn" disabled={!dirty || form.submitting}>
                Save target selection ({targets.size} selected; RECIST 1.1: at most 5, 2 per organ)
              </button>
            </div>
          ) : null}
        </form>
      )}
    </section>
  );
}

function Results({ a }: { a: A }) {
  return (
    <section className="card" aria-labelledby="h-results">
      <h3 id="h-results">Criteria results</h3>
      <p className="muted">
        {a.frozen ? `Stored at signing (${formatDateTime(a.computedAt)}): what the physician saw.` : `Computed now from the lesion measurements by @lutetia/quantification (${formatDateTime(a.computedAt)}).`}
      </p>
      <div className="charts">
        {a.results.map((r) => (
          <article key={r.criterion} className="chart-card" aria-label={`${r.label} result`} data-testid={`result-${r.criterion}`}>
            <div className="row">
              <strong>{r.label}</strong>
              <CategoryBadge value={r.category} />
              {r.metricLabel ? <span className="muted">{r.metricLabel}: {signedPercent(r.metricChangePercent)}</span> : null}
            </div>
            <ul>
              {r.reasons.map((x, i) => (
                <li key={i}>
                  {x.message}
                  {x.rule ? <span className="muted"> ({x.rule})</span> : null}
                </li>
              ))}
            </ul>
          </article>
        ))}
      </div>
    </section>
  );
}

function ReadingForm({ a, onSaved }: { a: A; onSaved: () => Promise<unknown> }) {
  const form = useForm();
  const [update] = useMutation(ResponseAssessmentUpdateDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const nt = r.text("nonTargetResponse") as RecistNonTargetResponse | undefined;
    const input = {
      id: a.id,
      version: a.version,
      nonTargetResponse: nt ?? null,
      nonTargetPdReason: r.text("nonTargetPdReason") ?? null,
      baselineLiverSuvMean: r.number("baselineLiverSuvMean", "Baseline liver SUVmean") ?? null,
      baselineLiverSuvSd: r.number("baselineLiverSuvSd", "Baseline liver SD") ?? null,
      followUpLiverSuvMean: r.number("followUpLiverSuvMean", "Follow-up liver SUVmean") ?? null,
      followUpLiverSuvSd: r.number("followUpLiverSuvSd", "Follow-up liver SD") ?? null,
    };
    await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await update({ variables: { input } });
      const errs = res.data?.responseAssessmentUpdate.userErrors ?? [];
      if (!errs.length) await onSaved();
      return errs;
    });
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Reader inputs">
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <div className="form-grid">
          <SelectField name="nonTargetResponse" label="RECIST non-target lesions" placeholder="Not evaluated" defaultValue={a.nonTargetResponse ?? ""} options={enumOptions(["CR", "NON_CR_NON_PD", "PD", "NE"], (v) => (v === "NON_CR_NON_PD" ? "Non-CR / non-PD" : v === "PD" ? "PD (unequivocal)" : v === "NE" ? "Not all evaluated" : v))} error={err.nonTargetResponse} />
          <TextField name="nonTargetPdReason" label="Reason for non-target PD" defaultValue={a.nonTargetPdReason ?? ""} error={err.nonTargetPdReason} />
          <TextField name="baselineLiverSuvMean" label="Baseline liver SUVmean (g/mL)" inputMode="decimal" defaultValue={a.baselineLiverSuvMean ?? ""} error={err.baselineLiverSuvMean} hint={a.baselineLiver ? `In use: ${formatNumber(a.baselineLiver.suvMean, 2)} ± ${formatNumber(a.baselineLiver.suvSd, 2)} (${a.baselineLiver.source})` : "No liver VOI from the quantification"} />
          <TextField name="baselineLiverSuvSd" label="Baseline liver SD (g/mL)" inputMode="decimal" defaultValue={a.baselineLiverSuvSd ?? ""} error={err.baselineLiverSuvSd} />
          <TextField name="followUpLiverSuvMean" label="Follow-up liver SUVmean (g/mL)" inputMode="decimal" defaultValue={a.followUpLiverSuvMean ?? ""} error={err.followUpLiverSuvMean} hint={a.followUpLiver ? `In use: ${formatNumber(a.followUpLiver.suvMean, 2)} ± ${formatNumber(a.followUpLiver.suvSd, 2)} (${a.followUpLiver.source})` : "No liver VOI from the quantification"} />
          <TextField name="followUpLiverSuvSd" label="Follow-up liver SD (g/mL)" inputMode="decimal" defaultValue={a.followUpLiverSuvSd ?? ""} error={err.followUpLiverSuvSd} />
        </div>
        <p className="hint">Saving clears a confirmation: the results may change, so confirm again.</p>
        <FormActions submitting={form.submitting} submitLabel="Save reader inputs" />
      </form>
    </FormPanel>
  );
}

function ConcludeForm({ a, onSaved }: { a: A; onSaved: () => Promise<unknown> }) {
  const form = useForm();
  const [conclude] = useMutation(ResponseAssessmentConcludeDocument);
  const first = a.conclusion?.criterion ?? a.results.find((r) => r.evaluable)?.criterion ?? "RECIST_1_1";
  const [criterion, setCriterion] = useState<ResponseCriterion>(first);
  const res = a.results.find((r) => r.criterion === criterion)!;
  const [category, setCategory] = useState<string>("");
  const overriding = category !== "" && category !== res.category;
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = { id: a.id, version: a.version, criterion, category: category || null, reason: r.text("reason") ?? null };
    await form.submit(e.currentTarget, async () => {
      const out = await conclude({ variables: { input } });
      const errs = out.data?.responseAssessmentConclude.userErrors ?? [];
      if (!errs.length) await onSaved();
      return errs;
    });
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Confirm or override">
      <form onSubmit={onSubmit} noValidate aria-label="Confirm or override">
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <div className="form-grid">
          <SelectField
            name="criterion"
            label="Criterion"
            value={criterion}
            onChange={(e) => {
              setCriterion(e.target.value as ResponseCriterion);
              setCategory("");
            }}
            options={a.results.map((r) => ({ value: r.criterion, label: `${r.label} — computed ${r.category}` }))}
            error={err.criterion}
          />
          <SelectField
            name="category"
            label="Category"
            value={category}
            onChange={(e) => setCategory(e.target.value)}
            placeholder={`Confirm computed: ${res.category}`}
            options={res.categories.filter((c) => c !== res.category).map((c) => ({ value: c, label: `Override: ${c}` }))}
            error={err.category}
          />
          <TextField name="reason" label={overriding ? "Reason for the override" : "Note (optional)"} required={overriding} error={err.reason} />
        </div>
        <FormActions submitting={form.submitting} submitLabel={overriding ? "Override" : "Confirm"} />
      </form>
    </FormPanel>
  );
}

function SignAmend({ a, onSaved, onOpen }: { a: A; onSaved: () => Promise<unknown>; onOpen: (id: string) => void }) {
  const can = useCan();
  const form = useForm();
  const [sign] = useMutation(ResponseAssessmentSignDocument);
  const [amend] = useMutation(ResponseAssessmentAmendDocument);
  if (a.status === "DRAFT") {
    if (!can("response:sign")) return <p className="muted">Only a physician signs response assessments.</p>;
    return (
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          await form.submit(e.currentTarget, async () => {
            const r = await sign({ variables: { input: { id: a.id, version: a.version } } });
            const errs = r.data?.responseAssessmentSign.userErrors ?? [];
            if (!errs.length) await onSaved();
            return errs;
          });
        }}
      >
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <button type="submit" className="btn btn-primary" disabled={!a.conclusion || form.submitting}>
          Sign assessment
        </button>{" "}
        {!a.conclusion ? <span className="muted">Confirm or override a criterion first.</span> : <span className="muted">Signing stores the results, lesion table and inputs; the assessment is then immutable.</span>}
      </form>
    );
  }
  if (a.amendedBy) {
    return (
      <p>
        Amended by revision {a.amendedBy.revision} ({humanize(a.amendedBy.status)}).{" "}
        <button type="button" className="link-button" onClick={() => onOpen(a.amendedBy!.id)}>
          Open it
        </button>
      </p>
    );
  }
  if (!can("response:write")) return null;
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const r = new FormReader(new FormData(e.currentTarget));
        const reason = r.requiredText("reason", "Reason for the amendment");
        await form.submit(e.currentTarget, async () => {
          if (r.problems.length) return r.problems;
          const out = await amend({ variables: { input: { id: a.id, reason } } });
          const errs = out.data?.responseAssessmentAmend.userErrors ?? [];
          if (!errs.length && out.data?.responseAssessmentAmend.assessment) onOpen(out.data.responseAssessmentAmend.assessment.id);
          return errs;
        });
      }}
      noValidate
    >
      <ErrorSummary errors={form.errors} />
      <div className="row">
        <TextField name="reason" label="Reason for an amendment" required error={form.errors.fields.reason} />
        <button type="submit" className="btn" disabled={form.submitting}>
          Amend (new version)
        </button>
      </div>
    </form>
  );
}

function DoseResponse({ a }: { a: A }) {
  const data = a.lesionDoses.map((d) => ({ label: d.label, dose: d.cumulativeDoseGy, suv: d.suvMaxChangePercent, mtv: d.mtvChangePercent }));
  return (
    <section className="card" aria-labelledby="h-dose">
      <h3 id="h-dose">Lesion dose vs response</h3>
      {a.lesionDoses.length === 0 ? (
        <EmptyState title="No lesion dosimetry for this patient.">
          Absorbed doses appear here once tumour VOIs of the lesions are fitted in the dosimetry workspace (cumulative over cycles, next to ΔSUVmax and ΔMTV).
        </EmptyState>
      ) : (
        <div className="grid">
          <table>
            <thead>
              <tr>
                <th scope="col">Lesion</th>
                <th scope="col">Cumulative absorbed dose (Gy)</th>
                <th scope="col">Per cycle (Gy)</th>
                <th scope="col">Δ SUVmax</th>
                <th scope="col">Δ SUVpeak</th>
                <th scope="col">Δ MTV</th>
              </tr>
            </thead>
            <tbody>
              {sortBy(a.lesionDoses, (d) => d.cumulativeDoseGy, "desc").map((d) => (
                <tr key={d.label}>
                  <th scope="row">{d.label}</th>
                  <td>
                    {formatNumber(d.cumulativeDoseGy, 1)} {d.allSigned ? null : <span className="badge badge-warn">not all signed</span>}
                  </td>
                  <td>{d.cycles.map((c) => `C${c.cycleNumber}: ${formatNumber(c.absorbedDoseGy, 1)}`).join(", ")}</td>
                  <td>{signedPercent(d.suvMaxChangePercent)}</td>
                  <td>{signedPercent(d.suvPeakChangePercent)}</td>
                  <td>{signedPercent(d.mtvChangePercent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <figure className="chart-card" aria-label="Absorbed dose versus change in SUVmax">
            <figcaption>Cumulative absorbed dose (Gy) vs Δ SUVmax (%)</figcaption>
            <ScatterChart width={360} height={220} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
              <CartesianGrid stroke="#e5e8ec" />
              <XAxis type="number" dataKey="dose" name="Dose" unit=" Gy" fontSize={11} />
              <YAxis type="number" dataKey="suv" name="Δ SUVmax" unit=" %" fontSize={11} width={52} />
              <ReferenceLine y={0} stroke="#9aa6b5" />
              <Tooltip formatter={(v, n) => [String(v), String(n)]} />
              <Scatter data={data.filter((d) => d.suv !== null)} fill="#1f5fa8" isAnimationActive={false} />
            </ScatterChart>
          </figure>
        </div>
      )}
    </section>
  );
}

/** One assessment: studies + warnings, results, lesion table with target selection, conclusion and signature. */
export function AssessmentDetail({ a, onSaved, onOpen }: { a: A; onSaved: () => Promise<unknown>; onOpen: (id: string) => void }) {
  const can = useCan();
  const editable = a.status === "DRAFT" && can("response:write");
  return (
    <div className="stack" data-testid="response-assessment">
      <section className="card" aria-labelledby="h-assessment">
        <div className="row">
          <h3 id="h-assessment">
            Assessment revision {a.revision} <span className={`badge badge-${a.status === "SIGNED" ? "ok" : "info"}`}>{humanize(a.status)}</span>
          </h3>
        </div>
        <dl className="kv">
          <dt>Baseline</dt>
          <dd>{studyText(a.baselineStudy)}</dd>
          <dt>Follow-up</dt>
          <dd>{studyText(a.followUpStudy)}</dd>
          {a.selectionNote ? (
            <>
              <dt>Selection</dt>
              <dd>{a.selectionNote}</dd>
            </>
          ) : null}
          {a.amends ? (
            <>
              <dt>Amends</dt>
              <dd>
                <button type="button" className="link-button" onClick={() => onOpen(a.amends!.id)}>
                  revision {a.amends.revision}
                </button>
              </dd>
            </>
          ) : null}
          <dt>Conclusion</dt>
          <dd data-testid="response-conclusion">
            {a.conclusion ? (
              <>
                {criterionLabel(a.conclusion.criterion)}: <CategoryBadge value={a.conclusion.category} />{" "}
                {a.conclusion.overridden ? `overrides computed ${a.conclusion.computedCategory ?? "—"}: ${a.conclusion.reason ?? ""}` : "confirmed"}
                {a.conclusion.concludedByName ? <span className="muted"> — {a.conclusion.concludedByName}</span> : null}
              </>
            ) : (
              <span className="muted">Not yet confirmed</span>
            )}
          </dd>
          {a.signedAt ? (
            <>
              <dt>Signed</dt>
              <dd>
                {formatDateTime(a.signedAt)} by {a.signedByName ?? "—"}
              </dd>
            </>
          ) : null}
        </dl>
        {a.warnings.length ? (
          <div className="alert alert-conflict" role="status">
            <strong>Comparability warnings</strong>
            <ul>
              {a.warnings.map((w) => (
                <li key={w.code}>{w.message}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="muted">Studies comparable: same modality and tracer{a.baselineStudy.modality === "PET" ? ", uptake times within 15 min" : ""}.</p>
        )}
      </section>
      <Results a={a} />
      <LesionTable key={`${a.id}:${a.version}`} a={a} editable={editable} onSaved={onSaved} />
      {editable ? <ReadingForm key={`r${a.version}`} a={a} onSaved={onSaved} /> : null}
      {editable ? <ConcludeForm key={`c${a.version}`} a={a} onSaved={onSaved} /> : null}
      <section className="card" aria-label="Signature">
        <SignAmend a={a} onSaved={onSaved} onOpen={onOpen} />
      </section>
      <DoseResponse a={a} />
    </div>
  );
}
