"use client";

import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { CartesianGrid, ComposedChart, Legend, Line, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { ErrorSummary } from "@/components/FormParts";
import {
  DosimetryRecordAmendDocument,
  DosimetryRecordSaveDocument,
  DosimetryRecordSignDocument,
  type DosimetryRecordFieldsFragment,
  type PhantomSex,
  type TacModel,
  type VoiKind,
} from "@/graphql/generated";
import { fromUserErrors, NO_ERRORS, type ApiUserError, type FormErrors } from "@/lib/forms";
import { formatDateTime, formatNumber, fromDateTimeLocal, humanize, toDateTimeLocal } from "@/lib/format";
import { useCan } from "@/lib/viewer";

type Rec = DosimetryRecordFieldsFragment;
type Voi = Rec["vois"][number];

export const MODELS: { value: TacModel; label: string }[] = [
  { value: "MONO_EXP", label: "Mono-exponential" },
  { value: "BI_EXP", label: "Bi-exponential (uptake–washout)" },
  { value: "TRAPEZOID_TAIL", label: "Trapezoid + tail" },
  { value: "SINGLE_TIME_POINT", label: "Single time point (Hänscheid)" },
];
const KINDS: VoiKind[] = ["KIDNEY_LEFT", "KIDNEY_RIGHT", "LIVER", "SPLEEN", "BONE_MARROW", "TUMOUR"];

interface TpState {
  key: string;
  acquiredAt: string;
  studyId: string | null;
  label: string;
}
interface VoiState {
  key: string;
  kind: VoiKind;
  label: string;
  lesionId: string | null;
  massG: string;
  volumeMl: string;
  model: TacModel;
  stpTimepointKey: string | null;
  source: string;
  activities: string[];
}
interface DocState {
  phantomSex: PhantomSex | "";
  calibrationFactor: string;
  activityRelSd: string;
  calibrationRelSd: string;
  massRelSd: string;
  notes: string;
  timepoints: TpState[];
  vois: VoiState[];
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));

function stateOf(r: Rec): DocState {
  return {
    phantomSex: r.phantomSex ?? "",
    calibrationFactor: num(r.calibrationFactorCpsPerMBq),
    activityRelSd: String(r.activityRelSd),
    calibrationRelSd: String(r.calibrationRelSd),
    massRelSd: String(r.massRelSd),
    notes: r.notes ?? "",
    timepoints: r.timepoints.map((t) => ({ key: t.key, acquiredAt: toDateTimeLocal(t.acquiredAt), studyId: t.study?.id ?? null, label: t.label ?? "" })),
    vois: r.vois.map((v) => ({
      key: v.key, kind: v.kind, label: v.label, lesionId: v.lesion?.id ?? null, massG: num(v.massG), volumeMl: num(v.volumeMl), model: v.model,
      stpTimepointKey: v.stpTimepointKey ?? null, source: v.source, activities: v.activities.map((a) => num(a)),
    })),
  };
}

/** Parses the form into the mutation input; client-side number problems are reported like userErrors. */
function inputOf(r: Rec, s: DocState): { input: Record<string, unknown> | null; problems: ApiUserError[] } {
  const problems: ApiUserError[] = [];
  const parse = (raw: string, field: string[], label: string): number | null => {
    const t = raw.trim().replace(",", ".");
    if (t === "") return null;
    const v = Number(t);
    if (!Number.isFinite(v)) {
      problems.push({ field: ["input", ...field], message: `${label} must be a number (got ${JSON.stringify(raw)})`, code: "INVALID" });
      return null;
    }
    return v;
  };
  const timepoints = s.timepoints.map((t, i) => {
    const at = fromDateTimeLocal(t.acquiredAt);
    if (!at) problems.push({ field: ["input", "timepoints", String(i), "acquiredAt"], message: `Time point ${i + 1}: acquisition date-time is required`, code: "INVALID" });
    return { key: t.key, acquiredAt: at ?? "", imagingStudyId: t.studyId, label: t.label.trim() || null };
  });
  const vois = s.vois.map((v, i) => ({
    key: v.key, kind: v.kind, label: v.label, lesionId: v.kind === "TUMOUR" ? v.lesionId : null, model: v.model, stpTimepointKey: v.stpTimepointKey, source: v.source,
    massG: parse(v.massG, ["vois", String(i), "massG"], `${v.label}: mass (g)`),
    volumeMl: parse(v.volumeMl, ["vois", String(i), "volumeMl"], `${v.label}: volume (mL)`),
    activities: v.activities.map((a, j) => parse(a, ["vois", String(i), "activities", String(j)], `${v.label} at ${s.timepoints[j]?.label || `time point ${j + 1}`}`)),
  }));
  const input = {
    id: r.id, version: r.version, phantomSex: s.phantomSex || null,
    calibrationFactorCpsPerMBq: parse(s.calibrationFactor, ["calibrationFactorCpsPerMBq"], "Calibration factor (cps/MBq)"),
    activityRelSd: parse(s.activityRelSd, ["activityRelSd"], "Activity uncertainty"),
    calibrationRelSd: parse(s.calibrationRelSd, ["calibrationRelSd"], "Calibration uncertainty"),
    massRelSd: parse(s.massRelSd, ["massRelSd"], "Mass uncertainty"),
    notes: s.notes.trim() || null, timepoints, vois,
  };
  return { input: problems.length ? null : input, problems };
}

function nextKey(prefix: string, used: readonly string[]): string {
  for (let i = 1; ; i++) if (!used.includes(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** Time–activity plot: measured points and the fitted curve (recharts). */
export function TacChart({ voi }: { voi: Voi }) {
  const unit = voi.kind === "BONE_MARROW" ? "MBq/mL" : "MBq";
  return (
    <figure className="chart-card" aria-label={`Time–activity curve of ${voi.label}`}>
      <ComposedChart width={360} height={200} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e5e8ec" />
        <XAxis dataKey="timeH" type="number" domain={[0, "dataMax"]} fontSize={11} unit=" h" />
        <YAxis dataKey="value" width={52} fontSize={11} domain={[0, "auto"]} />
        <Tooltip formatter={(v) => [`${formatNumber(Number(v), 3)} ${unit}`]} labelFormatter={(t) => `${formatNumber(Number(t), 1)} h p.i.`} />
        <Legend />
        <Line data={voi.result.curve} dataKey="value" name="fitted" stroke="#1f5fa8" dot={false} strokeWidth={2} isAnimationActive={false} type="linear" />
        <Scatter data={voi.result.points} dataKey="value" name="measured" fill="#c0392b" isAnimationActive={false} />
      </ComposedChart>
    </figure>
  );
}

function VoiResultCard({ voi, editable, onModel }: { voi: Voi; editable: boolean; onModel: (m: TacModel) => void }) {
  const r = voi.result;
  const id = `model-${voi.key}`;
  return (
    <section className="card" aria-label={`Results for ${voi.label}`} data-voi={voi.key}>
      <h4>{voi.label}</h4>
      <div className="field">
        <label htmlFor={id}>Model for {voi.label}</label>
        <select id={id} value={voi.model} disabled={!editable} onChange={(e) => onModel(e.target.value as TacModel)}>
          {MODELS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      {r.error ? (
        <p className="alert alert-error" role="status">
          Not computed: {r.error}
        </p>
      ) : (
        <>
          <TacChart voi={voi} />
          <dl className="kv">
            <dt>TIA</dt>
            <dd data-testid={`tia-${voi.key}`}>
              {formatNumber(r.tiaMBqH, 0)} MBq·h{r.tiaSdMBqH !== null && r.tiaSdMBqH !== undefined ? ` ± ${formatNumber(r.tiaSdMBqH, 0)}` : ""}
            </dd>
            <dt>Absorbed dose</dt>
            <dd data-testid={`dose-${voi.key}`}>
              {r.doseGy === null || r.doseGy === undefined ? "—" : `${formatNumber(r.doseGy, 3)} Gy`}
              {r.doseSdGy !== null && r.doseSdGy !== undefined ? ` ± ${formatNumber(r.doseSdGy, 3)} Gy (1 SD)` : ""}
            </dd>
            {r.bedGy !== null && r.bedGy !== undefined ? (
              <>
                <dt>BED</dt>
                <dd data-testid={`bed-${voi.key}`}>
                  {formatNumber(r.bedGy, 3)} Gy{r.bedSdGy !== null && r.bedSdGy !== undefined ? ` ± ${formatNumber(r.bedSdGy, 3)}` : ""}
                </dd>
              </>
            ) : null}
            <dt>T_eff</dt>
            <dd>{r.effectiveHalfLifeH ? `${formatNumber(r.effectiveHalfLifeH, 1)} h` : "—"}</dd>
            <dt>R²</dt>
            <dd>{r.rSquared === null || r.rSquared === undefined ? "—" : formatNumber(r.rSquared, 4)}</dd>
            <dt>Gy/GBq</dt>
            <dd>{formatNumber(r.gyPerGBq, 3)}</dd>
            <dt>Parameters</dt>
            <dd>{r.parameters.map((p) => `${p.name} = ${p.value.toPrecision(4)} ${p.unit}`).join("; ")}</dd>
            {r.residuals.length ? (
              <>
                <dt>Residuals</dt>
                <dd>{r.residuals.map((x) => formatNumber(x, 2)).join(", ")}</dd>
              </>
            ) : null}
          </dl>
          <p className="muted">{r.method}</p>
          {r.flags.length ? (
            <ul className="issues">
              {r.flags.map((f, i) => (
                <li key={i}>
                  <strong>{f.code}</strong>: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </section>
  );
}

export function RecordWorkspace({ record, lesions, onChanged }: { record: Rec; lesions: readonly { id: string; label: string; organ: string }[]; onChanged: () => Promise<unknown> }) {
  const can = useCan();
  const editable = record.status === "DRAFT" && can("dosimetry:write");
  const [doc, setDoc] = useState<DocState>(() => stateOf(record));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [amendReason, setAmendReason] = useState("");
  const [save] = useMutation(DosimetryRecordSaveDocument);
  const [sign] = useMutation(DosimetryRecordSignDocument);
  const [amend] = useMutation(DosimetryRecordAmendDocument);
  const err = errors.fields;

  async function run(label: string, fn: () => Promise<readonly ApiUserError[]>) {
    setBusy(true);
    setMessage(null);
    try {
      const ue = await fn();
      setErrors(fromUserErrors(ue));
      if (ue.length === 0) {
        setMessage(label);
        await onChanged();
      }
    } finally {
      setBusy(false);
    }
  }
  async function doSave(next: DocState, label = "Saved; fits and doses recomputed.") {
    const { input, problems } = inputOf(record, next);
    if (!input) {
      setErrors(fromUserErrors(problems));
      return;
    }
    await run(label, async () => {
      const r = await save({ variables: { input: input as never } });
      return r.data?.dosimetryRecordSave.userErrors ?? [];
    });
  }
  const setTp = (i: number, patch: Partial<TpState>) => setDoc((d) => ({ ...d, timepoints: d.timepoints.map((t, k) => (k === i ? { ...t, ...patch } : t)) }));
  const setVoi = (i: number, patch: Partial<VoiState>) => setDoc((d) => ({ ...d, vois: d.vois.map((v, k) => (k === i ? { ...v, ...patch } : v)) }));
  const setAct = (i: number, j: number, value: string) => setDoc((d) => ({ ...d, vois: d.vois.map((v, k) => (k === i ? { ...v, activities: v.activities.map((a, m) => (m === j ? value : a)) } : v)) }));
  const addTp = () =>
    setDoc((d) => ({ ...d, timepoints: [...d.timepoints, { key: nextKey("tp", d.timepoints.map((t) => t.key)), acquiredAt: "", studyId: null, label: "" }], vois: d.vois.map((v) => ({ ...v, activities: [...v.activities, ""] })) }));
  const removeTp = (i: number) => setDoc((d) => ({ ...d, timepoints: d.timepoints.filter((_, k) => k !== i), vois: d.vois.map((v) => ({ ...v, activities: v.activities.filter((_, k) => k !== i) })) }));
  const addVoi = (kind: VoiKind) =>
    setDoc((d) => ({
      ...d,
      vois: [...d.vois, { key: nextKey(kind === "TUMOUR" ? "t" : "v", d.vois.map((v) => v.key)), kind, label: kind === "TUMOUR" ? `Tumour ${d.vois.filter((v) => v.kind === "TUMOUR").length + 1}` : humanize(kind), lesionId: null, massG: "", volumeMl: "", model: "MONO_EXP", stpTimepointKey: null, source: "entered", activities: d.timepoints.map(() => "") }],
    }));
  const pickStudy = (i: number, studyId: string) => {
    const s = record.candidateStudies.find((x) => x.id === studyId);
    setTp(i, s ? { studyId, acquiredAt: toDateTimeLocal(s.performedAt), label: doc.timepoints[i]?.label || `${s.modality} ${formatDateTime(s.performedAt)}` } : { studyId: null });
  };
  const hours = (t: TpState) => {
    const at = fromDateTimeLocal(t.acquiredAt);
    return at ? (Date.parse(at) - Date.parse(record.administeredAt)) / 3_600_000 : null;
  };

  return (
    <div className="stack" aria-label="Dosimetry workspace">
      <div className="row">
        <h3>
          Cycle {record.cycle.number} dosimetry – revision {record.revision}{" "}
          <span className={`badge badge-${record.status === "SIGNED" ? "ok" : "warn"}`} data-testid="record-status">
            {record.status === "SIGNED" ? "Signed" : "Draft – not signed"}
          </span>
        </h3>
        <span className="spacer" />
        <a className="btn" href={record.reportPath} download>
          Download PDF report
        </a>
      </div>
      <p className="muted">
        Administered {formatNumber(record.administeredActivityMBq / 1000, 3)} GBq, infusion start {formatDateTime(record.administeredAt)} (hours post-injection count from here).
        {record.previous ? ` Amends revision ${record.previous.revision}: ${record.amendReason ?? ""}.` : ""}
        {record.signedAt ? ` Signed by ${record.signedByName ?? "—"} on ${formatDateTime(record.signedAt)}; immutable – amend to correct.` : ""}
      </p>
      <ErrorSummary errors={errors} onReload={() => void onChanged()} />
      {message ? (
        <p className="alert alert-info" role="status">
          {message}
        </p>
      ) : null}

      <fieldset disabled={!editable || busy}>
        <legend>Settings</legend>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="phantomSex">S-value phantom (ICRP 110)</label>
            <select id="phantomSex" value={doc.phantomSex} onChange={(e) => setDoc({ ...doc, phantomSex: e.target.value as PhantomSex | "" })}>
              <option value="">— choose —</option>
              <option value="FEMALE">Adult female</option>
              <option value="MALE">Adult male</option>
            </select>
          </div>
          <NumField id="calibrationFactorCpsPerMBq" label="SPECT calibration factor (cps/MBq)" value={doc.calibrationFactor} error={err.calibrationFactorCpsPerMBq} onChange={(v) => setDoc({ ...doc, calibrationFactor: v })} />
          <NumField id="activityRelSd" label="Activity 1-SD (relative)" value={doc.activityRelSd} error={err.activityRelSd} onChange={(v) => setDoc({ ...doc, activityRelSd: v })} />
          <NumField id="calibrationRelSd" label="Calibration 1-SD (relative)" value={doc.calibrationRelSd} error={err.calibrationRelSd} onChange={(v) => setDoc({ ...doc, calibrationRelSd: v })} />
          <NumField id="massRelSd" label="Mass 1-SD (relative)" value={doc.massRelSd} error={err.massRelSd} onChange={(v) => setDoc({ ...doc, massRelSd: v })} />
        </div>
      </fieldset>

      <fieldset disabled={!editable || busy}>
        <legend>Imaging time points</legend>
        <table>
          <caption className="sr-only">Imaging time points</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">From study</th>
              <th scope="col">Acquired (date-time)</th>
              <th scope="col">Hours p.i. (h)</th>
              <th scope="col">Label</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {doc.timepoints.map((t, i) => {
              const e = err[`timepoints.${i}.acquiredAt`] ?? err[`timepoints.${i}.imagingStudyId`];
              const h = hours(t);
              return (
                <tr key={t.key}>
                  <td>{t.key}</td>
                  <td>
                    <select aria-label={`Study for time point ${i + 1}`} value={t.studyId ?? ""} onChange={(ev) => pickStudy(i, ev.target.value)}>
                      <option value="">entered by hand</option>
                      {record.candidateStudies.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.modality} {formatDateTime(s.performedAt)} ({humanize(s.purpose)})
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input type="datetime-local" aria-label={`Acquisition time of time point ${i + 1}`} aria-invalid={!!e} aria-describedby={e ? `tp-err-${i}` : undefined} value={t.acquiredAt} onChange={(ev) => setTp(i, { acquiredAt: ev.target.value, studyId: null })} />
                    {e ? (
                      <div className="field-error" id={`tp-err-${i}`}>
                        {e}
                      </div>
                    ) : null}
                  </td>
                  <td data-testid={`hours-${i}`}>{h === null ? "—" : formatNumber(h, 1)}</td>
                  <td>
                    <input aria-label={`Label of time point ${i + 1}`} value={t.label} onChange={(ev) => setTp(i, { label: ev.target.value })} />
                  </td>
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => removeTp(i)}>
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" className="btn" onClick={addTp}>
          Add time point
        </button>
      </fieldset>

      <fieldset disabled={!editable || busy}>
        <legend>VOIs: activity per time point (MBq; bone marrow: blood MBq/mL)</legend>
        <div style={{ overflowX: "auto" }}>
          <table>
            <caption className="sr-only">VOIs and activities</caption>
            <thead>
              <tr>
                <th scope="col">VOI</th>
                <th scope="col">Lesion</th>
                <th scope="col">Mass (g)</th>
                <th scope="col">Volume (mL)</th>
                <th scope="col">Source</th>
                {doc.timepoints.map((t) => (
                  <th scope="col" key={t.key}>
                    {t.label || t.key}
                  </th>
                ))}
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {doc.vois.map((v, i) => (
                <tr key={v.key}>
                  <td>
                    <input aria-label={`Label of VOI ${i + 1}`} value={v.label} onChange={(ev) => setVoi(i, { label: ev.target.value })} />
                    <div className="muted">{humanize(v.kind)}</div>
                  </td>
                  <td>
                    {v.kind === "TUMOUR" ? (
                      <select aria-label={`Lesion of ${v.label}`} value={v.lesionId ?? ""} onChange={(ev) => setVoi(i, { lesionId: ev.target.value || null })}>
                        <option value="">— not linked —</option>
                        {lesions.map((l) => (
                          <option key={l.id} value={l.id}>
                            {l.label} ({l.organ})
                          </option>
                        ))}
                      </select>
                    ) : (
                      "—"
                    )}
                    <CellError e={err[`vois.${i}.lesionId`]} />
                  </td>
                  <td>
                    <input inputMode="decimal" size={6} aria-label={`Mass of ${v.label} (g)`} value={v.massG} onChange={(ev) => setVoi(i, { massG: ev.target.value })} />
                    <CellError e={err[`vois.${i}.massG`]} />
                  </td>
                  <td>
                    <input inputMode="decimal" size={6} aria-label={`Volume of ${v.label} (mL)`} value={v.volumeMl} onChange={(ev) => setVoi(i, { volumeMl: ev.target.value })} />
                    <CellError e={err[`vois.${i}.volumeMl`]} />
                  </td>
                  <td>
                    <input size={14} aria-label={`Source of ${v.label}`} value={v.source} onChange={(ev) => setVoi(i, { source: ev.target.value })} />
                    <CellError e={err[`vois.${i}.source`]} />
                  </td>
                  {doc.timepoints.map((t, j) => (
                    <td key={t.key}>
                      <input inputMode="decimal" size={7} aria-label={`${v.label} activity at ${t.label || t.key}`} aria-invalid={!!err[`vois.${i}.activities.${j}`]} value={v.activities[j] ?? ""} onChange={(ev) => setAct(i, j, ev.target.value)} />
                      <CellError e={err[`vois.${i}.activities.${j}`]} />
                    </td>
                  ))}
                  <td>
                    <button type="button" className="btn btn-small" onClick={() => setDoc((d) => ({ ...d, vois: d.vois.filter((_, k) => k !== i) }))}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="row">
          <label htmlFor="add-voi" className="sr-only">
            Add a VOI
          </label>
          <select id="add-voi" defaultValue="" onChange={(e) => { if (e.target.value) addVoi(e.target.value as VoiKind); e.target.value = ""; }}>
            <option value="">Add a VOI…</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {humanize(k)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="notes">Notes</label>
          <textarea id="notes" value={doc.notes} onChange={(e) => setDoc({ ...doc, notes: e.target.value })} />
        </div>
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={() => void doSave(doc)}>
            {busy ? "Saving…" : "Save and fit"}
          </button>
        </div>
      </fieldset>

      <h3>Fits and doses</h3>
      {record.warnings.length ? (
        <ul className="issues" aria-label="Warnings">
          {record.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      ) : null}
      <div className="grid">
        {record.vois.map((v) => (
          <VoiResultCard
            key={v.key}
            voi={v}
            editable={editable && !busy}
            onModel={(m) => {
              const next = { ...doc, vois: doc.vois.map((x) => (x.key === v.key ? { ...x, model: m } : x)) };
              setDoc(next);
              void doSave(next, `Model of ${v.label} switched to ${MODELS.find((x) => x.value === m)?.label ?? m}.`);
            }}
          />
        ))}
      </div>

      <h3>Organ doses of this cycle</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Organ</th>
            <th scope="col">Absorbed dose (Gy)</th>
            <th scope="col">1 SD (Gy)</th>
            <th scope="col">BED (Gy)</th>
            <th scope="col">T_eff (h)</th>
          </tr>
        </thead>
        <tbody>
          {record.organs.map((o) => (
            <tr key={o.organ}>
              <td>{humanize(o.organ)}</td>
              <td data-testid={`organ-dose-${o.organ}`}>{formatNumber(o.doseGy, 3)}</td>
              <td>{formatNumber(o.doseSdGy, 3)}</td>
              <td>{formatNumber(o.bedGy, 3)}</td>
              <td>{formatNumber(o.effectiveHalfLifeH, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {record.status === "DRAFT" && can("dosimetry:sign") ? (
        <section className="card" aria-labelledby="h-sign">
          <h4 id="h-sign">Physicist sign-off</h4>
          <p>Signing freezes these numbers as the dosimetry of record; the ledger and the care pathway use them. Save your edits first.</p>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() =>
              void run("Signed. The record is now immutable.", async () => {
                const r = await sign({ variables: { input: { id: record.id, version: record.version } } });
                return r.data?.dosimetryRecordSign.userErrors ?? [];
              })
            }
          >
            Sign dosimetry
          </button>
        </section>
      ) : null}
      {record.status === "SIGNED" && can("dosimetry:write") ? (
        <section className="card" aria-labelledby="h-amend">
          <h4 id="h-amend">Amend</h4>
          <div className="field">
            <label htmlFor="amend-reason">Reason for the amendment</label>
            <input id="amend-reason" value={amendReason} onChange={(e) => setAmendReason(e.target.value)} />
          </div>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() =>
              void run("Amendment created as a new draft revision.", async () => {
                const r = await amend({ variables: { input: { id: record.id, reason: amendReason } } });
                return r.data?.dosimetryRecordAmend.userErrors ?? [];
              })
            }
          >
            Create amendment
          </button>
        </section>
      ) : null}
    </div>
  );
}

function CellError({ e }: { e: string | undefined }) {
  return e ? (
    <div className="field-error" role="alert">
      {e}
    </div>
  ) : null;
}

function NumField({ id, label, value, error, onChange }: { id: string; label: string; value: string; error: string | undefined; onChange: (v: string) => void }) {
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <input id={id} inputMode="decimal" value={value} aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange(e.target.value)} />
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
