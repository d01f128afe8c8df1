"use client";

import dynamic from "next/dynamic";
import { useParams } from "next/navigation";
import { Loading } from "@/components/States";

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
  return <ViewerScreen studyId={decodeURIComponent(params.studyId)} />;
}
