"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { CheckboxField, SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { EmptyState } from "@/components/States";
import {
  LesionCandidateAcceptDocument,
  LesionCandidateRejectDocument,
  type CandidateFieldsFragment,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";
import { formatNumber, humanize } from "@/lib/format";
import { useCanImaging } from "./permissions";

const STATUS_TONE: Record<string, string> = { PROPOSED: "info", ACCEPTED: "ok", REJECTED: "neutral", MERGED: "neutral", SUPERSEDED: "neutral" };

export function CandidateTable({
  seriesName,
  candidates,
  onChanged,
}: {
  seriesName: string;
  candidates: readonly CandidateFieldsFragment[];
  onChanged: () => void;
}) {
  const can = useCanImaging();
  const [open, setOpen] = useState<{ id: string; action: "accept" | "reject" } | null>(null);
  const shown = [...candidates].filter((c) => c.status !== "SUPERSEDED").sort((a, b) => a.rank - b.rank);
  if (shown.length === 0) return candidates.length > 0 ? <EmptyState title="Every earlier candidate was superseded." /> : null;
  const active = open ? shown.find((c) => c.id === open.id) : undefined;
  return (
    <div className="stack">
      <h5>Lesion candidates</h5>
      {active && open?.action === "accept" ? (
        <AcceptForm
          candidate={active}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onChanged();
          }}
        />
      ) : null}
      {active && open?.action === "reject" ? (
        <RejectForm
          candidate={active}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onChanged();
          }}
        />
      ) : null}
      <table aria-label={`Lesion candidates of ${seriesName}`}>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col" className="num">
              SUVmax
            </th>
            <th scope="col" className="num">
              SUVpeak
            </th>
            <th scope="col" className="num">
              SUVmean
            </th>
            <th scope="col" className="num">
              Volume (mL)
            </th>
            <th scope="col" className="num">
              TLG
            </th>
            <th scope="col">Centroid (mm)</th>
            <th scope="col">Krenning (suggested)</th>
            <th scope="col">Match</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.id} data-candidate-status={c.status}>
              <td className="num">{c.rank}</td>
              <td className="num">{formatNumber(c.suvMax, 2)}</td>
              <td className="num">{formatNumber(c.suvPeak, 2)}</td>
              <td className="num">{formatNumber(c.suvMean, 2)}</td>
              <td className="num">{formatNumber(c.volumeMl, 2)}</td>
              <td className="num">{formatNumber(c.tlg, 1)}</td>
              <td>{c.centroidMm.map((v) => formatNumber(v, 0)).join(", ")}</td>
              <td>{c.krenningSuggested ?? "—"}</td>
              <td>{c.lesion ? c.lesion.label : c.matchedLesion ? `≈ ${c.matchedLesion.label}` : "—"}</td>
              <td>
                <span className={`badge badge-${STATUS_TONE[c.status] ?? "neutral"}`}>{humanize(c.status)}</span>
              </td>
              <td className="nowrap">
                {c.status === "PROPOSED" && can("candidate:review") ? (
                  <>
                    <button type="button" className="btn btn-small" aria-label={`Accept candidate ${c.rank}`} onClick={() => setOpen({ id: c.id, action: "accept" })}>
                      Accept
                    </button>{" "}
                    <button type="button" className="btn btn-small" aria-label={`Reject candidate ${c.rank}`} onClick={() => setOpen({ id: c.id, action: "reject" })}>
                      Reject
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AcceptForm({ candidate: c, onClose, onDone }: { candidate: CandidateFieldsFragment; onClose: () => void; onDone: () => void }) {
  const form = useForm();
  const [accept] = useMutation(LesionCandidateAcceptDocument);
  const [useMatch, setUseMatch] = useState(c.matchedLesion !== null && c.matchedLesion !== undefined);
  const err = form.errors.fields;

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const krenning = r.text("krenningScore");
    const input = {
      id: c.id,
      version: c.version,
      ...(useMatch && c.matchedLesion
        ? { lesionId: c.matchedLesion.id }
        : { newLesion: { label: r.requiredText("newLesion.label", "Label"), organ: r.requiredText("newLesion.organ", "Organ"), location: r.text("newLesion.location") ?? null } }),
      krenningScore: krenning === undefined ? null : Number(krenning),
      isTarget: r.checked("isTarget"),
      note: r.text("note") ?? null,
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await accept({ variables: { input } });
      return res.data?.lesionCandidateAccept.userErrors ?? [];
    });
    if (ok) onDone();
  }

  return (
    <FormPanel title={`Accept candidate ${c.rank}`}>
      <form onSubmit={onSubmit} noValidate aria-label={`Accept candidate ${c.rank}`}>
        <ErrorSummary errors={form.errors} onReload={onClose} />
        {c.matchedLesion ? (
          <CheckboxField
            name="useMatch"
            label={`Same lesion as ${c.matchedLesion.label} (proposed match)`}
            checked={useMatch}
            onChange={(e) => setUseMatch(e.currentTarget.checked)}
          />
        ) : null}
        <div className="form-grid">
          {!useMatch || !c.matchedLesion ? (
            <>
              <TextField name="newLesion.label" label="Lesion label" required autoComplete="off" error={err["newLesion.label"]} />
              <TextField name="newLesion.organ" label="Organ" required autoComplete="off" error={err["newLesion.organ"]} />
              <TextField name="newLesion.location" label="Location" autoComplete="off" error={err["newLesion.location"]} />
            </>
          ) : null}
          <SelectField
            name="krenningScore"
            label="Krenning score"
            placeholder="Not scored"
            options={[0, 1, 2, 3, 4].map((n) => ({ value: String(n), label: String(n) }))}
            defaultValue={c.krenningSuggested != null ? String(c.krenningSuggested) : ""}
            hint={c.krenningSuggested != null ? `Suggested ${c.krenningSuggested} from liver/spleen reference; you decide.` : undefined}
            error={err.krenningScore}
          />
          <CheckboxField name="isTarget" label="Target lesion" error={err.isTarget} />
          <TextField name="note" label="Note (no names)" autoComplete="off" error={err.note} />
        </div>
        <FormActions submitting={form.submitting} submitLabel="Accept candidate" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}

export function RejectForm({ candidate: c, onClose, onDone }: { candidate: CandidateFieldsFragment; onClose: () => void; onDone: () => void }) {
  const form = useForm();
  const [reject] = useMutation(LesionCandidateRejectDocument);
  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const reason = r.requiredText("reason", "Reason");
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      const res = await reject({ variables: { input: { id: c.id, version: c.version, reason } } });
      return res.data?.lesionCandidateReject.userErrors ?? [];
    });
    if (ok) onDone();
  }
  return (
    <FormPanel title={`Reject candidate ${c.rank}`}>
      <form onSubmit={onSubmit} noValidate aria-label={`Reject candidate ${c.rank}`}>
        <ErrorSummary errors={form.errors} onReload={onClose} />
        <TextField name="reason" label="Reason (e.g. physiological uptake)" required autoComplete="off" error={form.errors.fields.reason} />
        <FormActions submitting={form.submitting} submitLabel="Reject candidate" onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
