"use client";

/**
 * The viewer screen for one DICOM study (route /viewer/<DicomStudy global id>): picks the PET or
 * SPECT series (and a CT of the same frame of reference for fusion), shows the viewer, the ROI
 * "save as lesion measurement" form, the patient's lesions and the series' quantification
 * candidates (highlighted in the views; accept/reject with the chart's forms).
 */
import { useMutation, useQuery } from "@apollo/client/react";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { CheckboxField, SelectField, TextField } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import { AcceptForm, RejectForm } from "@/components/imaging/CandidateTable";
import { formatDicomDate } from "@/components/imaging/format";
import { useCanImaging } from "@/components/imaging/permissions";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import {
  LesionCreateDocument,
  LesionMeasurementRecordDocument,
  ViewerLesionsDocument,
  ViewerStudyDocument,
  type ViewerStudyQuery,
} from "@/graphql/generated";
import { FormReader, useForm, type ApiUserError } from "@/lib/forms";
import { formatNumber, humanize } from "@/lib/format";
import { useCan } from "@/lib/viewer";
import { initCornerstone } from "./cornerstone";
import { PetViewer, type Marker, type RoiResult, type ViewerSeries } from "./PetViewer";
import { rescaleStats, type Vec3 } from "./viewer-math";

// Start Cornerstone (WebGL context, decode workers, tools) as soon as this client-only chunk
// arrives, in parallel with the session and study queries (bench:web).
if (typeof window !== "undefined") void initCornerstone();

type Study = NonNullable<ViewerStudyQuery["dicomStudy"]>;
type Series = Study["series"][number];

const FUNCTIONAL = new Set(["PT", "NM"]);

/** The functional series to show first: PET before SPECT, then the one with most images. */
export function pickSeries(series: readonly Series[]): { functional: Series[]; ct: Series[] } {
  const functional = series
    .filter((s) => FUNCTIONAL.has(s.modality ?? ""))
    .sort((a, b) =>
      a.modality === b.modality ? b.instanceCount - a.instanceCount : a.modality === "PT" ? -1 : 1,
    );
  const ct = series.filter((s) => s.modality === "CT");
  return { functional, ct };
}

function toViewerSeries(s: Series): ViewerSeries {
  return {
    id: s.id,
    modality: s.modality,
    seriesInstanceUid: s.seriesInstanceUid,
    imageIds: s.imageIds,
    seriesUrl: s.dicomweb.seriesUrl ?? "",
    suv: s.suv,
  };
}

function centreOf(x: unknown): Vec3 | null {
  if (!x || typeof x !== "object") return null;
  const c = (x as { centreMm?: unknown }).centreMm;
  return Array.isArray(c) &&
    c.length === 3 &&
    c.every((v) => typeof v === "number" && Number.isFinite(v))
    ? (c as Vec3)
    : null;
}

export function ViewerScreen({ studyId }: { studyId: string }) {
  // cache-first: the route page has already started this query (refetched after every change).
  const q = useQuery(ViewerStudyDocument, {
    variables: { id: studyId },
    fetchPolicy: "cache-first",
  });
  const study = q.data?.dicomStudy;
  const patientId = study?.patient?.id ?? null;
  const lesionsQ = useQuery(ViewerLesionsDocument, {
    variables: { patientId: patientId ?? "" },
    skip: !patientId,
    fetchPolicy: "cache-and-network",
  });
  const [seriesId, setSeriesId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [roi, setRoi] = useState<RoiResult | null>(null);
  const onRoi = useCallback((r: RoiResult | null) => setRoi(r), []);

  const picked = useMemo(
    () => (study ? pickSeries(study.series) : { functional: [], ct: [] }),
    [study],
  );
  const fn = picked.functional.find((s) => s.id === seriesId) ?? picked.functional[0] ?? null;
  const ctSeries = fn
    ? (picked.ct.find(
        (c) => c.frameOfReferenceUid && c.frameOfReferenceUid === fn.frameOfReferenceUid,
      ) ?? null)
    : null;
  // Stable inputs for the viewer: new objects only when the series (or its SUV derivation) change.
  const fnKey = fn ? `${fn.id}:${fn.version}:${fn.suv?.factor ?? ""}` : "";
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on identity + version
  const pet = useMemo(() => (fn ? toViewerSeries(fn) : null), [fnKey]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on identity
  const ct = useMemo(() => (ctSeries ? toViewerSeries(ctSeries) : null), [ctSeries?.id]);

  const lesions = lesionsQ.data?.node?.__typename === "Patient" ? lesionsQ.data.node.lesions : [];
  const imagingStudyId = study?.imagingStudy?.id ?? null;
  const candidates = (fn?.candidates ?? [])
    .filter((c) => c.status !== "SUPERSEDED")
    .sort((a, b) => a.rank - b.rank);
  const markers: Marker[] = useMemo(() => {
    const out: Marker[] = [];
    for (const c of candidates) {
      const m = centreOf({ centreMm: c.centroidMm });
      if (m) out.push({ id: c.id, kind: "candidate", label: `#${c.rank}`, centreMm: m });
    }
    for (const l of lesions) {
      for (const m of l.measurements) {
        const c = m.study.id === imagingStudyId ? centreOf(m.provenance) : null;
        if (c) out.push({ id: m.id, kind: "lesion", label: l.label, centreMm: c });
      }
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- derived from the query results
  }, [q.data, lesionsQ.data, imagingStudyId]);

  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!study)
    return q.loading ? (
      <Loading label="Loading study…" />
    ) : (
      <EmptyState title="Study not found or not accessible." />
    );
  const refetchAll = async () => {
    await Promise.all([q.refetch(), lesionsQ.refetch()]);
  };

  return (
    <div className="stack">
      <header className="row">
        <h1 style={{ margin: 0 }}>
          Viewer · {formatDicomDate(study.studyDate)} {study.description ?? ""}
        </h1>
        <span className="spacer" />
        {study.patient ? (
          <Link
            href={`/patients/${encodeURIComponent(study.patient.id)}?tab=imaging`}
            className="btn btn-small"
          >
            Back to chart ({study.patient.mrn})
          </Link>
        ) : null}
      </header>
      {picked.functional.length > 1 ? (
        <label>
          Series{" "}
          <select value={fn?.id ?? ""} onChange={(e) => setSeriesId(e.currentTarget.value)}>
            {picked.functional.map((s) => (
              <option key={s.id} value={s.id}>
                {s.modality} {s.seriesNumber ?? ""} {s.description ?? ""} ({s.instanceCount} images)
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {!fn || !pet ? (
        <EmptyState title="This study has no PET or SPECT series to view." />
      ) : (
        <>
          <p className="muted">
            {fn.modality === "NM" ? "SPECT" : "PET"} series {fn.seriesNumber ?? ""}{" "}
            {fn.description ?? ""} · {fn.instanceCount} images
            {fn.qa?.nuclide ? ` · ${fn.qa.nuclide}` : ""}
            {ctSeries
              ? ` · fused with CT series ${[ctSeries.seriesNumber, ctSeries.description]
                  .filter((x) => x !== null && x !== undefined && x !== "")
                  .join(" ")}`
              : ""}
            {fn.suv?.ok
              ? ` · SUVbw factor ${fn.suv.factor?.toPrecision(4)} (${fn.suv.method ?? "—"}, from the server)`
              : ""}
          </p>
          <PetViewer
            key={pet.id}
            pet={pet}
            ct={ct}
            markers={markers}
            selectedMarker={selected}
            onRoi={onRoi}
            onSelectMarker={setSelected}
          />
          <div className="viewer-panels">
            <SaveMeasurement
              roi={roi}
              patientId={patientId}
              imagingStudyId={imagingStudyId}
              studyDate={study.imagingStudy?.performedAt ?? null}
              lesions={lesions}
              seriesUid={fn.seriesInstanceUid}
              onSaved={refetchAll}
            />
            <LesionList
              lesions={lesions}
              imagingStudyId={imagingStudyId}
              selected={selected}
              onSelect={setSelected}
              markers={markers}
            />
          </div>
          <CandidateList
            candidates={candidates}
            selected={selected}
            onSelect={setSelected}
            onChanged={refetchAll}
          />
        </>
      )}
    </div>
  );
}

type Lesions = Extract<
  NonNullable<import("@/graphql/generated").ViewerLesionsQuery["node"]>,
  { __typename: "Patient" }
>["lesions"];

function SaveMeasurement({
  roi,
  patientId,
  imagingStudyId,
  studyDate,
  lesions,
  seriesUid,
  onSaved,
}: {
  roi: RoiResult | null;
  patientId: string | null;
  imagingStudyId: string | null;
  studyDate: string | null;
  lesions: Lesions;
  seriesUid: string;
  onSaved: () => Promise<void>;
}) {
  const can = useCan();
  const form = useForm();
  const [createLesion] = useMutation(LesionCreateDocument);
  const [record] = useMutation(LesionMeasurementRecordDocument);
  const [target, setTarget] = useState<string>("");
  const [saved, setSaved] = useState<string | null>(null);
  const err = form.errors.fields;
  if (!can("lesion:write")) return null;
  let blocked: string | null = null;
  if (!roi) blocked = "Draw an ROI (or place a sphere) first.";
  else if (!roi.suvbwFactor)
    blocked = "SUV is not available for this series, so no SUV measurement can be saved.";
  else if (!imagingStudyId || !patientId)
    blocked = "This DICOM study is not filed under a patient's imaging study.";

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!roi || !roi.suvbwFactor || !imagingStudyId || !patientId) return;
    const r = new FormReader(new FormData(e.currentTarget));
    const lesionChoice = r.requiredText("lesionId", "Lesion");
    const isNew = lesionChoice === "new";
    const newLesion = isNew
      ? {
          label: r.requiredText("newLesion.label", "Lesion label"),
          organ: r.requiredText("newLesion.organ", "Organ"),
          location: r.text("newLesion.location") ?? null,
        }
      : null;
    const isTarget = r.checked("isTarget");
    // Stored values are SUVbw whatever the display unit (the measurement's columns are SUVbw).
    const suv = rescaleStats(roi.stats, roi.scale.perUnit, roi.suvbwFactor);
    const shape = roi.roi;
    const provenance = {
      source: "viewer ROI",
      tool: shape.kind,
      centreMm: shape.centreMm,
      ...(shape.kind === "sphere"
        ? { radiusMm: shape.radiusMm }
        : { semiAxesMm: shape.semiAxesMm }),
      seriesInstanceUid: seriesUid,
      suvbwFactor: roi.suvbwFactor,
      displayedUnit: roi.scale.unit,
      voxelCount: roi.stats.voxelCount,
      suvSd: suv.sd,
      maxMm: roi.stats.maxMm,
      algorithm:
        "@lutetia/quantification sphereVoiStats/ellipsoidVoiStats (voxel centre inside; SUVpeak 1 cm³ sphere)",
    };
    let createdId: string | null = null;
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      let lesionId = lesionChoice;
      if (newLesion) {
        const c = await createLesion({
          variables: {
            input: {
              patientId,
              ...newLesion,
              firstSeenOn: (studyDate ?? new Date().toISOString()).slice(0, 10),
            },
          },
        });
        const ue = c.data?.lesionCreate.userErrors ?? [];
        if (ue.length || !c.data?.lesionCreate.lesion)
          return ue.map((x): ApiUserError => ({
            ...x,
            field: x.field[0] === "input" ? ["input", "newLesion", ...x.field.slice(1)] : x.field,
          }));
        lesionId = c.data.lesionCreate.lesion.id;
        createdId = lesionId;
      }
      const res = await record({
        variables: {
          input: {
            lesionId,
            studyId: imagingStudyId,
            suvMax: suv.max,
            suvMean: suv.mean,
            suvPeak: suv.peak,
            mtvMl: roi.stats.volumeMl,
            isTarget,
            method: "ROI",
            provenance,
          },
        },
      });
      return res.data?.lesionMeasurementRecord.userErrors ?? [];
    });
    if (ok) {
      const label =
        newLesion?.label ?? lesions.find((l) => l.id === lesionChoice)?.label ?? "lesion";
      setSaved(`Measurement saved for ${label} (SUVmax ${suv.max.toFixed(2)}).`);
      setTarget("");
      await onSaved();
    } else if (createdId) {
      setTarget(createdId);
    }
  }

  return (
    <FormPanel title="Save as lesion measurement">
      {saved ? (
        <p className="alert alert-info" role="status">
          {saved}
        </p>
      ) : null}
      {blocked ? (
        <p className="muted">{blocked}</p>
      ) : (
        <form onSubmit={onSubmit} noValidate aria-label="Save as lesion measurement">
          <ErrorSummary errors={form.errors} />
          <p className="muted">
            Saved in SUVbw with the server&apos;s factor; ROI shape and inputs go into the
            measurement&apos;s provenance.
          </p>
          <div className="form-grid">
            <SelectField
              name="lesionId"
              label="Lesion"
              required
              placeholder="Choose…"
              value={target}
              onChange={(e) => setTarget(e.currentTarget.value)}
              options={[
                ...lesions.map((l) => ({ value: l.id, label: `${l.label} (${l.organ})` })),
                { value: "new", label: "New lesion…" },
              ]}
              error={err.lesionId}
            />
            {target === "new" ? (
              <>
                <TextField
                  name="newLesion.label"
                  label="Lesion label"
                  required
                  autoComplete="off"
                  error={err["newLesion.label"]}
                />
                <TextField
                  name="newLesion.organ"
                  label="Organ"
                  required
                  autoComplete="off"
                  error={err["newLesion.organ"]}
                />
                <TextField
                  name="newLesion.location"
                  label="Location"
                  autoComplete="off"
                  error={err["newLesion.location"]}
                />
              </>
            ) : null}
            <CheckboxField name="isTarget" label="Target lesion" error={err.isTarget} />
          </div>
          <FormActions submitting={form.submitting} submitLabel="Save measurement" />
        </form>
      )}
    </FormPanel>
  );
}

function LesionList({
  lesions,
  imagingStudyId,
  selected,
  onSelect,
  markers,
}: {
  lesions: Lesions;
  imagingStudyId: string | null;
  selected: string | null;
  onSelect: (id: string | null) => void;
  markers: readonly Marker[];
}) {
  type Row = { l: Lesions[number]; m: Lesions[number]["measurements"][number] | null };
  const rows: Row[] = lesions.flatMap((l): Row[] => {
    const ms = l.measurements.filter((m) => m.study.id === imagingStudyId);
    return ms.length ? ms.map((m) => ({ l, m })) : [{ l, m: null }];
  });
  return (
    <section className="card stack" aria-labelledby="h-viewer-lesions">
      <h3 id="h-viewer-lesions">Lesions</h3>
      {rows.length === 0 ? (
        <EmptyState title="No lesions recorded for this patient yet." />
      ) : (
        <table aria-label="Lesions of this patient">
          <thead>
            <tr>
              <th scope="col">Lesion</th>
              <th scope="col">Organ</th>
              <th scope="col" className="num">
                SUVmax (this study)
              </th>
              <th scope="col" className="num">
                SUVpeak
              </th>
              <th scope="col">Method</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ l, m }) => (
              <tr
                key={m?.id ?? l.id}
                className={m && m.id === selected ? "row-selected" : undefined}
                aria-selected={m ? m.id === selected : undefined}
              >
                <td>{l.label}</td>
                <td>{l.organ}</td>
                <td className="num">{m ? formatNumber(m.suvMax, 2) : "—"}</td>
                <td className="num">{m ? formatNumber(m.suvPeak, 2) : "—"}</td>
                <td>{m ? humanize(m.method) : "not measured on this study"}</td>
                <td>
                  {m && markers.some((x) => x.id === m.id) ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => onSelect(m.id)}
                      aria-label={`Show ${l.label} in the views`}
                    >
                      Show
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Candidate = Series["candidates"][number];

function CandidateList({
  candidates,
  selected,
  onSelect,
  onChanged,
}: {
  candidates: readonly Candidate[];
  selected: string | null;
  onSelect: (id: string | null) => void;
  onChanged: () => Promise<void>;
}) {
  const can = useCanImaging();
  const [open, setOpen] = useState<{ id: string; action: "accept" | "reject" } | null>(null);
  const active = open ? candidates.find((c) => c.id === open.id) : undefined;
  const done = () => {
    setOpen(null);
    void onChanged();
  };
  return (
    <section className="card stack" aria-labelledby="h-viewer-candidates">
      <h3 id="h-viewer-candidates">Quantification candidates</h3>
      {candidates.length === 0 ? (
        <EmptyState title="No candidates: run a quantification from the chart's imaging tab." />
      ) : null}
      {active && open?.action === "accept" ? (
        <AcceptForm candidate={active} onClose={() => setOpen(null)} onDone={done} />
      ) : null}
      {active && open?.action === "reject" ? (
        <RejectForm candidate={active} onClose={() => setOpen(null)} onDone={done} />
      ) : null}
      {candidates.length > 0 ? (
        <table aria-label="Quantification candidates">
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
                Volume (mL)
              </th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {candidates.map((c) => (
              <tr
                key={c.id}
                className={c.id === selected ? "row-selected" : undefined}
                aria-selected={c.id === selected}
                data-candidate-status={c.status}
              >
                <td className="num">{c.rank}</td>
                <td className="num">{formatNumber(c.suvMax, 2)}</td>
                <td className="num">{formatNumber(c.suvPeak, 2)}</td>
                <td className="num">{formatNumber(c.volumeMl, 2)}</td>
                <td>{humanize(c.status)}</td>
                <td className="nowrap">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => onSelect(c.id)}
                    aria-label={`Show candidate ${c.rank}`}
                  >
                    Show
                  </button>{" "}
                  {c.status === "PROPOSED" && can("candidate:review") ? (
                    <>
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={`Accept candidate ${c.rank}`}
                        onClick={() => setOpen({ id: c.id, action: "accept" })}
                      >
                        Accept
                      </button>{" "}
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={`Reject candidate ${c.rank}`}
                        onClick={() => setOpen({ id: c.id, action: "reject" })}
                      >
                        Reject
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
