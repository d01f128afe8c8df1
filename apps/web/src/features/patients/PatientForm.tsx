"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions } from "@/components/FormParts";
import {
  PatientCreateDocument,
  PatientUpdateDocument,
  type PatientCoreFragment,
  type PatientStatus,
  type Sex,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { humanize } from "@/lib/format";

const SEXES: Sex[] = ["FEMALE", "MALE", "OTHER", "UNKNOWN"];
const STATUSES: PatientStatus[] = ["REFERRED", "IN_WORKUP", "ON_TREATMENT", "FOLLOW_UP", "CLOSED"];

interface Props {
  /** Present when editing; the version captured here is the one sent (stale → CONFLICT). */
  readonly patient?: PatientCoreFragment;
  readonly onDone: (patientId: string) => void;
  readonly onCancel?: () => void;
  readonly onReload?: () => void;
}

export function PatientForm({ patient, onDone, onCancel, onReload }: Props) {
  const form = useForm();
  const [editedVersion] = useState(patient?.version ?? 0);
  const [create] = useMutation(PatientCreateDocument);
  const [update] = useMutation(PatientUpdateDocument);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const fields = {
      mrn: r.requiredText("mrn", "MRN"),
      familyName: r.requiredText("familyName", "Family name"),
      givenName: r.requiredText("givenName", "Given name"),
      birthDate: r.requiredText("birthDate", "Birth date"),
      sex: r.requiredText("sex", "Sex") as Sex,
      heightCm: r.number("heightCm", "Height"),
    };
    let id: string | null = null;
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      if (patient) {
        const status = r.requiredText("status", "Status") as PatientStatus;
        const res = await update({
          variables: { input: { id: patient.id, version: editedVersion, ...fields, status } },
        });
        id = res.data?.patientUpdate.patient?.id ?? null;
        return res.data?.patientUpdate.userErrors ?? [];
      }
      const res = await create({ variables: { input: fields } });
      id = res.data?.patientCreate.patient?.id ?? null;
      return res.data?.patientCreate.userErrors ?? [];
    });
    if (ok && id) onDone(id);
  }

  const err = form.errors.fields;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={patient ? "Edit patient" : "New patient"}>
      <ErrorSummary errors={form.errors} onReload={onReload} />
      <div className="form-grid">
        <TextField name="mrn" label="MRN" required defaultValue={patient?.mrn} error={err.mrn} autoComplete="off" />
        <TextField name="familyName" label="Family name" required defaultValue={patient?.familyName} error={err.familyName} autoComplete="off" />
        <TextField name="givenName" label="Given name" required defaultValue={patient?.givenName} error={err.givenName} autoComplete="off" />
        <TextField name="birthDate" label="Birth date" type="date" required defaultValue={patient?.birthDate} error={err.birthDate} />
        <SelectField
          name="sex"
          label="Sex"
          required
          placeholder="Choose…"
          options={enumOptions(SEXES)}
          defaultValue={patient?.sex ?? ""}
          error={err.sex}
        />
        <TextField
          name="heightCm"
          label="Height (cm)"
          inputMode="decimal"
          defaultValue={patient?.heightCm ?? undefined}
          error={err.heightCm}
        />
        {patient ? (
          <SelectField
            name="status"
            label="Status"
            required
            options={STATUSES.map((s) => ({ value: s, label: humanize(s) }))}
            defaultValue={patient.status}
            error={err.status}
          />
        ) : null}
      </div>
      <FormActions submitting={form.submitting} submitLabel={patient ? "Save changes" : "Create patient"} onCancel={onCancel} />
    </form>
  );
}
