"use client";

import { createContext, useContext } from "react";
import type { Role, ViewerFieldsFragment } from "@/graphql/generated";

/** Actions named in the API's permission matrix (apps/api/src/shared/permissions.ts). */
export type Permission =
  | "patient:read"
  | "patient:write"
  | "diagnosis:write"
  | "weight:write"
  | "course:write"
  | "cycle:schedule"
  | "cycle:administer"
  | "lab:write"
  | "study:write"
  | "lesion:write"
  | "radiopharmaceutical:write"
  | "audit:read"
  | "user:admin"
  | "dosimetry:write"
  | "dosimetry:sign"
  | "response:write"
  | "response:sign"
  | "board:manage"
  | "board:decide";

export type ViewerInfo = ViewerFieldsFragment;

export const ViewerContext = createContext<ViewerInfo | null>(null);

export function useViewer(): ViewerInfo {
  const v = useContext(ViewerContext);
  if (!v) throw new Error("useViewer must be used inside the signed-in app shell");
  return v;
}

/** The web app only hides what the server would refuse; the server still decides. */
export function useCan(): (p: Permission) => boolean {
  const v = useViewer();
  return (p) => v.permissions.includes(p);
}

export function hasRole(v: ViewerInfo, role: Role): boolean {
  return v.roles.includes(role);
}
