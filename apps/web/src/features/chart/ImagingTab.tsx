"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { DicomStudiesPanel } from "@/components/imaging/DicomStudiesPanel";
import { EmptyState } from "@/components/States";
import {
  ImagingStudyCreateDocument,
  RadiopharmaceuticalsDocument,
  type Modality,
  type StudyPurpose,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatDateTime, formatMBq, formatNumber, humanize, toDateTimeLocal } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import type { ChartIntent, ChartPatient, OnSaved } from "./types";

const MODALITIES: Modality[] = ["PET", "SPECT", "CT", "MRI"];
const PURPOSES: StudyPurpose[] = ["BASELINE", "POST_THERAPY", "INTERIM", "RESTAGING", "FOLLOW_UP"];

function StudyForm({ patient, onSaved, onClose }: { patient: ChartPatient; onSaved: OnSaved; onClose: () => void }) {
  const form = useForm();
  const tracers = useQuery(RadiopharmaceuticalsDocument, { variables: {} });
  const [create] = useMutation(ImagingStudyCreateDocument);
  const cycles = patient.courses.flatMap((c) => c.cycles.map((y) => ({ value: y.id, label: `${c.radiopharmaceutical.name} cycle ${y.number}` })));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const input = {
      patientId: patient.id,
      modality: r.requiredText("modality", "Modality") as Modality,
      tracerId: r.text("tracerId") ?? null,
      performedAt: r.dateTime("performedAt", "Performed at", true) ?? "",
      injectedActivityMBq: r.number("injectedActivityMBq", "Injected activity") ?? null,
      injectedAt: r.dateTime("injectedAt", "Injected at", false) ?? null,
      weightKg: r.number("weightKg", "Weight") ?? null,
      purpose: r.requiredText("purpose", "Purpose") as StudyPurpose,
      cycleId: r.text("cycleId") ?? null,
      studyInstanceUid: r.text("studyInstanceUid") ?? null,
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await create({ variables: { input } });
      return res.data?.imagingStudyCreate.userErrors ?? [];
    });
    if (ok) {
      await onSaved();
      onClose();
    }
  }
  const err = form.errors.fields;
  return (
    <FormPanel title="Register an imaging study">
      <form onSubmit={onSubmit} noValidate>
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <SelectField name="modality" label="Modality" required options={MODALITIES.map((m) => ({ value: m, label: m }))} defaultValue="PET" error={err.modality} />
          <SelectField
            name="tracerId"
            label="Tracer"
            placeholder="None (CT / MRI)"
            options={(tracers.data?.radiopharmaceuticals ?? []).map((t) => ({ value: t.id, label: `${t.name} (${t.use})` }))}
            error={err.tracerId}
          />
          <SelectField name="purpose" label="Purpose" required options={enumOptions(PURPOSES)} defaultValue="BASELINE" error={err.purpose} />
          <TextField name="performedAt" label="Performed at" type="datetime-local" required defaultValue={toDateTimeLocal(new Date())} error={err.performedAt} />
          <TextField name="injectedActivityMBq" label="Injected activity (MBq)" inputMode="decimal" error={err.injectedActivityMBq} />
          <TextField name="injectedAt" label="Injected at" type="datetime-local" error={err.injectedAt} />
          <TextField name="weightKg" label="Weight at scan (kg)" inputMode="decimal" defaultValue={patient.latestWeight?.weightKg} error={err.weightKg} />
          <SelectField name="cycleId" label="Therapy cycle" placeholder="Not linked" options={cycles} error={err.cycleId} />
          <TextField name="studyInstanceUid" label="Study Instance UID" autoComplete="off" error={err.studyInstanceUid} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Register study" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

export function ImagingTab({ patient: p, intent, onSaved }: { patient: ChartPatient; intent: ChartIntent; onSaved: OnSaved }) {
  const can = useCan();
  const [open, setOpen] = useState(intent.action === "study" && can("study:write"));
  const studies = [...p.studies].sort((a, b) => b.performedAt.localeCompare(a.performedAt));
  return (
    <div className="stack">
      <p className="alert alert-info">
        Imaging: the PET/SPECT viewer arrives with the imaging service (issue “Web app and PET/SPECT viewer”, viewer part). Studies
        registered for this patient are listed below.
      </p>
      <DicomStudiesPanel patientId={p.id} />
      <h2>Registered studies</h2>
      <div className="row">
        <span className="spacer" />
        {can("study:write") ? (
          <button type="button" className="btn" onClick={() => setOpen(true)}>
            Register study
          </button>
        ) : null}
      </div>
      {open ? <StudyForm patient={p} onSaved={onSaved} onClose={() => setOpen(false)} /> : null}
      {studies.length === 0 ? (
        <EmptyState title="No imaging studies registered." />
      ) : (
        <table aria-label="Imaging studies">
          <thead>
            <tr>
              <th scope="col">Performed</th>
              <th scope="col">Modality</th>
              <th scope="col">Tracer</th>
              <th scope="col">Purpose</th>
              <th scope="col" className="num">
                Injected
              </th>
              <th scope="col" className="num">
                Weight
              </th>
              <th scope="col">Cycle</th>
              <th scope="col">Study UID</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((s) => (
              <tr key={s.id}>
                <td>{formatDateTime(s.performedAt)}</td>
                <td>{s.modality}</td>
                <td>{s.tracer?.name ?? "—"}</td>
                <td>{humanize(s.purpose)}</td>
                <td className="num">{formatMBq(s.injectedActivityMBq)}</td>
                <td className="num">{s.weightKg ? `${formatNumber(s.weightKg)} kg` : "—"}</td>
                <td>{s.cycle ? s.cycle.number : "—"}</td>
                <td>
                  <code>{s.studyInstanceUid ?? "—"}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
