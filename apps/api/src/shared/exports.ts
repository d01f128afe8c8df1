/**
 * Building blocks shared by the file exports (board one-pager PDF, dosimetry reports, dose-ledger
 * and lesion-table CSV): WinAnsi-safe PDF text, a pdfkit document as a Buffer, RFC 4180 fields.
 */

/**
 * pdfkit's standard fonts (Helvetica) are WinAnsi: symbols they cannot draw are spelled out
 * (≥ → ">=", λ → "lambda", Ã → "TIA" …); anything else outside WinAnsi becomes "?" rather than
 * a silently wrong glyph.
 */
export function pdfText(s: string): string {
  return s
    .replace(/≥/g, ">=")
    .replace(/≤/g, "<=")
    .replace(/→/g, "->")
    .replace(/←/g, "<-")
    .replace(/−/g, "-")
    .replace(/≈/g, "~")
    .replace(/λ/g, "lambda")
    .replace(/⁻¹/g, "^-1")
    .replace(/₁/g, "1")
    .replace(/₂/g, "2")
    .replace(/Σ/g, "Sum ")
    .replace(/∫/g, "int ")
    .replace(/α/g, "alpha")
    .replace(/β/g, "beta")
    .replace(/φ/g, "phi")
    .replace(/σ/g, "sigma")
    .replace(/Ã/g, "TIA")
    .replace(/[^\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, "?");
}

/** Collects a pdfkit document's output; resolves when `doc.end()` has been called and flushed. */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
}

/**
 * RFC 4180 field: quoted when it contains a comma, quote, CR or LF; quotes doubled. Numbers are
 * written in full unless `decimals` is given (then rounded, trailing zeros dropped); non-finite
 * numbers and null/undefined are empty.
 */
export function csvField(v: string | number | boolean | null | undefined, decimals?: number): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "number" ? (!Number.isFinite(v) ? "" : decimals === undefined ? String(v) : String(Number(v.toFixed(decimals)))) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
