import type { PatientChartQuery } from "@/graphql/generated";

export type ChartPatient = Extract<NonNullable<PatientChartQuery["node"]>, { __typename: "Patient" }>;
export type ChartCourse = ChartPatient["courses"][number];
export type ChartCycle = ChartCourse["cycles"][number];
export type ChartStudy = ChartPatient["studies"][number];
export type ChartLab = ChartPatient["labResults"][number];

export const TABS = [
  { id: "timeline", label: "Timeline" },
  { id: "diagnosis", label: "Diagnosis" },
  { id: "courses", label: "Courses & cycles" },
  { id: "labs", label: "Labs" },
  { id: "imaging", label: "Imaging" },
  { id: "lesions", label: "Lesions" },
  { id: "dosimetry", label: "Dosimetry" },
  { id: "response", label: "Response" },
] as const;

export type TabId = (typeof TABS)[number]["id"];

export function isTab(v: string | null): v is TabId {
  return TABS.some((t) => t.id === v);
}

/** What the URL asked the chart to open (opaque IDs and codes only). */
export interface ChartIntent {
  readonly action: string | null;
  readonly cycleId: string | null;
}

/** Called after a successful save: refetches the chart. */
export type OnSaved = () => Promise<unknown> | void;
