import { describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATES,
  checkScheduleConstraints,
  generateCourseSchedule,
  rescheduleCycle,
} from "../index.js";
import type { Booking, CourseSchedule } from "../index.js";

/** Book every planned event at its due time; post-cycle octreotide becomes the SSA dose history. */
function book(s: CourseSchedule): {
  bookings: Booking[];
  ssa: Array<{ at: string; type: "LONG_ACTING" }>;
  signed: Record<number, string>;
} {
  const bookings: Booking[] = s.events
    .filter(
      (e) => e.kind !== "SSA_WASHOUT" && e.kind !== "SSA_INJECTION" && e.kind !== "AMINO_ACIDS",
    )
    .map((e) => ({ key: e.key, kind: e.kind, cycleNumber: e.cycleNumber, at: e.dueAt }));
  const ssa = s.events
    .filter((e) => e.kind === "SSA_INJECTION")
    .map((e) => ({ at: e.dueAt, type: "LONG_ACTING" as const }));
  const signed: Record<number, string> = {};
  for (const c of s.events.filter((e) => e.kind === "CYCLE"))
    signed[c.cycleNumber ?? 0] = new Date(Date.parse(c.dueAt) + 14 * 86_400_000).toISOString();
  return { bookings, ssa, signed };
}

describe("invariant: a generated schedule satisfies its own constraints", () => {
  it.each(BUILTIN_TEMPLATES.map((t) => [t.id, t] as const))(
    "%s (Europe/Amsterdam, across DST)",
    (_id, t) => {
      const s = generateCourseSchedule(t, {
        startDate: "2026-02-20T09:00",
        timeZone: "Europe/Amsterdam",
      });
      const { bookings, ssa, signed } = book(s);
      const flags = checkScheduleConstraints(bookings, {
        timeZone: "Europe/Amsterdam",
        template: t,
        ssaDoses: ssa,
        dosimetrySignedAt: signed,
      });
      expect(flags).toEqual([]);
    },
  );
  it("still holds after rescheduling a cycle within the window (America/New_York)", () => {
    const t = BUILTIN_TEMPLATES[0];
    if (!t) throw new Error("no template");
    const s = generateCourseSchedule(t, {
      startDate: "2026-01-20T09:00",
      timeZone: "America/New_York",
    });
    const moved = rescheduleCycle(s, 2, "2026-03-20T09:00", t, "America/New_York").schedule;
    const { bookings, ssa } = book(moved);
    expect(
      checkScheduleConstraints(bookings, {
        timeZone: "America/New_York",
        template: t,
        ssaDoses: ssa,
      }),
    ).toEqual([]);
  });
  it("and a violation is detected when a long-acting SSA is given 3 weeks before a cycle", () => {
    const t = BUILTIN_TEMPLATES[0];
    if (!t) throw new Error("no template");
    const s = generateCourseSchedule(t, { startDate: "2026-01-20T09:00", timeZone: "UTC" });
    const { bookings, ssa } = book(s);
    ssa.push({ at: "2026-02-24T09:00:00Z", type: "LONG_ACTING" }); // cycle 2 on 17 Mar: 21 days
    expect(
      checkScheduleConstraints(bookings, { timeZone: "UTC", template: t, ssaDoses: ssa }).map(
        (f) => f.code,
      ),
    ).toEqual(["SSA_LONG_ACTING_WASHOUT_NOT_MET"]);
  });
});
