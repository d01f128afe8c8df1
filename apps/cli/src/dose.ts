import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  bedGy,
  fitMonoExponential,
  fitUptakeWashout,
  getNuclide,
  localDepositionDoseGy,
  organAbsorbedDoseLu177,
  trapezoidWithTail,
  type Lu177SourceOrgan,
  type Lu177TargetOrgan,
  type PhantomSex,
  type TacFlag,
} from "@lutetia/quantification";
import { UsageError } from "./quantify";

/**
 * `lutetia dose <points.csv|points.json>`: time–activity points per region → fit, TIA, absorbed
 * dose (MIRD S-values for 177Lu organs with mass scaling; local deposition for tumours) and
 * kidney BED, for batch use by a physicist. Formats (README "lutetia dose"):
 *
 * CSV, header required: `region,time_h,activity_mbq[,mass_g]` — one row per point; the mass
 * (patient organ or tumour mass, g) may be on any row of the region.
 * JSON: `{ "sex": "female", "nuclide": "177Lu", "regions": [{ "region": "kidneys", "massG": 320,
 *   "points": [{ "timeH": 4, "activityMBq": 210.5 }] }] }`
 * Regions: kidneys, liver, spleen, redMarrow, totalBody, urinaryBladderContents, or
 * `tumour:<label>` (mass required).
 */
export type DoseModel = "auto" | "mono" | "bi" | "trapezoid";

export interface RegionInput {
  region: string;
  massG?: number;
  points: { timeH: number; activityMBq: number }[];
}
export interface DoseInput {
  sex?: PhantomSex;
  nuclide?: string;
  regions: RegionInput[];
}

const ORGAN_SOURCES: readonly string[] = ["kidneys", "liver", "spleen", "redMarrow", "totalBody", "urinaryBladderContents"];
const ORGAN_TARGETS: readonly string[] = ["kidneys", "liver", "spleen", "redMarrow", "totalBody"];

export interface RegionResult {
  region: string;
  model: string;
  points: number;
  effectiveHalfLifeH: number | null;
  rSquared: number | null;
  tiaMBqH: number;
  tiaSdMBqH: number | null;
  doseGy: number | null;
  bedGy: number | null;
  method: string;
  flags: TacFlag[];
}

function parseCsv(text: string, name: string): DoseInput {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const header = lines.shift()?.split(",").map((h) => h.trim().toLowerCase());
  const need = ["region", "time_h", "activity_mbq"];
  if (!header || need.some((h) => !header.includes(h))) {
    throw new UsageError(`${name}: CSV header must contain region,time_h,activity_mbq[,mass_g], got ${JSON.stringify(header?.join(",") ?? "")}`);
  }
  const col = (h: string) => header.indexOf(h);
  const regions = new Map<string, RegionInput>();
  lines.forEach((line, i) => {
    const cells = line.split(",").map((c) => c.trim());
    const rowNo = i + 2;
    const numAt = (h: string) => {
      const raw = cells[col(h)];
      const v = Number(raw);
      if (raw === undefined || raw === "" || !Number.isFinite(v)) throw new UsageError(`${name} line ${rowNo}: ${h} must be a number, got ${JSON.stringify(raw ?? "")}`);
      return v;
    };
    const region = cells[col("region")] ?? "";
    if (!region) throw new UsageError(`${name} line ${rowNo}: region is empty`);
    const r = regions.get(region) ?? { region, points: [] };
    r.points.push({ timeH: numAt("time_h"), activityMBq: numAt("activity_mbq") });
    if (col("mass_g") >= 0 && (cells[col("mass_g")] ?? "") !== "") r.massG = numAt("mass_g");
    regions.set(region, r);
  });
  return { regions: [...regions.values()] };
}

export function readDoseInput(path: string): DoseInput {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`input file ${JSON.stringify(path)} cannot be read`);
  }
  if (path.toLowerCase().endsWith(".json")) {
    let j: unknown;
    try {
      j = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${path}: invalid JSON (${(e as Error).message})`);
    }
    const d = j as DoseInput;
    if (!d || !Array.isArray(d.regions)) throw new UsageError(`${path}: JSON must have a "regions" array`);
    return d;
  }
  return parseCsv(text, path);
}

function fit(model: DoseModel, t: number[], a: number[], halfLifeS: number) {
  if (model === "mono") return fitMonoExponential(t, a, halfLifeS);
  if (model === "bi") return fitUptakeWashout(t, a, halfLifeS);
  if (model === "trapezoid") return trapezoidWithTail(t, a, halfLifeS);
  // auto: bi-exponential when ≥ 4 points and identifiable, else mono-exponential when it washes out, else trapezoid + tail.
  if (t.length >= 4) {
    try {
      const bi = fitUptakeWashout(t, a, halfLifeS);
      if (!bi.flags.some((f) => f.code === "UNIDENTIFIABLE" || f.code === "POORLY_DETERMINED")) return bi;
    } catch {
      /* fall through to the simpler models */
    }
  }
  const mono = fitMonoExponential(t, a, halfLifeS);
  return mono.flags.some((f) => f.code === "NON_WASHOUT") ? trapezoidWithTail(t, a, halfLifeS) : mono;
}

/** Computes TIA, dose and BED for every region. Throws UsageError naming the bad value. */
export function computeDoses(input: DoseInput, model: DoseModel, sexOption?: PhantomSex): RegionResult[] {
  const nuclide = getNuclide(input.nuclide ?? "177Lu");
  const sex = sexOption ?? input.sex;
  const fits = input.regions.map((r) => {
    if (!Array.isArray(r.points) || r.points.length === 0) throw new UsageError(`region ${r.region}: no points`);
    const sorted = [...r.points].sort((p, q) => p.timeH - q.timeH);
    try {
      return { r, f: fit(model, sorted.map((p) => p.timeH), sorted.map((p) => p.activityMBq), nuclide.halfLifeS) };
    } catch (e) {
      throw new UsageError(`region ${r.region}: ${(e as Error).message}`);
    }
  });
  const sources = fits
    .filter(({ r }) => ORGAN_SOURCES.includes(r.region))
    .map(({ r, f }) => ({ source: r.region as Lu177SourceOrgan, tiaMBqH: f.tiaMBqH }));
  return fits.map(({ r, f }) => {
    const teff = "effectiveHalfLifeH" in f ? f.effectiveHalfLifeH : "lambdaWashoutPerH" in f ? Math.LN2 / f.lambdaWashoutPerH : f.lambdaTailPerH > 0 ? Math.LN2 / f.lambdaTailPerH : null;
    let doseGy: number | null = null;
    let method = "TIA only (no S-value for this region)";
    if (r.region.startsWith("tumour:")) {
      if (!(r.massG && r.massG > 0)) throw new UsageError(`region ${r.region}: mass_g is required for a tumour (local deposition), got ${r.massG ?? "nothing"}`);
      doseGy = localDepositionDoseGy(f.tiaMBqH, r.massG);
      method = "local deposition, 177Lu mean electron energy (dosimetry.md §4.3)";
    } else if (ORGAN_TARGETS.includes(r.region)) {
      if (nuclide.id !== "177Lu") throw new UsageError(`organ S-values are tabulated for 177Lu only, got nuclide ${nuclide.id}`);
      if (!sex) throw new UsageError(`--sex female|male is required for organ S-values (region ${r.region})`);
      const d = organAbsorbedDoseLu177(sex, r.region as Lu177TargetOrgan, sources, r.massG);
      doseGy = d.doseGy;
      method = `MIRD S-values 177Lu ICRP phantom (${sex})${r.massG ? `, self-dose mass-scaled to ${r.massG} g` : ""}; sources: ${d.contributions.map((c) => c.source).join(", ")}`;
    }
    const bed = r.region === "kidneys" && doseGy !== null && teff !== null ? bedGy(doseGy, teff) : null;
    return {
      region: r.region,
      model: f.model,
      points: r.points.length,
      effectiveHalfLifeH: teff,
      rSquared: "rSquared" in f ? (f as { rSquared: number }).rSquared : null,
      tiaMBqH: f.tiaMBqH,
      tiaSdMBqH: Number.isFinite(f.tiaSdMBqH) ? f.tiaSdMBqH : null,
      doseGy,
      bedGy: bed,
      method,
      flags: f.flags,
    };
  });
}

const n = (x: number | null, d: number) => (x === null ? "" : x.toFixed(d));

export async function runDose(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { model: { type: "string", default: "auto" }, sex: { type: "string" }, format: { type: "string", default: "table" } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError("dose takes exactly one <points.csv|points.json>");
  const model = values.model as DoseModel;
  if (!["auto", "mono", "bi", "trapezoid"].includes(model)) throw new UsageError(`--model must be auto, mono, bi or trapezoid, got ${JSON.stringify(values.model)}`);
  if (values.sex !== undefined && values.sex !== "female" && values.sex !== "male") throw new UsageError(`--sex must be female or male, got ${JSON.stringify(values.sex)}`);
  if (!["table", "json"].includes(values.format!)) throw new UsageError(`--format must be table or json, got ${JSON.stringify(values.format)}`);
  const results = computeDoses(readDoseInput(file), model, values.sex as PhantomSex | undefined);
  if (values.format === "json") {
    process.stdout.write(`${JSON.stringify({ units: { time: "h", activity: "MBq", tia: "MBq·h", dose: "Gy", bed: "Gy" }, regions: results }, null, 2)}\n`);
    return 0;
  }
  const head = ["region", "model", "pts", "Teff h", "R²", "TIA MBq·h", "dose Gy", "BED Gy"];
  const rows = results.map((r) => [r.region, r.model, String(r.points), n(r.effectiveHalfLifeH, 1), n(r.rSquared, 4), n(r.tiaMBqH, 1), n(r.doseGy, 3), n(r.bedGy, 3)]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  ");
  const lines = [fmt(head), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(fmt)];
  for (const r of results) {
    lines.push(`${r.region}: ${r.method}`);
    for (const f of r.flags) lines.push(`  ${f.code}: ${f.message}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
