"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ErrorSummary } from "@/components/FormParts";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import {
  DoseWhatIfDocument,
  DosimetryOverviewDocument,
  DosimetryRecordCreateDocument,
  DosimetryRecordDocument,
  type DoseLedgerFieldsFragment,
} from "@/graphql/generated";
import { fromUserErrors, NO_ERRORS } from "@/lib/forms";
import { formatDateTime, formatNumber, humanize } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { RecordWorkspace } from "./RecordWorkspace";

/** Ledger of record (signed cycles) against the limit policy, unsigned contributions alongside. */
function LedgerTable({ ledger }: { ledger: DoseLedgerFieldsFragment }) {
  if (ledger.cycles.length === 0) return <EmptyState title="No dosimetry recorded yet." />;
  return (
    <>
      <table aria-label="Dose ledger">
        <thead>
          <tr>
            <th scope="col">Organ</th>
            <th scope="col">Signed cycles</th>
            <th scope="col">Cumulative dose (Gy)</th>
            <th scope="col">Dose limit / remaining (Gy)</th>
            <th scope="col">Cumulative BED (Gy)</th>
            <th scope="col">BED limit / remaining (Gy)</th>
            <th scope="col">Incl. unsigned drafts (Gy)</th>
          </tr>
        </thead>
        <tbody>
          {ledger.organs.map((o) => (
            <tr key={o.organ} data-organ={o.organ}>
              <th scope="row">
                {humanize(o.organ)}{" "}
                {o.exceeded ? <span className="badge badge-bad">limit exceeded</span> : null}
              </th>
              <td>{o.cycles}</td>
              <td data-testid={`ledger-dose-${o.organ}`}>
                {formatNumber(o.cumulativeAbsorbedGy, 2)}
                {o.cumulativeAbsorbedSdGy ? (
                  <span className="muted"> ± {formatNumber(o.cumulativeAbsorbedSdGy, 2)}</span>
                ) : null}
              </td>
              <td>
                {o.absorbedLimitGy !== null && o.absorbedLimitGy !== undefined
                  ? `${o.absorbedLimitGy} / ${formatNumber(o.absorbedRemainingGy, 2)} (${formatNumber((o.absorbedFractionUsed ?? 0) * 100, 0)} % used)`
                  : "—"}
              </td>
              <td data-testid={`ledger-bed-${o.organ}`}>{formatNumber(o.cumulativeBedGy, 2)}</td>
              <td>
                {o.bedLimitGy !== null && o.bedLimitGy !== undefined
                  ? `${o.bedLimitGy} / ${formatNumber(o.bedRemainingGy, 2)} (${formatNumber((o.bedFractionUsed ?? 0) * 100, 0)} % used)`
                  : "—"}
              </td>
              <td
                className={o.projectedAbsorbedGy !== o.cumulativeAbsorbedGy ? "muted" : undefined}
              >
                {formatNumber(o.projectedAbsorbedGy, 2)}
                {o.projectedBedGy !== null && o.projectedBedGy !== undefined
                  ? ` (BED ${formatNumber(o.projectedBedGy, 2)})`
                  : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="max-next">
        <strong>Next cycle:</strong>{" "}
        {ledger.maxNextActivityGBq !== null && ledger.maxNextActivityGBq !== undefined
          ? `organ limits allow at most ${formatNumber(ledger.maxNextActivityGBq, 2)} GBq`
          : "—"}
        {ledger.limitingOrgan
          ? ` (limiting: ${humanize(ledger.limitingOrgan)} ${ledger.limitingConstraint === "bed" ? "BED" : "absorbed dose"})`
          : ""}
        . <span className="muted">
          This is the organ-tolerance bound from the signed dosimetry, not a prescription: the
          activity given stays the board's and physician's decision within the regimen.{" "}
          {ledger.nextMessage}
        </span>
      </p>
      {ledger.nextWarnings.map((w, i) => (
        <p key={i} className="muted">
          {w}
        </p>
      ))}
      <details>
        <summary>Limit policy {ledger.policy.name} and sources</summary>
        <ul>
          {ledger.policy.limits.map((l) => (
            <li key={l.organ}>
              {humanize(l.organ)}:{" "}
              {l.absorbedGy !== null && l.absorbedGy !== undefined
                ? `${l.absorbedGy} Gy absorbed`
                : ""}
              {l.bedGy !== null && l.bedGy !== undefined ? `, ${l.bedGy} Gy BED` : ""} — {l.source}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

/** What-if: slider and number input bound together; the projection comes from the API (quantification whatIfNextCycle). */
function WhatIf({ patientId, policy }: { patientId: string; policy: string }) {
  const [value, setValue] = useState("7.4");
  const [debounced, setDebounced] = useState(7.4);
  useEffect(() => {
    const n = Number(value);
    const t = setTimeout(() => {
      if (Number.isFinite(n) && n > 0 && n <= 30) setDebounced(n);
    }, 200);
    return () => clearTimeout(t);
  }, [value]);
  const n = Number(value);
  const invalid = !(Number.isFinite(n) && n > 0 && n <= 30);
  const q = useQuery(DoseWhatIfDocument, {
    variables: { patientId, activityGBq: debounced, policy },
    fetchPolicy: "network-only",
  });
  return (
    <section className="card" aria-labelledby="h-whatif">
      <h4 id="h-whatif">What if — next cycle activity</h4>
      <div className="row">
        <label htmlFor="whatif-slider">Activity (GBq)</label>
        <input
          id="whatif-slider"
          type="range"
          min={0.5}
          max={15}
          step={0.1}
          value={invalid ? 7.4 : Math.min(15, n)}
          onChange={(e) => setValue(e.target.value)}
          aria-valuetext={`${value} GBq`}
        />
        <label htmlFor="whatif-number" className="sr-only">
          Activity in GBq
        </label>
        <input
          id="whatif-number"
          type="number"
          min={0.1}
          max={30}
          step={0.1}
          size={6}
          value={value}
          aria-invalid={invalid}
          aria-describedby={invalid ? "whatif-error" : undefined}
          onChange={(e) => setValue(e.target.value)}
        />
        <span>GBq</span>
      </div>
      {invalid ? (
        <p className="field-error" id="whatif-error" role="alert">
          Activity must be a number above 0 and at most 30 GBq (got {JSON.stringify(value)}).
        </p>
      ) : null}
      {q.error ? (
        <ErrorState error={q.error} />
      ) : !q.data ? (
        <Loading />
      ) : (
        <ul aria-live="polite" data-testid="whatif-result">
          {q.data.doseWhatIf.organs.map((o) => (
            <li key={o.organ} className={o.exceeds ? "field-error" : undefined}>
              {o.message}
            </li>
          ))}
          {q.data.doseWhatIf.notProjected.length ? (
            <li className="muted">
              Not projected (no signed dosimetry): {q.data.doseWhatIf.notProjected.join(", ")}
            </li>
          ) : null}
          {q.data.doseWhatIf.organs.length === 0 ? (
            <li className="muted">No signed dosimetry yet – nothing to project from.</li>
          ) : null}
        </ul>
      )}
    </section>
  );
}

function CycleWorkspace({
  cycleId,
  recordId,
  lesions,
  onChanged,
}: {
  cycleId: string;
  recordId: string;
  lesions: readonly { id: string; label: string; organ: string }[];
  onChanged: () => Promise<unknown>;
}) {
  const q = useQuery(DosimetryRecordDocument, { variables: { id: recordId } });
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading label="Loading dosimetry…" />;
  const r = q.data.dosimetryRecord;
  if (!r) return <EmptyState title="Dosimetry record not found." />;
  return (
    <RecordWorkspace
      key={`${cycleId}:${r.id}:${r.status}`}
      record={r}
      lesions={lesions}
      onChanged={async () => {
        await Promise.all([q.refetch(), onChanged()]);
      }}
    />
  );
}

export function DosimetryTab({
  patientId,
  cycleId,
}: {
  patientId: string;
  cycleId: string | null;
}) {
  const can = useCan();
  const router = useRouter();
  const pathname = usePathname();
  const [policy, setPolicy] = useState<string | null>(null);
  const q = useQuery(DosimetryOverviewDocument, { variables: { id: patientId, policy } });
  const [create, createState] = useMutation(DosimetryRecordCreateDocument);
  const [errors, setErrors] = useState(NO_ERRORS);
  const [show, setShow] = useState<"ALL" | "SIGNED" | "DRAFT" | "NONE">("ALL");
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading label="Loading dosimetry…" />;
  const node = q.data.node;
  if (!node || node.__typename !== "Patient") return <EmptyState title="Patient not found." />;
  const ledger = q.data.doseLedger;
  const open = (id: string) =>
    router.replace(`${pathname}?tab=dosimetry&cycle=${encodeURIComponent(id)}`, { scroll: false });
  const cycles = node.courses.flatMap((c, ci) =>
    c.cycles.map((y) => ({ ...y, courseOrdinal: ci + 1, intent: c.intent })),
  );
  const selected = cycles.find((c) => c.id === cycleId) ?? null;
  const latest = (c: (typeof cycles)[number]) =>
    [...c.dosimetryRecords].sort((a, b) => b.revision - a.revision)[0] ?? null;
  const onChanged = () => q.refetch();

  return (
    <div className="stack">
      <section className="card" aria-labelledby="h-ledger">
        <div className="row">
          <h3 id="h-ledger">Cumulative dose ledger (signed cycles of record)</h3>
          <span className="spacer" />
          <label htmlFor="policy">Limit policy</label>
          <select
            id="policy"
            value={ledger.policy.name}
            onChange={(e) => setPolicy(e.target.value)}
          >
            {q.data.doseLimitPolicies.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
          <a className="btn" href={ledger.csvPath} download>
            Ledger CSV
          </a>
          <a className="btn" href={ledger.reportPath} download>
            Cumulative PDF
          </a>
        </div>
        <LedgerTable ledger={ledger} />
      </section>
      <WhatIf
        key={ledger.cycles.map((c) => `${c.record.id}:${c.signed}`).join(",")}
        patientId={patientId}
        policy={ledger.policy.name}
      />

      <section className="card" aria-labelledby="h-cycles">
        <div className="row">
          <h3 id="h-cycles">Cycles</h3>
          <span className="spacer" />
          <label htmlFor="cycle-filter">Show</label>
          <select
            id="cycle-filter"
            value={show}
            onChange={(e) => setShow(e.target.value as typeof show)}
          >
            <option value="ALL">all cycles</option>
            <option value="SIGNED">signed dosimetry</option>
            <option value="DRAFT">unsigned drafts</option>
            <option value="NONE">no dosimetry yet</option>
          </select>
        </div>
        <ErrorSummary errors={errors} />
        {cycles.length === 0 ? (
          <EmptyState title="No therapy cycles." />
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Course / cycle</th>
                <th scope="col">Status</th>
                <th scope="col">Administered</th>
                <th scope="col">Activity (GBq)</th>
                <th scope="col">Dosimetry</th>
                <th scope="col">Kidneys (Gy)</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cycles
                .filter(
                  (c) =>
                    show === "ALL" || (show === "NONE" ? !latest(c) : latest(c)?.status === show),
                )
                .map((c) => {
                  const rec = latest(c);
                  const lc = ledger.cycles.find((x) => x.cycle.id === c.id);
                  const kid = lc?.organs.find((o) => o.organ === "KIDNEYS");
                  return (
                    <tr key={c.id} aria-current={c.id === cycleId ? "true" : undefined}>
                      <td>
                        {c.courseOrdinal} ({humanize(c.intent)}) / {c.number}
                      </td>
                      <td>{humanize(c.status)}</td>
                      <td>{c.infusionStart ? formatDateTime(c.infusionStart) : "—"}</td>
                      <td>{c.netActivityMBq ? formatNumber(c.netActivityMBq / 1000, 2) : "—"}</td>
                      <td>
                        {rec ? (
                          <span
                            className={`badge badge-${rec.status === "SIGNED" ? "ok" : "warn"}`}
                          >
                            {rec.status === "SIGNED"
                              ? `Signed r${rec.revision}`
                              : `Unsigned draft r${rec.revision}`}
                          </span>
                        ) : (
                          <span className="muted">none</span>
                        )}
                      </td>
                      <td className={lc && !lc.signed ? "muted" : undefined}>
                        {kid
                          ? `${formatNumber(kid.doseGy, 2)}${lc && !lc.signed ? " (unsigned)" : ""}`
                          : "—"}
                      </td>
                      <td>
                        {rec ? (
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => open(c.id)}
                          >
                            Open workspace
                          </button>
                        ) : c.status === "ADMINISTERED" && can("dosimetry:write") ? (
                          <button
                            type="button"
                            className="btn btn-small"
                            disabled={createState.loading}
                            onClick={async () => {
                              const r = await create({ variables: { input: { cycleId: c.id } } });
                              const ue = r.data?.dosimetryRecordCreate.userErrors ?? [];
                              setErrors(fromUserErrors(ue));
                              if (ue.length === 0) {
                                await q.refetch();
                                open(c.id);
                              }
                            }}
                          >
                            Start dosimetry
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        )}
      </section>
      {selected ? (
        latest(selected) ? (
          <CycleWorkspace
            cycleId={selected.id}
            recordId={latest(selected)!.id}
            lesions={node.lesions}
            onChanged={onChanged}
          />
        ) : (
          <EmptyState title={`Cycle ${selected.number} has no dosimetry yet.`} />
        )
      ) : null}
    </div>
  );
}
