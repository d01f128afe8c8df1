import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import type { NamedBytes, PetQaOverrides } from "@lutetia/dicom";
import { formatCsv, formatFindings, formatTable } from "./format";
import { quantifySeries, UsageError, type SuvType, type ThresholdMethod } from "./quantify";
import { runDose } from "./dose";

const USAGE = `lutetia — Lutetia command line

  lutetia quantify <dicom-dir> [--threshold 2.5 | --percent-max 41 | --percist --liver-mm x,y,z]
                   [--suv bw|lbm-james|lbm-janma|bsa] [--min-volume-ml 0.5] [--peak]
                   [--format table|csv|json]
                   [--weight-kg 72] [--height-m 1.75] [--dose-mbq 180] [--half-life-s 4062.6]
                   [--injection-dt YYYYMMDDHHMMSS] [--reference-dt YYYYMMDDHHMMSS] [--units BQML]
                   (explicit overrides of header values; each is reported in the output)
  lutetia dose <points.csv|points.json> [--model mono|bi|trapezoid|auto] [--format table|json]

Exit codes: 0 ok, 2 refused by the QA gate or SUV computation (findings printed), 64 usage error.`;

function listFiles(dir: string): NamedBytes[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new UsageError(`<dicom-dir> ${JSON.stringify(dir)} does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`<dicom-dir> ${JSON.stringify(dir)} is not a directory`);
  const out: NamedBytes[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.toUpperCase() !== "DICOMDIR" && !e.name.startsWith(".")) out.push({ name: p, bytes: readFileSync(p) });
    }
  };
  walk(dir);
  if (out.length === 0) throw new UsageError(`<dicom-dir> ${JSON.stringify(dir)} holds no files`);
  return out;
}

function num(name: string, v: string | undefined, min: number, max = Number.POSITIVE_INFINITY): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return n;
}

async function quantify(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      threshold: { type: "string" },
      "percent-max": { type: "string" },
      percist: { type: "boolean", default: false },
      "liver-mm": { type: "string" },
      suv: { type: "string", default: "bw" },
      "min-volume-ml": { type: "string", default: "0" },
      peak: { type: "boolean", default: false },
      format: { type: "string", default: "table" },
      "weight-kg": { type: "string" },
      "height-m": { type: "string" },
      "dose-mbq": { type: "string" },
      "half-life-s": { type: "string" },
      "injection-dt": { type: "string" },
      "reference-dt": { type: "string" },
      units: { type: "string" },
    },
  });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new UsageError("quantify takes exactly one <dicom-dir>");
  const chosen = [values.threshold !== undefined, values["percent-max"] !== undefined, values.percist].filter(Boolean).length;
  if (chosen > 1) throw new UsageError("choose one of --threshold, --percent-max, --percist");
  let method: ThresholdMethod;
  if (values.percist) {
    const parts = (values["liver-mm"] ?? "").split(",").map(Number);
    if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p))) {
      throw new UsageError(`--percist needs --liver-mm x,y,z (centre of the 3 cm liver sphere, patient mm), got ${JSON.stringify(values["liver-mm"] ?? null)}`);
    }
    method = { kind: "percist", liverCentreMm: parts as [number, number, number] };
  } else if (values["percent-max"] !== undefined) {
    method = { kind: "percent-max", percent: num("percent-max", values["percent-max"], 1, 100)! };
  } else {
    method = { kind: "threshold", suv: num("threshold", values.threshold ?? "2.5", 0)! };
  }
  const suv = values.suv as SuvType;
  if (!["bw", "lbm-james", "lbm-janma", "bsa"].includes(suv)) throw new UsageError(`--suv must be bw, lbm-james, lbm-janma or bsa, got ${JSON.stringify(values.suv)}`);
  const format = values.format!;
  if (!["table", "csv", "json"].includes(format)) throw new UsageError(`--format must be table, csv or json, got ${JSON.stringify(format)}`);

  const dt = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d{14}(\.\d{1,6})?$/.test(v)) throw new UsageError(`--${name} must be a DICOM DT YYYYMMDDHHMMSS, got ${JSON.stringify(v)}`);
    return v;
  };
  const doseMBq = num("dose-mbq", values["dose-mbq"], 0.001);
  const overrides: PetQaOverrides = Object.fromEntries(
    Object.entries({
      PatientWeight: num("weight-kg", values["weight-kg"], 1, 400),
      PatientSize: num("height-m", values["height-m"], 0.3, 2.5),
      RadionuclideTotalDose: doseMBq === undefined ? undefined : doseMBq * 1e6,
      RadionuclideHalfLife: num("half-life-s", values["half-life-s"], 1),
      RadiopharmaceuticalStartDateTime: dt("injection-dt", values["injection-dt"]),
      ReferenceDateTime: dt("reference-dt", values["reference-dt"]),
      Units: values.units,
    }).filter(([, v]) => v !== undefined),
  );

  const started = performance.now();
  const files = listFiles(dir);
  const readMs = performance.now() - started;
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: " {phase} [{bar}] {percentage}%", clearOnComplete: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(100, 0, { phase: "read" });
  const result = await quantifySeries(files, {
    method,
    suv,
    minVolumeMl: num("min-volume-ml", values["min-volume-ml"], 0)!,
    peak: values.peak!,
    overrides,
    onProgress: (phase, f) => bar?.update(Math.round(f * 100), { phase }),
  });
  bar?.stop();
  if (!result.ok) {
    const what = result.stage === "qa" ? "QA gate" : "SUV computation";
    const lines = [...result.qa.filter((q) => result.stage === "suv" || q.severity === "BLOCKING"), ...result.reasons];
    process.stderr.write(`Refused by the ${what}:\n${formatFindings(lines.map((l) => ({ severity: "severity" in l ? l.severity : "BLOCKING", code: l.code, message: l.message, attribute: l.attribute, value: l.value })))}\n`);
    if (result.activityConcentrationPerUnit !== null) process.stderr.write(`Activity concentration is available: ${result.activityConcentrationPerUnit} Bq/mL per pixel unit.\n`);
    if (format === "json") process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 2;
  }
  result.timingsMs = { fileRead: +readMs.toFixed(1), ...result.timingsMs, total: +(performance.now() - started).toFixed(1) };
  const out = { ...result, peakRssMb: +(process.resourceUsage().maxRSS / 1024).toFixed(1) };
  process.stdout.write(`${format === "json" ? JSON.stringify(out, null, 2) : format === "csv" ? formatCsv(result) : formatTable(result)}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === "quantify") return await quantify(rest);
    if (cmd === "dose") return await runDose(rest);
    if (cmd === "--help" || cmd === "-h" || cmd === undefined) {
      process.stdout.write(`${USAGE}\n`);
      return cmd === undefined ? 64 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && "code" in e && String((e as { code: unknown }).code).startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`lutetia: ${(e as Error).message}\n\n${USAGE}\n`);
      return 64;
    }
    if (e instanceof Error && e.name === "DicomParseError") {
      process.stderr.write(`lutetia: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
