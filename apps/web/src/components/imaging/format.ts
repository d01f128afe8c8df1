/** SUVbw factor (g/mL per rescaled pixel unit; ~1e-3 for BQML): 4 significant digits. */
export function formatSuvFactor(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  return v.toPrecision(4);
}

/** DICOM DA (YYYYMMDD) → YYYY-MM-DD; anything else as is. */
export function formatDicomDate(da: string | null | undefined): string {
  if (!da) return "—";
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : da;
}

/** DICOM DT (YYYYMMDDHHMMSS[.F]) → "YYYY-MM-DD HH:MM:SS"; anything else as is. */
export function formatDicomDateTime(dt: string | null | undefined): string {
  if (!dt) return "—";
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?/.exec(dt.trim());
  if (!m) return dt;
  return `${m[1]}-${m[2]}-${m[3]}${m[4] ? ` ${m[4]}:${m[5] ?? "00"}:${m[6] ?? "00"}` : ""}`;
}

/** datetime-local value (local wall time, as written in DICOM headers) → DICOM DT. */
export function toDicomDateTime(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  return m ? `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6] ?? "00"}` : null;
}

/** DICOM DT → datetime-local value (for prefilling). */
export function fromDicomDateTime(dt: string | null | undefined): string {
  const m = dt ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?/.exec(dt) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ""}` : "";
}

/** A JSON value (inputs, overrides) as short text. */
export function jsonText(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}
