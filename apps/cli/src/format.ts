import type { Finding } from "@lutetia/dicom";
import type { QuantifyResult } from "./quantify";

const f = (x: number | null, d = 2) => (x === null || !Number.isFinite(x) ? "" : x.toFixed(d));

/** Human-readable table (stdout) for `--format table`. */
export function formatTable(r: QuantifyResult): string {
  const lines: string[] = [];
  lines.push(`Series ${r.series.seriesInstanceUid ?? "?"} (${r.series.modality ?? "?"}), ${r.series.dims.join("×")} voxels, spacing ${r.series.spacingMm.map((s) => s.toFixed(3)).join(" × ")} mm`);
  lines.push(`SUVbw factor ${r.suvScaleFactor.toPrecision(6)} g/mL per Bq/mL (${r.suvMethod}${r.decayS !== null ? `, decay ${(r.decayS / 60).toFixed(1)} min` : ""})`);
  if (r.suvType !== "bw") lines.push(`Applied ${r.suvType} factor ${r.appliedFactor.toPrecision(6)}${r.lbmFormula ? ` (${r.lbmFormula})` : ""}`);
  lines.push(`Threshold: ${r.threshold.method} → ${r.threshold.value.toFixed(3)}`);
  for (const q of r.qa) lines.push(`QA ${q.severity} ${q.code}: ${q.message}`);
  for (const w of r.suvWarnings) lines.push(`SUV WARNING ${w.code}: ${w.message}`);
  const head = ["#", "volume mL", "SUVmax", "SUVmean", "SUVpeak", "TLG", "centroid x,y,z mm", "voxels"];
  const rows = r.components.map((c, i) => [
    String(i + 1), f(c.volumeMl), f(c.suvMax), f(c.suvMean), f(c.suvPeak), f(c.tlg),
    c.centroidMm.map((v) => v.toFixed(1)).join(","), String(c.voxelCount),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  lines.push(fmt(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(fmt));
  lines.push(`${r.totals.componentCount} components, TMTV ${f(r.totals.tmtvMl)} mL, total TLG ${f(r.totals.totalTlg)}${r.totals.droppedComponents ? `, ${r.totals.droppedComponents} below min volume dropped` : ""}`);
  return lines.join("\n");
}

/** CSV (RFC 4180, header row) of the component table for `--format csv`. */
export function formatCsv(r: QuantifyResult): string {
  const rows = [["rank", "volume_ml", "suv_max", "suv_mean", "suv_peak", "tlg", "centroid_x_mm", "centroid_y_mm", "centroid_z_mm", "voxel_count"].join(",")];
  r.components.forEach((c, i) => {
    rows.push([i + 1, c.volumeMl, c.suvMax, c.suvMean, c.suvPeak ?? "", c.tlg, ...c.centroidMm, c.voxelCount].join(","));
  });
  return rows.join("\n");
}

export function formatFindings(findings: readonly Pick<Finding, "severity" | "code" | "message" | "attribute" | "value">[]): string {
  return findings.map((q) => `${q.severity} ${q.code} [${q.attribute}=${JSON.stringify(q.value)}]: ${q.message}`).join("\n");
}
