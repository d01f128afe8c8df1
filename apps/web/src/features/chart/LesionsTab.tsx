"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { CheckboxField, SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import {
  LesionCreateDocument,
  LesionMeasurementRecordDocument,
  PatientLesionsDocument,
  type MeasurementMethod,
  type PatientLesionsQuery,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatDate, formatNumber, todayIso } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import type { ChartPatient, ChartStudy } from "./types";

type Lesion = Extract<NonNullable<PatientLesionsQuery["node"]>, { __typename: "Patient" }>["lesions"][number];
const METHODS: MeasurementMethod[] = ["MANUAL", "THRESHOLD", "PERCENT_MAX", "PERCIST", "ROI", "IMPORTED"];

const studyLabel = (s: ChartStudy) => `${formatDate(s.performedAt)} ${s.modality}${s.tracer ? ` ${s.tracer.name}` : ""}`;

function LesionForm({ patientId, onSaved, onClose }: { patientId: string; onSaved: () => Promise<unknown>; onClose: () => void }) {
  const form = useForm();
  const [create] = useMutation(LesionCreateDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = {
      patientId,
      label: r.requiredText("label", "Label"),
      organ: r.requiredText("organ", "Organ"),
      location: r.text("location") ?? null,
      firstSeenOn: r.requiredText("firstSeenOn", "First seen on"),
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await create({ variables: { input } });
      return res.data?.lesionCreate.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Add a lesion">
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <TextField name="label" label="Label" required placeholder="e.g. L1" error={err.label} />
          <TextField name="organ" label="Organ" required error={err.organ} />
          <TextField name="location" label="Location" error={err.location} />
          <TextField name="firstSeenOn" label="First seen on" type="date" required defaultValue={todayIso()} error={err.firstSeenOn} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Add lesion" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

function MeasurementForm({
  lesions,
  studies,
  onSaved,
  onClose,
}: {
  lesions: readonly Lesion[];
  studies: readonly ChartStudy[];
  onSaved: () => Promise<unknown>;
  onClose: () => void;
}) {
  const form = useForm();
  const [record] = useMutation(LesionMeasurementRecordDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const krenning = r.number("krenningScore", "Krenning score");
    const input = {
      lesionId: r.requiredText("lesionId", "Lesion"),
      studyId: r.requiredText("studyId", "Study"),
      suvMax: r.number("suvMax", "SUVmax") ?? null,
      suvPeak: r.number("suvPeak", "SUVpeak") ?? null,
      suvMean: r.number("suvMean", "SUVmean") ?? null,
      longAxisMm: r.number("longAxisMm", "Long axis") ?? null,
      shortAxisMm: r.number("shortAxisMm", "Short axis") ?? null,
      krenningScore: krenning ?? null,
      isTarget: r.checked("isTarget"),
      method: r.requiredText("method", "Method") as MeasurementMethod,
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await record({ variables: { input } });
      return res.data?.lesionMeasurementRecord.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Record a lesion measurement">
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <SelectField name="lesionId" label="Lesion" required placeholder="Choose…" options={lesions.map((l) => ({ value: l.id, label: `${l.label} — ${l.organ}` }))} error={err.lesionId} />
          <SelectField name="studyId" label="Study" required placeholder="Choose…" options={studies.map((s) => ({ value: s.id, label: studyLabel(s) }))} error={err.studyId} />
          <SelectField name="method" label="Method" required options={enumOptions(METHODS)} defaultValue="MANUAL" error={err.method} />
          <TextField name="suvMax" label="SUVmax" inputMode="decimal" error={err.suvMax} />
          <TextField name="suvPeak" label="SUVpeak" inputMode="decimal" error={err.suvPeak} />
          <TextField name="suvMean" label="SUVmean" inputMode="decimal" error={err.suvMean} />
          <TextField name="longAxisMm" label="Long axis (mm)" inputMode="decimal" error={err.longAxisMm} />
          <TextField name="shortAxisMm" label="Short axis (mm)" inputMode="decimal" error={err.shortAxisMm} />
          <TextField name="krenningScore" label="Krenning score (0–4)" inputMode="numeric" error={err.krenningScore} />
        </div>
        <CheckboxField name="isTarget" label="Target lesion" error={err.isTarget} />
        <FormActions submitting={form.submitting} submitLabel="Save measurement" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

function Cell({ m }: { m: Lesion["measurements"][number] | undefined }) {
  if (!m) return <td className="muted">—</td>;
  const axes = m.longAxisMm !== null ? `${formatNumber(m.longAxisMm)}${m.shortAxisMm !== null ? ` × ${formatNumber(m.shortAxisMm)}` : ""} mm` : null;
  return (
    <td>
      {m.suvMax !== null ? (
        <div>
          SUVmax <strong>{formatNumber(m.suvMax, 1)}</strong>
        </div>
      ) : null}
      {axes ? <div>{axes}</div> : null}
      {m.krenningScore !== null ? <div className="muted">Krenning {m.krenningScore}</div> : null}
      {m.isTarget ? <span className="badge badge-info">target</span> : null}
    </td>
  );
}

/** Lesions × time points (studies, oldest → newest) with SUVmax and axes. */
export function LesionsTab({ patient }: { patient: ChartPatient }) {
  const can = useCan();
  const q = useQuery(PatientLesionsDocument, { variables: { id: patient.id } });
  const [open, setOpen] = useState<"lesion" | "measurement" | null>(null);
  const node = q.data?.node;
  const lesions = node && node.__typename === "Patient" ? node.lesions : [];
  const measuredStudyIds = new Set(lesions.flatMap((l) => l.measurements.map((m) => m.study.id)));
  const columns = [...patient.studies].filter((s) => measuredStudyIds.has(s.id)).sort((a, b) => a.performedAt.localeCompare(b.performedAt));
  const refetch = () => q.refetch();
  return (
    <div className="stack">
      <div className="row">
        <span className="spacer" />
        {can("lesion:write") ? (
          <>
            <button type="button" className="btn" onClick={() => setOpen("lesion")}>
              Add lesion
            </button>
            <button type="button" className="btn" onClick={() => setOpen("measurement")} disabled={lesions.length === 0 || patient.studies.length === 0}>
              Record measurement
            </button>
          </>
        ) : null}
      </div>
      {open === "lesion" ? <LesionForm patientId={patient.id} onSaved={refetch} onClose={() => setOpen(null)} /> : null}
      {open === "measurement" ? <MeasurementForm lesions={lesions} studies={patient.studies} onSaved={refetch} onClose={() => setOpen(null)} /> : null}
      {q.error ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <Loading />
      ) : lesions.length === 0 ? (
        <EmptyState title="No lesions recorded." />
      ) : (
        <div style={{ overflowX: "auto" }}>
          <table aria-label="Lesions across time points">
            <thead>
              <tr>
                <th scope="col">Lesion</th>
                <th scope="col">Organ / location</th>
                {columns.map((s) => (
                  <th key={s.id} scope="col">
                    {studyLabel(s)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lesions.map((l) => (
                <tr key={l.id}>
                  <th scope="row">{l.label}</th>
                  <td>
                    {l.organ}
                    {l.location ? <span className="muted"> · {l.location}</span> : null}
                  </td>
                  {columns.map((s) => (
                    <Cell key={s.id} m={l.measurements.find((m) => m.study.id === s.id)} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {columns.length === 0 ? <p className="muted">No measurements yet.</p> : null}
        </div>
      )}
    </div>
  );
}
