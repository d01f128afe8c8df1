"use client";

import { useEffect } from "react";
import { useQuery } from "@apollo/client/react";
import dynamic from "next/dynamic";
import { useParams } from "next/navigation";
import { Loading } from "@/components/States";
import { ViewerStudyDocument } from "@/graphql/generated";
import { prefetchSeriesMetadata } from "@/features/viewer/metadata-prefetch";

// Cornerstone3D touches WebGL, workers and WASM: client only, and loaded only when the viewer opens.
const loadViewer = () => import("@/features/viewer/ViewerScreen");
// Fetch the chunk while the signed-in shell still checks the session (bench:web: first image sooner).
if (typeof window !== "undefined") void loadViewer();
const ViewerScreen = dynamic(() => loadViewer().then((m) => m.ViewerScreen), {
  ssr: false,
  loading: () => <Loading label="Loading the viewer…" />,
});

/** /viewer/<DicomStudy global id> (opaque id only: no PHI in the URL). */
export default function ViewerPage() {
  const params = useParams<{ studyId: string }>();
  const studyId = decodeURIComponent(params.studyId);
  // The study query starts here, while the viewer chunk downloads; ViewerScreen reads the same
  // query (deduplicated in flight, then from the cache).
  const q = useQuery(ViewerStudyDocument, { variables: { id: studyId }, fetchPolicy: "network-only" });
  // The series metadata too: it is needed before the first frame, and the chunk takes longer.
  useEffect(() => {
    for (const s of q.data?.dicomStudy?.series ?? []) {
      if (["PT", "NM", "CT"].includes(s.modality ?? "") && s.dicomweb.seriesUrl) prefetchSeriesMetadata(s.dicomweb.seriesUrl);
    }
  }, [q.data]);
  return <ViewerScreen studyId={studyId} />;
}
