/*
 * Minimal DICOM DA / TM / DT parsing to wall-clock seconds. Times are treated as wall-clock
 * values on a UTC time line (no zone is known unless Timezone Offset From UTC is present;
 * suv.md §2.5 pitfall 8). Only differences of these values are meaningful.
 * @internal
 */

const DA = /^(\d{4})(\d{2})(\d{2})$/;
const TM = /^(\d{2})(?::?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/** Parses DA "YYYYMMDD" to epoch seconds at 00:00 UTC, or null when malformed. */
export function parseDaSeconds(value: string): number | null {
  const m = DA.exec(value.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return null;
  return t / 1000;
}

/** Parses TM "HHMMSS.FFFFFF" (also "HH", "HHMM", "HH:MM:SS") to seconds after midnight, or null. */
export function parseTmSeconds(value: string): number | null {
  const m = TM.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const mi = m[2] === undefined ? 0 : Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  const frac = m[4] === undefined ? 0 : Number(`0.${m[4]}`);
  if (h > 23 || mi > 59 || s > 60) return null;
  return h * 3600 + mi * 60 + s + frac;
}

/** Parses DT "YYYYMMDDHHMMSS.FFFFFF" (offset suffix ignored) to wall-clock epoch seconds, or null. */
export function parseDtSeconds(value: string): number | null {
  const v = value.trim().replace(/[+-]\d{4}$/, "");
  if (v.length < 8) return null;
  const d = parseDaSeconds(v.slice(0, 8));
  if (d === null) return null;
  if (v.length === 8) return d;
  const t = parseTmSeconds(v.slice(8));
  return t === null ? null : d + t;
}

/** Formats wall-clock epoch seconds as DICOM DT "YYYYMMDDHHMMSS.FFFFFF". */
export function formatDt(seconds: number): string {
  const whole = Math.floor(seconds);
  const micro = Math.round((seconds - whole) * 1e6);
  const d = new Date(whole * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return (
    `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${p(micro, 6)}`
  );
}

/** Formats wall-clock epoch seconds as an ISO-like string without zone ("2024-03-05T10:30:00.000"). */
export function formatWallClock(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString().replace("Z", "");
}
