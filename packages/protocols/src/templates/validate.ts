import { ANCHORS, CYCLE_SELECTORS, EVENT_KINDS } from "./types.js";
import type { ProtocolTemplate } from "./types.js";
import { show } from "../common/assert.js";

/** One field-level validation problem: `path` is a dotted/indexed path such as `events[3].offset.days`. */
export interface TemplateError {
  path: string;
  message: string;
}

const OFFSET_UNITS = ["months", "weeks", "days", "hours", "minutes"] as const;
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.trim().length > 0;

function checkOffset(
  errs: TemplateError[],
  path: string,
  v: unknown,
  mustBeNonNegative: boolean,
): void {
  if (!isObj(v)) {
    errs.push({
      path,
      message: `must be an offset object {months?, weeks?, days?, hours?, minutes?}, got ${show(v)}`,
    });
    return;
  }
  let sign = 0;
  for (const [k, x] of Object.entries(v)) {
    if (!(OFFSET_UNITS as readonly string[]).includes(k)) {
      errs.push({
        path: `${path}.${k}`,
        message: "is not an offset unit (months|weeks|days|hours|minutes)",
      });
      continue;
    }
    if (x === undefined) continue;
    if (typeof x !== "number" || !Number.isInteger(x)) {
      errs.push({ path: `${path}.${k}`, message: `must be an integer, got ${show(x)}` });
      continue;
    }
    if (mustBeNonNegative && x < 0)
      errs.push({ path: `${path}.${k}`, message: `must be ≥ 0 (a tolerance), got ${x}` });
    const s = Math.sign(x);
    if (s !== 0 && sign !== 0 && s !== sign)
      errs.push({ path, message: "mixes positive and negative units" });
    if (s !== 0) sign = s;
  }
}

/**
 * Validate a protocol template (e.g. an administrator's edited copy) without a schema library.
 * Checks: identifiers and names non-empty; version integer ≥ 1; radiopharmaceutical nuclide
 * and agent; cycles integer 1–20 (maxCycles ≥ cycles); activity 0 < A ≤ 15 GBq (reduced
 * activity < activity); interval days integer ≥ 1 with 0 ≤ tolerance < interval; event keys
 * unique and non-empty; kind/anchor/cycle selector from the enumerations; offsets integer
 * with one sign; window tolerances ≥ 0 or null; repeat count integer ≥ 1 with a positive
 * step; every event and the template carry a non-empty `source`.
 * The 15 GBq ceiling is a plausibility bound (twice the 7.4 GBq label activity), not a clinical limit.
 * @returns the list of field-level errors; empty when the template is valid. Never throws.
 */
export function validateTemplate(t: unknown): TemplateError[] {
  const errs: TemplateError[] = [];
  if (!isObj(t)) return [{ path: "", message: `template must be an object, got ${show(t)}` }];
  if (!nonEmpty(t.id)) errs.push({ path: "id", message: "must be a non-empty string" });
  if (typeof t.version !== "number" || !Number.isInteger(t.version) || t.version < 1) {
    errs.push({ path: "version", message: `must be an integer ≥ 1, got ${show(t.version)}` });
  }
  if (!nonEmpty(t.name)) errs.push({ path: "name", message: "must be a non-empty string" });
  if (t.siteId !== undefined && !nonEmpty(t.siteId))
    errs.push({ path: "siteId", message: "must be a non-empty string when present" });
  if (!nonEmpty(t.source)) errs.push({ path: "source", message: "must cite the regimen's source" });
  if (!Array.isArray(t.caveats) || !t.caveats.every((c) => typeof c === "string")) {
    errs.push({ path: "caveats", message: "must be an array of strings" });
  }
  const rp = t.radiopharmaceutical;
  if (!isObj(rp))
    errs.push({ path: "radiopharmaceutical", message: "must be an object {nuclide, agent}" });
  else {
    if (!nonEmpty(rp.nuclide))
      errs.push({ path: "radiopharmaceutical.nuclide", message: "must be a non-empty string" });
    if (!nonEmpty(rp.agent))
      errs.push({ path: "radiopharmaceutical.agent", message: "must be a non-empty string" });
  }
  const cyclesOk =
    typeof t.cycles === "number" && Number.isInteger(t.cycles) && t.cycles >= 1 && t.cycles <= 20;
  if (!cyclesOk)
    errs.push({ path: "cycles", message: `must be an integer in [1, 20], got ${show(t.cycles)}` });
  if (t.maxCycles !== undefined) {
    if (typeof t.maxCycles !== "number" || !Number.isInteger(t.maxCycles) || t.maxCycles > 20) {
      errs.push({
        path: "maxCycles",
        message: `must be an integer ≤ 20, got ${show(t.maxCycles)}`,
      });
    } else if (cyclesOk && t.maxCycles < (t.cycles as number)) {
      errs.push({
        path: "maxCycles",
        message: `must be ≥ cycles (${show(t.cycles)}), got ${t.maxCycles}`,
      });
    }
  }
  const a = t.activityPerCycleGBq;
  const aOk = typeof a === "number" && Number.isFinite(a) && a > 0 && a <= 15;
  if (!aOk)
    errs.push({
      path: "activityPerCycleGBq",
      message: `must be a number in (0, 15] GBq, got ${show(a)}`,
    });
  const r = t.reducedActivityGBq;
  if (r !== null) {
    if (typeof r !== "number" || !Number.isFinite(r) || r <= 0) {
      errs.push({
        path: "reducedActivityGBq",
        message: `must be null or a number > 0 GBq, got ${show(r)}`,
      });
    } else if (aOk && r >= (a as number)) {
      errs.push({
        path: "reducedActivityGBq",
        message: `must be < activityPerCycleGBq (${show(a)}), got ${r}`,
      });
    }
  }
  const iv = t.interval;
  if (!isObj(iv))
    errs.push({ path: "interval", message: "must be an object {days, toleranceDays}" });
  else {
    const dOk = typeof iv.days === "number" && Number.isInteger(iv.days) && iv.days >= 1;
    if (!dOk)
      errs.push({ path: "interval.days", message: `must be an integer ≥ 1, got ${show(iv.days)}` });
    const tol = iv.toleranceDays;
    if (
      typeof tol !== "number" ||
      !Number.isInteger(tol) ||
      tol < 0 ||
      (dOk && tol >= (iv.days as number))
    ) {
      errs.push({
        path: "interval.toleranceDays",
        message: `must be an integer in [0, interval.days), got ${show(tol)}`,
      });
    }
  }
  if (typeof t.dosimetryGuided !== "boolean")
    errs.push({ path: "dosimetryGuided", message: "must be a boolean" });
  if (!Array.isArray(t.events)) {
    errs.push({ path: "events", message: "must be an array" });
    return errs;
  }
  const seen = new Set<string>();
  t.events.forEach((e: unknown, i: number) => {
    const p = `events[${i}]`;
    if (!isObj(e)) {
      errs.push({ path: p, message: "must be an object" });
      return;
    }
    if (!nonEmpty(e.key) || /[#\s]/.test(e.key))
      errs.push({
        path: `${p}.key`,
        message: `must be a non-empty string without '#' or spaces, got ${show(e.key)}`,
      });
    else if (seen.has(e.key))
      errs.push({ path: `${p}.key`, message: `duplicate key ${show(e.key)}` });
    else seen.add(e.key);
    if (!(EVENT_KINDS as readonly unknown[]).includes(e.kind))
      errs.push({
        path: `${p}.kind`,
        message: `must be one of ${EVENT_KINDS.join("|")}, got ${show(e.kind)}`,
      });
    if (e.kind === "CYCLE")
      errs.push({
        path: `${p}.kind`,
        message: "CYCLE events are generated from cycles/interval, not listed",
      });
    if (!nonEmpty(e.label))
      errs.push({ path: `${p}.label`, message: "must be a non-empty string" });
    if (!(ANCHORS as readonly unknown[]).includes(e.anchor))
      errs.push({
        path: `${p}.anchor`,
        message: `must be one of ${ANCHORS.join("|")}, got ${show(e.anchor)}`,
      });
    checkOffset(errs, `${p}.offset`, e.offset, false);
    if (!isObj(e.window))
      errs.push({
        path: `${p}.window`,
        message: "must be an object {before, after} (null = open-ended)",
      });
    else {
      if (e.window.before !== null) checkOffset(errs, `${p}.window.before`, e.window.before, true);
      if (e.window.after !== null) checkOffset(errs, `${p}.window.after`, e.window.after, true);
    }
    if (e.cycles !== undefined) {
      if (!(CYCLE_SELECTORS as readonly unknown[]).includes(e.cycles))
        errs.push({
          path: `${p}.cycles`,
          message: `must be one of ${CYCLE_SELECTORS.join("|")}, got ${show(e.cycles)}`,
        });
      else if (e.anchor !== "ADMINISTRATION")
        errs.push({
          path: `${p}.cycles`,
          message: "only applies to ADMINISTRATION-anchored events",
        });
    }
    if (e.repeat !== undefined) {
      if (!isObj(e.repeat))
        errs.push({ path: `${p}.repeat`, message: "must be an object {every, count}" });
      else {
        const c = e.repeat.count;
        if (typeof c !== "number" || !Number.isInteger(c) || c < 1 || c > 100)
          errs.push({
            path: `${p}.repeat.count`,
            message: `must be an integer in [1, 100], got ${show(c)}`,
          });
        checkOffset(errs, `${p}.repeat.every`, e.repeat.every, true);
        if (
          isObj(e.repeat.every) &&
          !Object.values(e.repeat.every).some((x) => typeof x === "number" && x > 0)
        ) {
          errs.push({ path: `${p}.repeat.every`, message: "must be a positive step" });
        }
        if (
          isObj(e.offset) &&
          Object.values(e.offset).some((x) => typeof x === "number" && x < 0)
        ) {
          errs.push({
            path: `${p}.repeat`,
            message: "repeating events need a non-negative offset",
          });
        }
      }
    }
    if (!nonEmpty(e.source))
      errs.push({ path: `${p}.source`, message: "must cite the rule's source" });
  });
  return errs;
}

/**
 * Throw if `t` is not a valid template (see `validateTemplate`).
 * @throws RangeError listing every field-level error.
 */
export function assertValidTemplate(t: unknown, name = "template"): asserts t is ProtocolTemplate {
  const errs = validateTemplate(t);
  if (errs.length > 0) {
    throw new RangeError(
      `${name} is invalid: ${errs.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; ")}`,
    );
  }
}
