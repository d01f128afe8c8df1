"use client";

import { useViewer } from "@/lib/viewer";

/** Imaging actions of the API's permission matrix (apps/api/src/shared/permissions.ts). */
export type ImagingPermission = "imaging:upload" | "quarantine:resolve" | "imaging:override" | "quant:run" | "candidate:review";

/** The web app only hides what the server would refuse; the server still decides. */
export function useCanImaging(): (p: ImagingPermission) => boolean {
  const v = useViewer();
  return (p) => v.permissions.includes(p);
}
