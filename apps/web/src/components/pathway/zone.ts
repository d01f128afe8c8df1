/** Site-time-zone helpers for the care pathway screens (the API schedules in the site's zone). */

function parts(d: Date, timeZone: string): Record<string, number> {
  const fmt = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(d)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "YYYY-MM-DD HH:mm" of an instant in the site zone. */
export function siteDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = parts(d, timeZone);
  return `${p.year}-${pad(p.month!)}-${pad(p.day!)} ${pad(p.hour!)}:${pad(p.minute!)}`;
}

/** "YYYY-MM-DD" of an instant in the site zone. */
export function siteDay(iso: string, timeZone: string): string {
  return siteDateTime(iso, timeZone).slice(0, 10);
}

/** datetime-local value (YYYY-MM-DDTHH:mm) of an instant in the site zone. */
export function siteInput(iso: string | Date, timeZone: string): string {
  return siteDateTime(typeof iso === "string" ? iso : iso.toISOString(), timeZone).replace(
    " ",
    "T",
  );
}

/** Offset (ms) of the zone at an instant. */
function offsetMs(at: number, timeZone: string): number {
  const p = parts(new Date(at), timeZone);
  return (
    Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) -
    Math.floor(at / 1000) * 1000
  );
}

/** ISO instant of a site-zone wall-clock value (YYYY-MM-DDTHH:mm); undefined when invalid. */
export function siteLocalToInstant(value: string, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let t = wall - offsetMs(wall, timeZone);
  t = wall - offsetMs(t, timeZone);
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** "2026-03-20T09:00:00+01:00[Europe/Amsterdam]" → "2026-03-20 09:00". */
export function dueLocalText(dueLocal: string): string {
  return dueLocal.slice(0, 16).replace("T", " ");
}
