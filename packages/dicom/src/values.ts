/**
 * Parsing of DICOM value representations used by the PET pipeline (PS3.5 §6.2):
 * DS (Decimal String), IS, DA, TM, DT.
 *
 * Date/time values are converted to seconds on a UTC-naive timeline (the wall-clock time read
 * as if it were UTC). Differences between two such values are exact unless a daylight-saving
 * change or a Timezone Offset From UTC (0008,0201) intervenes; the QA gate reports that case.
 */

/** Result of parsing one Decimal String value. */
export interface ParsedDecimal {
  value: number;
  /** True when the text used exponent notation (`3.885e+008`), legal in DS but a vendor quirk. */
  exponentForm: boolean;
  /** The trimmed source text. */
  raw: string;
}

const DS_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses one DICOM DS value (PS3.5 Table 6.2-1: fixed or floating point, may use an `E`/`e`
 * exponent, up to 16 bytes; leading/trailing spaces allowed).
 *
 * @param text - a single value (no backslash).
 * @returns the number and whether it was written in exponent form, or `undefined` for an
 *   empty or malformed value (the caller decides whether that is an error).
 * @throws never.
 */
export function parseDecimalString(text: string | undefined): ParsedDecimal | undefined {
  if (text === undefined) return undefined;
  const raw = text.replace(/\0/g, "").trim();
  if (raw === "" || !DS_RE.test(raw)) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) return undefined;
  return { value, exponentForm: /[eE]/.test(raw), raw };
}

/**
 * Parses a multi-valued DS (values separated by `\`).
 *
 * @returns the numbers, or `undefined` if the text is empty or any value is malformed.
 * @throws never.
 */
export function parseDecimalStrings(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.replace(/\0/g, "").trim();
  if (parts === "") return undefined;
  const out: number[] = [];
  for (const p of parts.split("\\")) {
    const v = parseDecimalString(p);
    if (v === undefined) return undefined;
    out.push(v.value);
  }
  return out;
}

/**
 * Parses a DICOM DA value `YYYYMMDD` (PS3.5 Table 6.2-1) to seconds at 00:00 on a UTC-naive
 * timeline. Also accepts the ACR-NEMA form `YYYY.MM.DD` found in old files.
 *
 * @returns seconds since 1970-01-01 (UTC-naive), or `undefined` if invalid.
 * @throws never.
 */
export function parseDicomDate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/[\0\s]/g, "").replace(/\./g, "");
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return ms / 1000;
}

/**
 * Parses a DICOM TM value `HH[MM[SS[.F{1,6}]]]` (PS3.5 Table 6.2-1; the ACR-NEMA `HH:MM:SS`
 * form is tolerated) to seconds after midnight.
 *
 * @returns seconds (fractional), or `undefined` if invalid.
 * @throws never.
 */
export function parseDicomTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/[\0\s]/g, "").replace(/:/g, "");
  const m = /^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$/.exec(t);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = m[2] === undefined ? 0 : Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  const frac = m[4] === undefined ? 0 : Number(`0.${m[4]}`);
  // 60 is allowed for a leap second by PS3.5.
  if (h > 23 || mi > 59 || s > 60) return undefined;
  return h * 3600 + mi * 60 + s + frac;
}

/**
 * Parses a DICOM DT value `YYYYMMDDHHMMSS.FFFFFF&ZZXX` (PS3.5 Table 6.2-1). Components after
 * the year are optional. A UTC offset suffix, if present, is applied so the result is UTC.
 *
 * @returns seconds since 1970-01-01 (UTC-naive when no offset given), or `undefined`.
 * @throws never.
 */
export function parseDicomDateTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/[\0\s]/g, "");
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?([+-]\d{4})?$/.exec(
    t,
  );
  if (!m) return undefined;
  const date = parseDicomDate(`${m[1]}${m[2] ?? "01"}${m[3] ?? "01"}`);
  if (date === undefined) return undefined;
  const time = m[4] === undefined ? 0 : parseDicomTime(m[4]);
  if (time === undefined) return undefined;
  let offset = 0;
  if (m[5] !== undefined) {
    const sign = m[5].startsWith("-") ? -1 : 1;
    offset = sign * (Number(m[5].slice(1, 3)) * 3600 + Number(m[5].slice(3, 5)) * 60);
  }
  return date + time - offset;
}

/**
 * Combines a DA and a TM into seconds on the UTC-naive timeline.
 *
 * @returns `undefined` if either part is missing or invalid.
 * @throws never.
 */
export function combineDateTime(
  date: string | undefined,
  time: string | undefined,
): number | undefined {
  const d = parseDicomDate(date);
  const t = parseDicomTime(time);
  if (d === undefined || t === undefined) return undefined;
  return d + t;
}

/**
 * Formats seconds on the UTC-naive timeline (as returned by {@link parseDicomDateTime}) as a
 * DICOM DT `YYYYMMDDHHMMSS.FFFFFF` (PS3.5 Table 6.2-1), rounded to the microsecond.
 *
 * @param seconds - seconds since 1970-01-01 on the UTC-naive timeline.
 * @returns the DT string (no UTC offset suffix).
 * @throws never.
 */
export function formatDicomDateTime(seconds: number): string {
  const totalMicro = Math.round(seconds * 1e6);
  const whole = Math.floor(totalMicro / 1e6);
  const micro = totalMicro - whole * 1e6;
  const d = new Date(whole * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return (
    `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${p(micro, 6)}`
  );
}
