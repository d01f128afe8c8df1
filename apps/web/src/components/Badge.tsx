import { humanize } from "@/lib/format";

const TONES: Record<string, string> = {
  REFERRED: "info",
  IN_WORKUP: "info",
  ON_TREATMENT: "ok",
  FOLLOW_UP: "neutral",
  CLOSED: "neutral",
  PLANNED: "info",
  READY: "ok",
  ADMINISTERED: "neutral",
  DELAYED: "warn",
  CANCELLED: "neutral",
  SCHEDULED: "info",
  IN_PROGRESS: "ok",
  ACTIVE: "ok",
  COMPLETED: "neutral",
  STOPPED: "warn",
  SUCCESS: "ok",
  DENIED: "warn",
  FAILURE: "bad",
};

export function StatusBadge({ value }: { value: string }) {
  return <span className={`badge badge-${TONES[value] ?? "neutral"}`}>{humanize(value)}</span>;
}
