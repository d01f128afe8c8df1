import { show } from "../common/assert.js";
import { SRC, UNVERIFIED } from "../common/sources.js";
import {
  Temporal,
  addOffset,
  assertTimeZone,
  calendarDaysBetween,
  hoursBetween,
  toZoned,
} from "../common/time.js";
import type { Offset } from "../common/time.js";
import type { EventKind, ProtocolTemplate } from "../templates/types.js";
import { assertValidTemplate } from "../templates/validate.js";

/** Imaging/lab modality of a booking, used by the same-day PET rule. */
export type BookingModality =
  "SSTR_PET" | "FDG_PET" | "SPECT_CT" | "PLANAR" | "CT" | "MRI" | "LAB" | "OTHER";

/**
 * A booked (or performed) event. `key` follows the schedule convention
 * (`<ruleKey>#c<cycle>` for per-cycle events, `cycle#c<n>` for administrations);
 * `at` is the booked instant (Z/offset ISO string or Date) or, for labs, the sampling time.
 */
export interface Booking {
  key: string;
  kind: EventKind;
  cycleNumber?: number | null;
  at: string | Date;
  modality?: BookingModality;
}

/** Facts the checks need beyond the bookings. */
export interface ConstraintContext {
  timeZone: string;
  /** Needed for the interval, post-therapy-scan-window and dosimetry checks. */
  template?: ProtocolTemplate;
  /** Somatostatin-analogue injections/doses given (instants). */
  ssaDoses?: Array<{ at: string | Date; type: "LONG_ACTING" | "SHORT_ACTING" }>;
  /** cycleNumber → instant the cycle's dosimetry report was signed, or null if not signed yet. */
  dosimetrySignedAt?: Record<number, string | Date | null>;
}

/** A threshold with its provenance. */
export interface PolicyValue<T> {
  value: T;
  source: string;
}

/** Configurable thresholds for `checkScheduleConstraints`. */
export interface SchedulePolicy {
  longActingSsaWashoutDays: PolicyValue<number>;
  shortActingSsaWashoutHours: PolicyValue<number>;
  preCycleLabMaxAgeDays: PolicyValue<number>;
  forbidFdgAndSstrPetSameDay: PolicyValue<boolean>;
  requireSignedDosimetryBeforeNextCycle: PolicyValue<boolean>;
  /** Minimum calendar days between an administration and a later RESTAGING booking. */
  minDaysFromCycleToRestaging: PolicyValue<number>;
}

/** Default schedule policy (values from prrt-protocols.md; unverified ones flagged in `source`). */
export const DEFAULT_SCHEDULE_POLICY: SchedulePolicy = {
  longActingSsaWashoutDays: { value: 28, source: SRC.LABEL_SSA_BEFORE_FIRST },
  shortActingSsaWashoutHours: { value: 24, source: SRC.LABEL_SSA_BEFORE_FIRST },
  preCycleLabMaxAgeDays: { value: 14, source: SRC.PRE_CYCLE_LABS },
  forbidFdgAndSstrPetSameDay: { value: true, source: SRC.SAME_DAY_PET },
  requireSignedDosimetryBeforeNextCycle: { value: true, source: SRC.DOSIMETRY_SIGNED },
  minDaysFromCycleToRestaging: {
    value: 56,
    source: `${SRC.RESTAGING}; lower bound 8 weeks (2 months) as policy ${UNVERIFIED}`,
  },
};

export type FlagSeverity = "ERROR" | "WARNING" | "INFO";

/** One constraint violation or notice. */
export interface ScheduleFlag {
  code:
    | "SSA_LONG_ACTING_WASHOUT_NOT_MET"
    | "SSA_SHORT_ACTING_WASHOUT_NOT_MET"
    | "LABS_MISSING"
    | "LABS_TOO_OLD"
    | "LABS_AFTER_ADMINISTRATION"
    | "CYCLE_INTERVAL_TOO_SHORT"
    | "CYCLE_INTERVAL_TOO_LONG"
    | "POST_THERAPY_SCAN_OUTSIDE_WINDOW"
    | "POST_THERAPY_SCAN_WITHOUT_CYCLE"
    | "FDG_AND_SSTR_PET_SAME_DAY"
    | "DOSIMETRY_NOT_SIGNED"
    | "RESTAGING_TOO_SOON_AFTER_CYCLE"
    | "CHECK_SKIPPED";
  severity: FlagSeverity;
  message: string;
  eventKeys: string[];
  values: Record<string, number | string | boolean | null>;
  source: string;
}

interface ZB {
  b: Booking;
  z: Temporal.ZonedDateTime;
  cycle: number | null;
}

const cycleOf = (b: Booking): number | null => {
  if (typeof b.cycleNumber === "number") return b.cycleNumber;
  const m = /#c(\d+)$/.exec(b.key);
  return m?.[1] !== undefined ? Number(m[1]) : null;
};

/**
 * Check booked events against the protocol's timing rules and return flags (never throws for
 * a rule violation; only for malformed input).
 *
 * Rules (calendar days are counted between local dates in `context.timeZone`; hours are elapsed):
 * - SSA_LONG_ACTING_WASHOUT_NOT_MET (ERROR): a long-acting SSA dose fewer than
 *   `longActingSsaWashoutDays` (28) days before an administration (label §2.3; prrt-protocols.md §1.2).
 * - SSA_SHORT_ACTING_WASHOUT_NOT_MET (ERROR): short-acting SSA < `shortActingSsaWashoutHours` (24) h before.
 * - LABS_MISSING (WARNING) / LABS_TOO_OLD (ERROR) / LABS_AFTER_ADMINISTRATION (ERROR): the latest LABS
 *   booking of the cycle (or any before it) must be ≤ `preCycleLabMaxAgeDays` (14) days before (prrt-protocols.md §4).
 * - CYCLE_INTERVAL_TOO_SHORT (ERROR) / _TOO_LONG (WARNING): consecutive administrations outside
 *   `template.interval.days ± toleranceDays` (label: 8 ± 1 weeks).
 * - POST_THERAPY_SCAN_OUTSIDE_WINDOW (WARNING): a POST_THERAPY_SCAN outside its template window
 *   measured from the booked administration of its cycle (prrt-protocols.md §6).
 * - FDG_AND_SSTR_PET_SAME_DAY (WARNING): both PETs on one local date, when the policy forbids it.
 * - DOSIMETRY_NOT_SIGNED (ERROR if signed after the booking, WARNING if not yet signed): for a
 *   dosimetry-guided template, any cycle-n booking (administration or scan, n ≥ 2) before cycle n−1's
 *   dosimetry is signed.
 * - RESTAGING_TOO_SOON_AFTER_CYCLE (WARNING): a RESTAGING booking fewer than `minDaysFromCycleToRestaging`
 *   (56) days after the latest administration before it, when post-therapy changes can mimic response
 *   or progression (prrt-protocols.md §6: restaging about 2–3 months after the last cycle).
 * - CHECK_SKIPPED (INFO): a template-dependent check could not run because `context.template` is absent.
 *
 * @throws TypeError/RangeError naming the parameter for malformed bookings, zone, dates or template.
 */
export function checkScheduleConstraints(
  bookings: readonly Booking[],
  context: ConstraintContext,
  policy: SchedulePolicy = DEFAULT_SCHEDULE_POLICY,
): ScheduleFlag[] {
  if (!Array.isArray(bookings))
    throw new TypeError(`bookings must be an array, got ${show(bookings)}`);
  if (typeof context !== "object" || context === null)
    throw new TypeError(`context must be an object, got ${show(context)}`);
  const tz = context.timeZone;
  assertTimeZone("context.timeZone", tz);
  const tpl = context.template;
  if (tpl !== undefined) assertValidTemplate(tpl, "context.template");
  const flags: ScheduleFlag[] = [];
  const zb: ZB[] = bookings.map((b, i) => {
    if (typeof b !== "object" || b === null || typeof b.key !== "string")
      throw new TypeError(`bookings[${i}] must be a booking object, got ${show(b)}`);
    return { b, z: toZoned(`bookings[${i}].at`, b.at, tz), cycle: cycleOf(b) };
  });
  const byTime = (x: ZB, y: ZB) => Temporal.ZonedDateTime.compare(x.z, y.z);
  const cycles = zb.filter((x) => x.b.kind === "CYCLE").sort(byTime);
  const ssa = (context.ssaDoses ?? []).map((d, i) => ({
    type: d.type,
    z: toZoned(`context.ssaDoses[${i}].at`, d.at, tz),
  }));

  // SSA washout
  for (const c of cycles) {
    const longs = ssa.filter(
      (d) => d.type === "LONG_ACTING" && Temporal.ZonedDateTime.compare(d.z, c.z) <= 0,
    );
    const lastLong = longs.sort((a, b) => Temporal.ZonedDateTime.compare(a.z, b.z)).at(-1);
    if (lastLong) {
      const days = calendarDaysBetween(lastLong.z, c.z, tz);
      if (days < policy.longActingSsaWashoutDays.value) {
        flags.push({
          code: "SSA_LONG_ACTING_WASHOUT_NOT_MET",
          severity: "ERROR",
          message: `Long-acting SSA given ${days} days before ${c.b.key}; at least ${policy.longActingSsaWashoutDays.value} days required`,
          eventKeys: [c.b.key],
          values: {
            daysSinceLongActingSsa: days,
            requiredDays: policy.longActingSsaWashoutDays.value,
            lastLongActingSsaAt: lastLong.z.toInstant().toString(),
          },
          source: policy.longActingSsaWashoutDays.source,
        });
      }
    }
    const shorts = ssa.filter(
      (d) => d.type === "SHORT_ACTING" && Temporal.ZonedDateTime.compare(d.z, c.z) <= 0,
    );
    const lastShort = shorts.sort((a, b) => Temporal.ZonedDateTime.compare(a.z, b.z)).at(-1);
    if (lastShort) {
      const h = hoursBetween(lastShort.z, c.z);
      if (h < policy.shortActingSsaWashoutHours.value) {
        flags.push({
          code: "SSA_SHORT_ACTING_WASHOUT_NOT_MET",
          severity: "ERROR",
          message: `Short-acting SSA given ${h.toFixed(1)} h before ${c.b.key}; at least ${policy.shortActingSsaWashoutHours.value} h required`,
          eventKeys: [c.b.key],
          values: {
            hoursSinceShortActingSsa: h,
            requiredHours: policy.shortActingSsaWashoutHours.value,
          },
          source: policy.shortActingSsaWashoutHours.source,
        });
      }
    }
  }

  // Pre-cycle labs
  const labs = zb.filter((x) => x.b.kind === "LABS").sort(byTime);
  cycles.forEach((c, idx) => {
    const prevCycle = idx > 0 ? cycles[idx - 1] : undefined;
    const own = labs.filter((l) => l.cycle !== null && l.cycle === c.cycle);
    const candidates =
      own.length > 0
        ? own
        : labs.filter(
            (l) =>
              Temporal.ZonedDateTime.compare(l.z, c.z) <= 0 &&
              (prevCycle === undefined || Temporal.ZonedDateTime.compare(l.z, prevCycle.z) > 0),
          );
    const lab =
      candidates.filter((l) => Temporal.ZonedDateTime.compare(l.z, c.z) <= 0).at(-1) ??
      candidates.at(-1);
    const lim = policy.preCycleLabMaxAgeDays;
    if (lab === undefined) {
      flags.push({
        code: "LABS_MISSING",
        severity: "WARNING",
        message: `No pre-cycle labs booked for ${c.b.key}`,
        eventKeys: [c.b.key],
        values: { maxAgeDays: lim.value },
        source: lim.source,
      });
      return;
    }
    if (Temporal.ZonedDateTime.compare(lab.z, c.z) > 0) {
      flags.push({
        code: "LABS_AFTER_ADMINISTRATION",
        severity: "ERROR",
        message: `Labs ${lab.b.key} are after administration ${c.b.key}`,
        eventKeys: [lab.b.key, c.b.key],
        values: { maxAgeDays: lim.value },
        source: lim.source,
      });
      return;
    }
    const age = calendarDaysBetween(lab.z, c.z, tz);
    if (age > lim.value) {
      flags.push({
        code: "LABS_TOO_OLD",
        severity: "ERROR",
        message: `Labs ${lab.b.key} are ${age} days before ${c.b.key}; at most ${lim.value} days allowed`,
        eventKeys: [lab.b.key, c.b.key],
        values: { labAgeDays: age, maxAgeDays: lim.value },
        source: lim.source,
      });
    }
  });

  // Interval between cycles
  if (tpl === undefined) {
    flags.push({
      code: "CHECK_SKIPPED",
      severity: "INFO",
      message:
        "No template in context: cycle interval, post-therapy scan window and dosimetry checks skipped",
      eventKeys: [],
      values: {},
      source: "checkScheduleConstraints",
    });
  } else {
    const { days, toleranceDays } = tpl.interval;
    for (let i = 1; i < cycles.length; i++) {
      const a = cycles[i - 1];
      const b = cycles[i];
      if (!a || !b) continue;
      const d = calendarDaysBetween(a.z, b.z, tz);
      const src = `${tpl.source}; interval ${days} ± ${toleranceDays} days`;
      if (d < days - toleranceDays) {
        flags.push({
          code: "CYCLE_INTERVAL_TOO_SHORT",
          severity: "ERROR",
          message: `${d} days between ${a.b.key} and ${b.b.key}; minimum ${days - toleranceDays}`,
          eventKeys: [a.b.key, b.b.key],
          values: { intervalDays: d, minDays: days - toleranceDays, maxDays: days + toleranceDays },
          source: src,
        });
      } else if (d > days + toleranceDays) {
        flags.push({
          code: "CYCLE_INTERVAL_TOO_LONG",
          severity: "WARNING",
          message: `${d} days between ${a.b.key} and ${b.b.key}; maximum ${days + toleranceDays}`,
          eventKeys: [a.b.key, b.b.key],
          values: { intervalDays: d, minDays: days - toleranceDays, maxDays: days + toleranceDays },
          source: src,
        });
      }
    }

    // Post-therapy scan windows
    for (const s of zb.filter((x) => x.b.kind === "POST_THERAPY_SCAN")) {
      const ruleKey = s.b.key.replace(/#.*$/, "");
      const rule = tpl.events.find((e) => e.key === ruleKey && e.kind === "POST_THERAPY_SCAN");
      const admin = cycles.find((c) => c.cycle !== null && c.cycle === s.cycle);
      if (rule === undefined) continue;
      if (admin === undefined) {
        flags.push({
          code: "POST_THERAPY_SCAN_WITHOUT_CYCLE",
          severity: "WARNING",
          message: `${s.b.key} has no booked administration for its cycle`,
          eventKeys: [s.b.key],
          values: { cycleNumber: s.cycle },
          source: rule.source,
        });
        continue;
      }
      const due = addOffset(admin.z, rule.offset);
      const neg = (o: Offset): Offset => ({
        months: -(o.months ?? 0),
        weeks: -(o.weeks ?? 0),
        days: -(o.days ?? 0),
        hours: -(o.hours ?? 0),
        minutes: -(o.minutes ?? 0),
      });
      const ws = rule.window.before === null ? null : addOffset(due, neg(rule.window.before));
      const we = rule.window.after === null ? null : addOffset(due, rule.window.after);
      const early = ws !== null && Temporal.ZonedDateTime.compare(s.z, ws) < 0;
      const late = we !== null && Temporal.ZonedDateTime.compare(s.z, we) > 0;
      if (early || late) {
        flags.push({
          code: "POST_THERAPY_SCAN_OUTSIDE_WINDOW",
          severity: "WARNING",
          message: `${s.b.key} at ${hoursBetween(admin.z, s.z).toFixed(1)} h after administration is outside ${ws ? hoursBetween(admin.z, ws).toFixed(1) : "-∞"}–${we ? hoursBetween(admin.z, we).toFixed(1) : "∞"} h`,
          eventKeys: [s.b.key, admin.b.key],
          values: {
            hoursAfterAdministration: hoursBetween(admin.z, s.z),
            windowStartHours: ws ? hoursBetween(admin.z, ws) : null,
            windowEndHours: we ? hoursBetween(admin.z, we) : null,
          },
          source: rule.source,
        });
      }
    }

    // Dosimetry sign-off before the next cycle
    if (tpl.dosimetryGuided && policy.requireSignedDosimetryBeforeNextCycle.value) {
      const signed = context.dosimetrySignedAt ?? {};
      for (const x of zb) {
        if (
          x.cycle === null ||
          x.cycle < 2 ||
          (x.b.kind !== "CYCLE" && x.b.kind !== "POST_THERAPY_SCAN")
        )
          continue;
        const s = signed[x.cycle - 1];
        const signedZ =
          s === undefined || s === null
            ? null
            : toZoned(`context.dosimetrySignedAt[${x.cycle - 1}]`, s, tz);
        if (signedZ === null) {
          flags.push({
            code: "DOSIMETRY_NOT_SIGNED",
            severity: "WARNING",
            message: `${x.b.key} is booked but cycle ${x.cycle - 1} dosimetry is not signed`,
            eventKeys: [x.b.key],
            values: { previousCycle: x.cycle - 1, signedAt: null },
            source: policy.requireSignedDosimetryBeforeNextCycle.source,
          });
        } else if (Temporal.ZonedDateTime.compare(signedZ, x.z) > 0) {
          flags.push({
            code: "DOSIMETRY_NOT_SIGNED",
            severity: "ERROR",
            message: `${x.b.key} is before cycle ${x.cycle - 1} dosimetry was signed`,
            eventKeys: [x.b.key],
            values: { previousCycle: x.cycle - 1, signedAt: signedZ.toInstant().toString() },
            source: policy.requireSignedDosimetryBeforeNextCycle.source,
          });
        }
      }
    }
  }

  // FDG and SSTR PET on the same local day
  if (policy.forbidFdgAndSstrPetSameDay.value) {
    const fdg = zb.filter((x) => x.b.modality === "FDG_PET");
    const sstr = zb.filter((x) => x.b.modality === "SSTR_PET");
    for (const f of fdg) {
      for (const s of sstr) {
        if (f.z.toPlainDate().equals(s.z.toPlainDate())) {
          flags.push({
            code: "FDG_AND_SSTR_PET_SAME_DAY",
            severity: "WARNING",
            message: `FDG PET ${f.b.key} and SSTR PET ${s.b.key} are on the same day (${f.z.toPlainDate().toString()})`,
            eventKeys: [f.b.key, s.b.key],
            values: { localDate: f.z.toPlainDate().toString() },
            source: policy.forbidFdgAndSstrPetSameDay.source,
          });
        }
      }
    }
  }

  // Restaging too soon after a cycle
  for (const r of zb.filter((x) => x.b.kind === "RESTAGING")) {
    const before = cycles.filter((c) => Temporal.ZonedDateTime.compare(c.z, r.z) <= 0).at(-1);
    if (!before) continue;
    const d = calendarDaysBetween(before.z, r.z, tz);
    if (d < policy.minDaysFromCycleToRestaging.value) {
      flags.push({
        code: "RESTAGING_TOO_SOON_AFTER_CYCLE",
        severity: "WARNING",
        message: `${r.b.key} is ${d} days after ${before.b.key}; post-therapy changes may mimic response or progression (minimum ${policy.minDaysFromCycleToRestaging.value} days)`,
        eventKeys: [r.b.key, before.b.key],
        values: { daysAfterCycle: d, minDays: policy.minDaysFromCycleToRestaging.value },
        source: policy.minDaysFromCycleToRestaging.source,
      });
    }
  }
  return flags;
}
