"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { EmptyState } from "@/components/States";
import {
  BodyWeightRecordDocument,
  DiagnosisCreateDocument,
  DiagnosisUpdateDocument,
  type Differentiation,
  type DiagnosisFieldsFragment,
  type WhoGrade,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatDate, formatDateTime, formatNumber, humanize, toDateTimeLocal } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { PatientForm } from "../patients/PatientForm";
import { PatientCloseForm } from "./PatientCloseForm";
import type { ChartIntent, ChartPatient, OnSaved } from "./types";

const GRADES: WhoGrade[] = ["G1", "G2", "G3", "NEC", "UNKNOWN"];
const DIFFERENTIATION: Differentiation[] = ["WELL", "POORLY", "UNKNOWN"];

function DiagnosisForm({
  patientId,
  diagnosis,
  onSaved,
  onClose,
}: {
  patientId: string;
  diagnosis?: DiagnosisFieldsFragment;
  onSaved: OnSaved;
  onClose: () => void;
}) {
  const form = useForm();
  const [editedVersion] = useState(diagnosis?.version ?? 0);
  const [create] = useMutation(DiagnosisCreateDocument);
  const [update] = useMutation(DiagnosisUpdateDocument);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const fields = {
      primarySite: r.requiredText("primarySite", "Primary site"),
      histology: r.requiredText("histology", "Histology"),
      whoGrade: r.requiredText("whoGrade", "WHO grade") as WhoGrade,
      ki67Percent: r.number("ki67Percent", "Ki-67"),
      differentiation: r.requiredText("differentiation", "Differentiation") as Differentiation,
      functionalSyndrome: r.text("functionalSyndrome"),
      diagnosedOn: r.requiredText("diagnosedOn", "Diagnosed on"),
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      if (diagnosis) {
        const res = await update({ variables: { input: { id: diagnosis.id, version: editedVersion, ...fields } } });
        return res.data?.diagnosisUpdate.userErrors ?? [];
      }
      const res = await create({ variables: { input: { patientId, ...fields } } });
      return res.data?.diagnosisCreate.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title={diagnosis ? "Edit diagnosis" : "Record diagnosis"}>
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} onReload={() => void onSaved()} />
        <div className="form-grid">
          <TextField name="primarySite" label="Primary site" required defaultValue={diagnosis?.primarySite} error={err.primarySite} />
          <TextField name="histology" label="Histology" required defaultValue={diagnosis?.histology} error={err.histology} />
          <SelectField name="whoGrade" label="WHO grade" required placeholder="Choose…" options={GRADES.map((g) => ({ value: g, label: g }))} defaultValue={diagnosis?.whoGrade ?? ""} error={err.whoGrade} />
          <TextField name="ki67Percent" label="Ki-67 (%)" inputMode="decimal" defaultValue={diagnosis?.ki67Percent ?? undefined} error={err.ki67Percent} />
          <SelectField name="differentiation" label="Differentiation" required options={enumOptions(DIFFERENTIATION)} defaultValue={diagnosis?.differentiation ?? "WELL"} error={err.differentiation} />
          <TextField name="functionalSyndrome" label="Functional syndrome" defaultValue={diagnosis?.functionalSyndrome ?? undefined} error={err.functionalSyndrome} />
          <TextField name="diagnosedOn" label="Diagnosed on" type="date" required defaultValue={diagnosis?.diagnosedOn} error={err.diagnosedOn} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Save diagnosis" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

function WeightForm({ patientId, onSaved, onClose }: { patientId: string; onSaved: OnSaved; onClose: () => void }) {
  const form = useForm();
  const [record] = useMutation(BodyWeightRecordDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const weightKg = r.requiredNumber("weightKg", "Weight");
    const measuredAt = r.dateTime("measuredAt", "Measured at", true) ?? "";
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await record({ variables: { input: { patientId, weightKg, measuredAt } } });
      return res.data?.bodyWeightRecord.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  return (
    <FormPanel title="Record body weight">
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <TextField name="weightKg" label="Weight (kg)" inputMode="decimal" required error={form.errors.fields.weightKg} />
          <TextField name="measuredAt" label="Measured at" type="datetime-local" required defaultValue={toDateTimeLocal(new Date())} error={form.errors.fields.measuredAt} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Save weight" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

type Open = "diagnosis" | "diagnosis-edit" | "weight" | "edit" | "close" | null;

export function DiagnosisTab({ patient: p, intent, onSaved }: { patient: ChartPatient; intent: ChartIntent; onSaved: OnSaved }) {
  const can = useCan();
  const initial: Open =
    intent.action === "diagnosis" && can("diagnosis:write")
      ? "diagnosis"
      : intent.action === "weight" && can("weight:write")
        ? "weight"
        : intent.action === "edit" && can("patient:write")
          ? "edit"
          : null;
  const [open, setOpen] = useState<Open>(initial);
  const close = () => setOpen(null);
  const dx = p.currentDiagnosis;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="h-dx">
        <div className="row">
          <h2 id="h-dx">Diagnosis</h2>
          <span className="spacer" />
          {can("diagnosis:write") && dx ? (
            <button type="button" className="btn" onClick={() => setOpen("diagnosis-edit")}>
              Edit diagnosis
            </button>
          ) : null}
          {can("diagnosis:write") ? (
            <button type="button" className="btn" onClick={() => setOpen("diagnosis")}>
              Record new diagnosis
            </button>
          ) : null}
        </div>
        {open === "diagnosis" ? <DiagnosisForm patientId={p.id} onSaved={onSaved} onClose={close} /> : null}
        {open === "diagnosis-edit" && dx ? <DiagnosisForm key={dx.version} patientId={p.id} diagnosis={dx} onSaved={onSaved} onClose={close} /> : null}
        {dx ? (
          <dl className="kv">
            <dt>Primary site</dt>
            <dd>{dx.primarySite}</dd>
            <dt>Histology</dt>
            <dd>{dx.histology}</dd>
            <dt>WHO grade</dt>
            <dd>{dx.whoGrade}</dd>
            <dt>Ki-67</dt>
            <dd>{dx.ki67Percent === null ? "—" : `${formatNumber(dx.ki67Percent)} %`}</dd>
            <dt>Differentiation</dt>
            <dd>{humanize(dx.differentiation)}</dd>
            <dt>Functional syndrome</dt>
            <dd>{dx.functionalSyndrome ?? "—"}</dd>
            <dt>Diagnosed on</dt>
            <dd>{formatDate(dx.diagnosedOn)}</dd>
          </dl>
        ) : (
          <EmptyState title="No diagnosis recorded." />
        )}
        {p.diagnoses.length > 1 ? (
          <details>
            <summary>Earlier diagnoses ({p.diagnoses.length - 1})</summary>
            <ul>
              {p.diagnoses.slice(1).map((d) => (
                <li key={d.id}>
                  {formatDate(d.diagnosedOn)} — {d.primarySite}, {d.whoGrade}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section className="card" aria-labelledby="h-weight">
        <div className="row">
          <h2 id="h-weight">Body weight</h2>
          <span className="spacer" />
          {can("weight:write") ? (
            <button type="button" className="btn" onClick={() => setOpen("weight")}>
              Record weight
            </button>
          ) : null}
        </div>
        {open === "weight" ? <WeightForm patientId={p.id} onSaved={onSaved} onClose={close} /> : null}
        {p.weights.length === 0 ? (
          <EmptyState title="No weight recorded." />
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Measured</th>
                <th scope="col" className="num">
                  Weight (kg)
                </th>
              </tr>
            </thead>
            <tbody>
              {p.weights.map((w) => (
                <tr key={w.id}>
                  <td>{formatDateTime(w.measuredAt)}</td>
                  <td className="num">{formatNumber(w.weightKg)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="h-demo">
        <div className="row">
          <h2 id="h-demo">Patient details</h2>
          <span className="spacer" />
          {can("patient:write") ? (
            <button type="button" className="btn" onClick={() => setOpen("edit")}>
              Edit patient
            </button>
          ) : null}
          {can("patient:write") && p.status !== "CLOSED" ? (
            <button type="button" className="btn" onClick={() => setOpen("close")}>
              Close case
            </button>
          ) : null}
        </div>
        {open === "close" ? <PatientCloseForm patient={p} onSaved={onSaved} onClose={close} /> : null}
        {open === "edit" ? (
          <FormPanel title="Edit patient">
            <PatientForm
              key={p.version}
              patient={p}
              onDone={async () => {
                await onSaved();
                close();
              }}
              onCancel={close}
              onReload={async () => {
                await onSaved();
                setOpen(null);
                setTimeout(() => setOpen("edit"), 0);
              }}
            />
          </FormPanel>
        ) : null}
        <dl className="kv">
          <dt>MRN</dt>
          <dd>{p.mrn}</dd>
          <dt>Name</dt>
          <dd>
            {p.familyName}, {p.givenName}
          </dd>
          <dt>Birth date</dt>
          <dd>{formatDate(p.birthDate)}</dd>
          <dt>Sex</dt>
          <dd>{humanize(p.sex)}</dd>
          <dt>Height</dt>
          <dd>{p.heightCm ? `${formatNumber(p.heightCm)} cm` : "—"}</dd>
          <dt>Record version</dt>
          <dd>
            {p.version} <span className="muted">(updated {formatDateTime(p.updatedAt)})</span>
          </dd>
        </dl>
      </section>
    </div>
  );
}
