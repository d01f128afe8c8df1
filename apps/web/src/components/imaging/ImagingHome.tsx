"use client";

import Link from "next/link";
import { EmptyState } from "@/components/States";
import { useCanImaging } from "./permissions";

/** Entry to the imaging screens the viewer may use. Series, QA and quantification live on the chart's Imaging tab. */
export function ImagingHome() {
  const can = useCanImaging();
  const upload = can("imaging:upload");
  const quarantine = can("quarantine:resolve");
  return (
    <div className="stack">
      <h1>Imaging</h1>
      {!upload && !quarantine ? (
        <EmptyState title="No imaging actions for your role.">Patients&apos; DICOM series are on each chart&apos;s Imaging tab.</EmptyState>
      ) : null}
      <div className="grid">
        {upload ? (
          <section className="card" aria-labelledby="h-upload">
            <h2 id="h-upload">Upload DICOM</h2>
            <p className="muted">Files, folders or zip archives; results per file and per study, with QA findings.</p>
            <Link href="/imaging/upload" className="btn btn-primary">
              Upload images
            </Link>
          </section>
        ) : null}
        {quarantine ? (
          <section className="card" aria-labelledby="h-quarantine">
            <h2 id="h-quarantine">Quarantine</h2>
            <p className="muted">Studies that matched no patient, to assign explicitly.</p>
            <Link href="/imaging/quarantine" className="btn">
              Open quarantine
            </Link>
          </section>
        ) : null}
      </div>
    </div>
  );
}
