"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { StatusBadge } from "@/components/Badge";
import { formatDate, formatNumber, humanize } from "@/lib/format";
import type { OnePager } from "./types";

const gbq = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(2));
const grade = (g: number | null | undefined) => (g === null || g === undefined ? <span className="muted">—</span> : <span className={`badge grade-${Math.min(4, g)}`}>G{g}</span>);

/** The case one-pager (live or frozen): same rendering for the meeting page and presentation mode. */
export function OnePagerView({ pager, large = false }: { pager: OnePager; large?: boolean }) {
  const dx = pager.diagnosis;
  return (
    <div className={large ? "onepager onepager-large" : "onepager"} data-testid="one-pager">
      <section aria-label="Patient" className="onepager-head">
        <h3>
          {pager.patient.name} <span className="muted">MRN {pager.patient.mrn}</span>
        </h3>
        <p className="muted">
          {humanize(pager.patient.sex)}, {pager.patient.ageYears} years · <StatusBadge value={pager.patient.status} />
        </p>
      </section>

      <section aria-label="Diagnosis">
        <h4>Diagnosis</h4>
        {dx ? (
          <dl className="kv">
            <dt>Primary</dt>
            <dd>{dx.primarySite}</dd>
            <dt>Histology</dt>
            <dd>{dx.histology}</dd>
            <dt>WHO grade</dt>
            <dd>{dx.whoGrade}</dd>
            <dt>Ki-67</dt>
            <dd>{dx.ki67Percent === null ? "—" : `${formatNumber(dx.ki67Percent)} %`}</dd>
            <dt>Stage</dt>
            <dd>{dx.stage ?? <span className="muted">not recorded</span>}</dd>
            <dt>Diagnosed</dt>
            <dd>{formatDate(dx.diagnosedOn)}</dd>
          </dl>
        ) : (
          <p className="muted">No diagnosis recorded.</p>
        )}
      </section>

      <section aria-label="Eligibility">
        <h4>Eligibility {pager.eligibility ? <span className="badge badge-info">{humanize(pager.eligibility.overall)}</span> : null}</h4>
        {pager.eligibility ? (
          <>
            <p className="muted">
              {pager.eligibility.template} · policy {pager.eligibility.policy} · advisory
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Criterion</th>
                  <th scope="col">Value</th>
                  <th scope="col">Threshold</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {pager.eligibility.criteria.map((c) => (
                  <tr key={c.label}>
                    <td>{c.label}</td>
                    <td>{c.value === null ? "—" : `${c.value}${c.unit ? ` ${c.unit}` : ""}`}</td>
                    <td>{c.threshold}</td>
                    <td>
                      <span className={`badge badge-${c.status === "PASS" ? "ok" : c.status === "FAIL" ? "bad" : "warn"}`} title={c.message}>
                        {humanize(c.status)}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p className="muted">{pager.eligibilityNote ?? "Not evaluated."}</p>
        )}
      </section>

      <section aria-label="Treatment">
        <h4>Cycles and activities (GBq)</h4>
        {pager.courses.length === 0 ? <p className="muted">No PRRT course.</p> : null}
        {pager.courses.map((c) => (
          <div key={c.id}>
            <p>
              {c.agent} · {humanize(c.intent)} · <StatusBadge value={c.status} /> · {c.plannedCycles} cycles{c.template ? ` · ${c.template}` : ""} · cumulative net{" "}
              <strong>{gbq(c.cumulativeNetGBq)} GBq</strong>
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Cycle</th>
                  <th scope="col">Planned</th>
                  <th scope="col">Status</th>
                  <th scope="col">Prescribed (GBq)</th>
                  <th scope="col">Administered (GBq)</th>
                  <th scope="col">Net (GBq)</th>
                </tr>
              </thead>
              <tbody>
                {c.cycles.map((y) => (
                  <tr key={y.number}>
                    <td>{y.number}</td>
                    <td>{formatDate(y.plannedDate)}</td>
                    <td>
                      <StatusBadge value={y.status} />
                    </td>
                    <td>{gbq(y.prescribedGBq)}</td>
                    <td>{gbq(y.administeredGBq)}</td>
                    <td>{gbq(y.netGBq)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>

      <section aria-label="Dosimetry">
        <h4>Cumulative organ doses vs limits</h4>
        {pager.dosimetry && pager.dosimetry.rows.length ? (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">Organ</th>
                  <th scope="col">Dose (Gy)</th>
                  <th scope="col">BED (Gy)</th>
                  <th scope="col">Limit (Gy)</th>
                  <th scope="col">Remaining (Gy)</th>
                  <th scope="col">Of limit</th>
                </tr>
              </thead>
              <tbody>
                {pager.dosimetry.rows.map((r) => (
                  <tr key={r.organ}>
                    <td>{humanize(r.organ)}</td>
                    <td>{formatNumber(r.cumulativeDoseGy, 2)}</td>
                    <td>{formatNumber(r.cumulativeBedGy, 2)}</td>
                    <td>{r.limitGy === null ? "—" : `${formatNumber(r.limitGy)} (${r.limitQuantity})`}</td>
                    <td>{formatNumber(r.remainingGy, 2)}</td>
                    <td>{r.fractionOfLimit === null ? "—" : <meter min={0} max={1} low={0.75} high={0.9} optimum={0} value={Math.min(1, r.fractionOfLimit)} aria-label={`${Math.round(r.fractionOfLimit * 100)} % of limit`} />}{r.fractionOfLimit === null ? null : ` ${Math.round(r.fractionOfLimit * 100)} %`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">
              Max next-cycle activity {pager.dosimetry.maxNextActivityGBq === null ? "—" : `${gbq(pager.dosimetry.maxNextActivityGBq)} GBq`}
              {pager.dosimetry.limitingOrgan ? ` (limited by ${humanize(pager.dosimetry.limitingOrgan)})` : ""} · {pager.dosimetry.limitPolicy}
            </p>
          </>
        ) : (
          <p className="muted">No dosimetry recorded for this patient.</p>
        )}
      </section>

      <section aria-label="Labs">
        <h4>Labs with CTCAE v5.0 grades</h4>
        {pager.labs.length === 0 ? (
          <p className="muted">No lab results.</p>
        ) : (
          <div className="onepager-labs">
            {pager.labs.map((l) => (
              <figure key={l.analyte} className="chart-card">
                <figcaption>
                  {l.label} ({l.unit}) · latest {l.latest ? formatNumber(l.latest.value, 2) : "—"} {grade(l.latest?.grade)} · worst {grade(l.worstGrade)}
                </figcaption>
                {l.points.length > 1 ? (
                  <ResponsiveContainer width="100%" height={large ? 140 : 90}>
                    <LineChart data={l.points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                      <CartesianGrid strokeDasharray="3 3" />
                      <XAxis dataKey="date" hide />
                      <YAxis width={40} fontSize={10} domain={["auto", "auto"]} />
                      <Tooltip />
                      <Line type="monotone" dataKey="value" stroke="#1f3a5f" dot isAnimationActive={false} />
                    </LineChart>
                  </ResponsiveContainer>
                ) : null}
              </figure>
            ))}
          </div>
        )}
      </section>

      <section aria-label="Response">
        <h4>Response</h4>
        {pager.response ? (
          <>
            <p>
              {formatDate(pager.response.baselineDate)} → {formatDate(pager.response.followUpDate)} · {humanize(pager.response.status)}
              {pager.response.conclusion ? ` · ${pager.response.conclusion.criterion}: ${pager.response.conclusion.category}` : ""}
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Criterion</th>
                  <th scope="col">Category</th>
                  <th scope="col">Reasons</th>
                </tr>
              </thead>
              <tbody>
                {pager.response.results.map((r) => (
                  <tr key={r.criterion}>
                    <td>{r.criterion}</td>
                    <td>{r.category}</td>
                    <td>{r.reasons.join("; ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {pager.response.lesions.length ? (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Lesion</th>
                    <th scope="col">Organ</th>
                    <th scope="col">Status</th>
                    <th scope="col">Baseline (mm / SUVmax)</th>
                    <th scope="col">Follow-up (mm / SUVmax)</th>
                  </tr>
                </thead>
                <tbody>
                  {pager.response.lesions.map((l) => (
                    <tr key={l.lesionId}>
                      <td>
                        {l.label}
                        {l.isTarget ? " (target)" : ""}
                      </td>
                      <td>{l.organ}</td>
                      <td>{humanize(l.status)}</td>
                      <td>{l.baseline ? `${formatNumber(l.baseline.longAxisMm, 0)} / ${formatNumber(l.baseline.suvMax)}` : "—"}</td>
                      <td>{l.followUp ? `${formatNumber(l.followUp.longAxisMm, 0)} / ${formatNumber(l.followUp.suvMax)}` : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        ) : (
          <p className="muted">No response assessment recorded.</p>
        )}
      </section>

      <section aria-label="Key images">
        <h4>Key images (coronal MIP)</h4>
        {pager.keyImages.length === 0 ? <p className="muted">No stored PET/SPECT series.</p> : null}
        <div className="row">
          {pager.keyImages.map((k) => (
            <figure key={k.seriesId} className="mip">
              {/* eslint-disable-next-line @next/next/no-img-element -- inline data URI rendered on the server */}
              <img src={`data:image/png;base64,${k.pngBase64}`} width={k.width} height={k.height} alt={`Coronal MIP, ${k.modality ?? ""} ${k.studyDate ?? ""}`} />
              <figcaption className="muted">
                {k.modality} {k.studyDate ? formatDate(k.studyDate) : ""} {k.description}
              </figcaption>
            </figure>
          ))}
        </div>
      </section>

      <section aria-label="Timeline">
        <h4>Timeline</h4>
        {pager.timeline.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
        <ul className="onepager-timeline">
          {[...pager.timeline].reverse().slice(0, large ? 12 : 30).map((t, i) => (
            <li key={i}>
              <span className="nowrap">{formatDate(t.date)}</span> <span className="badge badge-neutral">{humanize(t.kind)}</span> {t.text}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
