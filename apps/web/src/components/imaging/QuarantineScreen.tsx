"use client";

import { useLazyQuery, useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { TextField } from "@/components/Field";
import { ErrorSummary, FormPanel } from "@/components/FormParts";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import {
  PatientPickDocument,
  QuarantineAssignDocument,
  QuarantineDocument,
  type PatientPickQuery,
  type QuarantineQuery,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatDate, formatDateTime } from "@/lib/format";
import { formatDicomDate } from "./format";
import { useCanImaging } from "./permissions";
import { quarantineReasonText } from "./upload-client";

type QStudy = QuarantineQuery["quarantine"]["edges"][number]["node"];
type Pick = PatientPickQuery["patients"]["edges"][number]["node"];

const PAGE = 25;

export function QuarantineScreen() {
  const can = useCanImaging();
  const allowed = can("quarantine:resolve");
  const { data, loading, error, refetch, fetchMore } = useQuery(QuarantineDocument, {
    variables: { first: PAGE },
    fetchPolicy: "cache-and-network",
    skip: !allowed,
  });
  const [assigning, setAssigning] = useState<QStudy | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (!allowed) {
    return (
      <div className="alert alert-error" role="alert">
        You are not allowed to resolve quarantined studies.
      </div>
    );
  }
  const edges = data?.quarantine.edges ?? [];
  return (
    <div className="stack">
      <h1>Imaging quarantine</h1>
      <p className="muted">
        Studies whose Patient ID / birth date matched no patient. Check the DICOM identifiers, then assign each study to the right
        patient; every assignment is versioned and audited.
      </p>
      {done ? (
        <p className="alert alert-info" role="status">
          {done}
        </p>
      ) : null}
      {assigning ? (
        <AssignForm
          study={assigning}
          onClose={() => setAssigning(null)}
          onDone={async (mrn) => {
            setAssigning(null);
            setDone(`Study assigned to ${mrn}.`);
            await refetch();
          }}
        />
      ) : null}
      {error ? <ErrorState error={error} onRetry={() => void refetch()} /> : null}
      {loading && !data ? <Loading /> : null}
      {data && edges.length === 0 ? <EmptyState title="No studies in quarantine." /> : null}
      {edges.length > 0 ? (
        <table aria-label="Quarantined studies">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Reason</th>
              <th scope="col">DICOM Patient ID</th>
              <th scope="col">DICOM birth date</th>
              <th scope="col">Study date</th>
              <th scope="col">Description</th>
              <th scope="col">Series</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {edges.map(({ node: s }) => (
              <tr key={s.id} data-study-uid={s.studyInstanceUid}>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>
                  <span className="badge badge-warn">{quarantineReasonText(s.quarantineReason)}</span>
                </td>
                <td>
                  <code>{s.dicomPatientId ?? "—"}</code>
                </td>
                <td>{formatDicomDate(s.dicomBirthDate)}</td>
                <td>{formatDicomDate(s.studyDate)}</td>
                <td>{s.description ?? "—"}</td>
                <td>{s.series.map((x) => `${x.modality ?? "?"} (${x.instanceCount})`).join(", ") || "—"}</td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={`Assign study with Patient ID ${s.dicomPatientId ?? "none"}`}
                    onClick={() => {
                      setDone(null);
                      setAssigning(s);
                    }}
                  >
                    Assign…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {data?.quarantine.pageInfo.hasNextPage ? (
        <button
          type="button"
          className="btn"
          onClick={() => void fetchMore({ variables: { first: PAGE, after: data.quarantine.pageInfo.endCursor } })}
        >
          Load more
        </button>
      ) : null}
    </div>
  );
}

function AssignForm({ study, onClose, onDone }: { study: QStudy; onClose: () => void; onDone: (mrn: string) => Promise<void> }) {
  const form = useForm();
  const [search, { data, loading }] = useLazyQuery(PatientPickDocument, { fetchPolicy: "network-only" });
  const [chosen, setChosen] = useState<Pick | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [assign] = useMutation(QuarantineAssignDocument);
  const results = data?.patients.edges.map((e) => e.node) ?? [];

  function onSearch(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const q = new FormData(e.currentTarget).get("q");
    if (typeof q === "string" && q.trim().length > 0) {
      setChosen(null);
      setConfirming(false);
      void search({ variables: { search: q.trim() } });
    }
  }

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const reason = r.requiredText("reason", "Reason");
    if (!chosen) r.fail("patientId", "Choose a patient");
    if (r.problems.length === 0 && !confirming) {
      setConfirming(true);
      form.reset();
      return;
    }
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length || !chosen) return r.problems;
      const res = await assign({ variables: { input: { studyId: study.id, patientId: chosen.id, version: study.version, reason } } });
      return res.data?.quarantineAssign.userErrors ?? [];
    });
    if (ok && chosen) await onDone(chosen.mrn);
    else setConfirming(false);
  }

  const mismatch =
    chosen && (chosen.mrn !== study.dicomPatientId || chosen.birthDate.replace(/-/g, "") !== (study.dicomBirthDate ?? ""));
  return (
    <FormPanel title="Assign a quarantined study">
      <p>
        DICOM Patient ID <code>{study.dicomPatientId ?? "—"}</code>, birth date {formatDicomDate(study.dicomBirthDate)} —{" "}
        {quarantineReasonText(study.quarantineReason)}.
      </p>
      <form onSubmit={onSearch} role="search" aria-label="Find patient">
        <div className="row">
          <TextField name="q" label="Find patient (MRN or name)" autoComplete="off" />
          <button type="submit" className="btn">
            Search
          </button>
        </div>
      </form>
      {loading ? <Loading label="Searching…" /> : null}
      {data && results.length === 0 ? <EmptyState title="No matching patient." /> : null}
      {results.length > 0 ? (
        <fieldset>
          <legend>Patient</legend>
          {results.map((p) => (
            <label key={p.id} className="field-check" style={{ display: "block" }}>
              <input
                type="radio"
                name="patientPick"
                value={p.id}
                checked={chosen?.id === p.id}
                onChange={() => {
                  setChosen(p);
                  setConfirming(false);
                }}
              />{" "}
              {p.mrn} · {p.familyName}, {p.givenName} · born {formatDate(p.birthDate)}
            </label>
          ))}
        </fieldset>
      ) : null}
      <form onSubmit={onSubmit} noValidate aria-label="Assign study">
        <ErrorSummary errors={form.errors} />
        {form.errors.fields.patientId ? (
          <p className="field-error" role="alert">
            {form.errors.fields.patientId}
          </p>
        ) : null}
        <TextField name="reason" label="Reason (no names)" required autoComplete="off" error={form.errors.fields.reason} />
        {confirming && chosen ? (
          <div className="alert alert-conflict" role="alert">
            <strong>
              Assign this study to {chosen.mrn} ({chosen.familyName}, {chosen.givenName})?
            </strong>
            {mismatch ? <p>The DICOM Patient ID or birth date differs from this patient&apos;s record. Check before confirming.</p> : null}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={form.submitting}>
            {form.submitting ? "Saving…" : confirming ? "Confirm assignment" : "Assign study"}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </FormPanel>
  );
}
