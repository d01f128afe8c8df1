"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import {
  QuantificationJobDocument,
  SeriesQuantifyDocument,
  type DicomSeriesFieldsFragment,
  type QuantificationMethod,
} from "@/graphql/generated";
import { FormReader, useForm, type ApiUserError } from "@/lib/forms";

const METHODS: { value: QuantificationMethod; label: string }[] = [
  { value: "THRESHOLD", label: "Fixed SUV threshold" },
  { value: "PERCENT_MAX", label: "Percent of SUVmax" },
  { value: "PERCIST", label: "PERCIST (liver reference)" },
];

/** "x, y, z" in mm → [x, y, z], or a problem. */
export function parsePoint(text: string | undefined, name: string, label: string, r: FormReader): number[] | null {
  if (text === undefined) return null;
  const parts = text.split(/[,;\s]+/).filter(Boolean).map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) {
    r.fail(name, `${label} must be three numbers x, y, z (mm)`);
    return null;
  }
  return parts;
}

export function QuantifyForm({ series, onClose, onQueued }: { series: DicomSeriesFieldsFragment; onClose: () => void; onQueued: (jobId: string) => void }) {
  const form = useForm();
  const [method, setMethod] = useState<QuantificationMethod>("THRESHOLD");
  const [run] = useMutation(SeriesQuantifyDocument);
  const err = form.errors.fields;
  const perr = (k: string) => err[`params.${k}`] ?? err[k];

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const raw = {
      threshold: method === "THRESHOLD" ? (r.requiredNumber("threshold", "SUV threshold") as number | null) : null,
      percentOfMax: method === "PERCENT_MAX" ? (r.number("percentOfMax", "Percent of SUVmax") ?? null) : null,
      minVolumeMl: r.number("minVolumeMl", "Minimum volume") ?? null,
      maxCandidates: r.number("maxCandidates", "Maximum candidates") ?? null,
      liverCentreMm: parsePoint(r.text("liverCentreMm"), "liverCentreMm", "Liver VOI centre", r),
      liverDiameterMm: r.number("liverDiameterMm", "Liver VOI diameter") ?? null,
      spleenCentreMm: parsePoint(r.text("spleenCentreMm"), "spleenCentreMm", "Spleen VOI centre", r),
      spleenDiameterMm: r.number("spleenDiameterMm", "Spleen VOI diameter") ?? null,
    };
    // The API refuses explicit nulls for optional params: send only what was entered.
    const params = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined));
    if (method === "PERCIST" && !raw.liverCentreMm) r.fail("liverCentreMm", "PERCIST needs the liver VOI centre");
    let jobId: string | null = null;
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await run({ variables: { input: { seriesId: series.id, method, params } } });
      jobId = res.data?.seriesQuantify.job?.id ?? null;
      return (res.data?.seriesQuantify.userErrors ?? []).map(
        (u): ApiUserError => ({ ...u, field: u.field.filter((f) => f !== "params") }),
      );
    });
    if (ok && jobId) onQueued(jobId);
  }

  return (
    <FormPanel title="Quantify lesions">
      <form onSubmit={onSubmit} noValidate aria-label="Quantify lesions">
        <ErrorSummary errors={form.errors} />
        {series.qa?.blocking ? (
          <p className="alert alert-error" role="alert">
            QA has blocking findings; quantification will be refused until they are overridden.
          </p>
        ) : null}
        <div className="form-grid">
          <SelectField
            name="method"
            label="Method"
            required
            options={METHODS}
            value={method}
            onChange={(e) => setMethod(e.currentTarget.value as QuantificationMethod)}
            error={err.method}
          />
          {method === "THRESHOLD" ? (
            <TextField name="threshold" label="SUV threshold" required inputMode="decimal" defaultValue="4" error={perr("threshold")} />
          ) : null}
          {method === "PERCENT_MAX" ? (
            <TextField name="percentOfMax" label="Percent of SUVmax (%)" inputMode="decimal" placeholder="41" error={perr("percentOfMax")} />
          ) : null}
          <TextField name="minVolumeMl" label="Minimum volume (mL)" inputMode="decimal" placeholder="0.5" error={perr("minVolumeMl")} />
          <TextField name="maxCandidates" label="Maximum candidates" inputMode="numeric" error={perr("maxCandidates")} />
          <TextField
            name="liverCentreMm"
            label="Liver VOI centre x, y, z (mm)"
            required={method === "PERCIST"}
            autoComplete="off"
            error={perr("liverCentreMm")}
          />
          <TextField name="liverDiameterMm" label="Liver VOI diameter (mm)" inputMode="decimal" placeholder="30" error={perr("liverDiameterMm")} />
          <TextField name="spleenCentreMm" label="Spleen VOI centre x, y, z (mm)" autoComplete="off" error={perr("spleenCentreMm")} />
          <TextField name="spleenDiameterMm" label="Spleen VOI diameter (mm)" inputMode="decimal" error={perr("spleenDiameterMm")} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Start quantification" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

/** Polls `job(id)` every second until it succeeds or fails. */
export function JobProgress({ id, onFinished }: { id: string; onFinished: () => void }) {
  const { data, error, stopPolling } = useQuery(QuantificationJobDocument, { variables: { id }, pollInterval: 1000, fetchPolicy: "network-only" });
  const job = data?.job;
  const finished = job?.status === "SUCCEEDED" || job?.status === "FAILED";
  useEffect(() => {
    if (finished) {
      stopPolling();
      onFinished();
    }
    // onFinished is a fresh closure each render; react to the status only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [finished, stopPolling]);
  if (error) {
    return (
      <p className="alert alert-error" role="alert">
        Could not follow the quantification job: {error.message}
      </p>
    );
  }
  if (!job) return <p role="status">Quantification job queued…</p>;
  return (
    <div role="status" aria-label="Quantification job" data-job-status={job.status}>
      <strong>Quantification ({job.method.toLowerCase().replace("_", " ")}):</strong>{" "}
      {job.status === "QUEUED" ? "queued" : job.status === "RUNNING" ? "running" : job.status === "SUCCEEDED" ? "finished" : "failed"}{" "}
      <progress max={100} value={job.progress} aria-label="Quantification progress" /> {Math.round(job.progress)} %
      {job.attempts > 1 ? ` · attempt ${job.attempts}` : ""}
      {job.error ? <span className="field-error"> {job.error}</span> : null}
    </div>
  );
}
