"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { PatientDicomStudiesDocument } from "@/graphql/generated";
import { formatDateTime } from "@/lib/format";
import { formatDicomDate } from "./format";
import { SeriesCard } from "./SeriesCard";

/** The patient's DICOM studies → series, with QA, SUV derivation, overrides and quantification. */
export function DicomStudiesPanel({ patientId }: { patientId: string }) {
  const { data, loading, error, refetch } = useQuery(PatientDicomStudiesDocument, {
    variables: { patientId },
    fetchPolicy: "cache-and-network",
  });
  const studies = data?.dicomStudies.edges.map((e) => e.node) ?? [];
  return (
    <section className="stack" aria-labelledby="h-dicom">
      <h2 id="h-dicom">DICOM studies</h2>
      {error ? <ErrorState error={error} onRetry={() => void refetch()} /> : null}
      {loading && !data ? <Loading label="Loading DICOM studies…" /> : null}
      {data && studies.length === 0 ? <EmptyState title="No DICOM images received for this patient." /> : null}
      {studies.map((st) => (
        <article key={st.id} className="card stack" aria-label={`DICOM study ${formatDicomDate(st.studyDate)}`} data-study-uid={st.studyInstanceUid}>
          <header className="row">
            <h3 style={{ margin: 0 }}>
              {formatDicomDate(st.studyDate)} {st.description ?? ""}
            </h3>
            <span className="spacer" />
            {st.series.some((se) => se.modality === "PT" || se.modality === "NM") ? (
              <Link href={`/viewer/${encodeURIComponent(st.id)}`} className="btn btn-small btn-primary">
                Open in viewer
              </Link>
            ) : null}
            <span className="muted">
              {st.accessionNumber ? `Accession ${st.accessionNumber} · ` : ""}received {formatDateTime(st.createdAt)}
            </span>
          </header>
          <p className="muted">
            Study UID <code>{st.studyInstanceUid}</code>
          </p>
          {st.series.length === 0 ? <EmptyState title="No series." /> : null}
          {st.series.map((se) => (
            <SeriesCard key={se.id} series={se} />
          ))}
        </article>
      ))}
    </section>
  );
}
