import { describe, expect, it } from "vitest";
import { Temporal } from "@js-temporal/polyfill";
import {
  BUILTIN_TEMPLATES,
  LU177_DOTATATE_DOSIMETRY_MTP,
  LU177_DOTATATE_STANDARD,
  Y90_DOTATOC_INTERMEDIATE,
  generateCourseSchedule,
  rescheduleCycle,
} from "../index.js";
import type { CourseSchedule, PlannedEvent } from "../index.js";

const ev = (s: CourseSchedule, key: string): PlannedEvent => {
  const e = s.events.find((x) => x.key === key);
  if (!e) throw new Error(`missing ${key}`);
  return e;
};
const local = (iso: string, tz: string) =>
  Temporal.Instant.from(iso).toZonedDateTimeISO(tz).toPlainDateTime().toString();

describe("generateCourseSchedule – standard 177Lu-DOTATATE (prrt-protocols.md §1, §1.1, §4, §6)", () => {
  const tz = "Europe/Amsterdam";
  const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
    startDate: "2026-01-06T09:00",
    timeZone: tz,
  });

  it("4 cycles 56 days apart at 09:00 local", () => {
    const cycles = s.events.filter((e) => e.kind === "CYCLE");
    expect(cycles.map((c) => local(c.dueAt, tz))).toEqual([
      "2026-01-06T09:00:00",
      "2026-03-03T09:00:00",
      "2026-04-28T09:00:00",
      "2026-06-23T09:00:00",
    ]);
    expect(cycles[1]?.offset).toBe("P56D");
    expect(cycles[1]?.anchor).toEqual({ type: "PREVIOUS_CYCLE", cycleNumber: 1, key: "cycle#c1" });
  });

  it("cycle window is ± 7 days (8 ± 1 weeks, label §2.2)", () => {
    const c2 = ev(s, "cycle#c2");
    expect(local(c2.windowStart ?? "", tz)).toBe("2026-02-24T09:00:00");
    expect(local(c2.windowEnd ?? "", tz)).toBe("2026-03-10T09:00:00");
  });

  it("pre-cycle events are placed before each administration", () => {
    expect(local(ev(s, "ssa-long-washout#c1").dueAt, tz)).toBe("2025-12-09T09:00:00");
    expect(ev(s, "ssa-long-washout#c1").windowStart).toBeNull();
    expect(ev(s, "ssa-long-washout#c1").offset).toBe("-P4W");
    expect(local(ev(s, "ssa-short-stop#c1").dueAt, tz)).toBe("2026-01-05T09:00:00");
    expect(local(ev(s, "amino-acids#c1").dueAt, tz)).toBe("2026-01-06T08:30:00");
    expect(local(ev(s, "labs#c2").windowStart ?? "", tz)).toBe("2026-02-17T09:00:00");
    expect(local(ev(s, "labs#c2").windowEnd ?? "", tz)).toBe("2026-03-03T09:00:00");
    expect(ev(s, "labs#c2").anchor).toEqual({
      type: "ADMINISTRATION",
      cycleNumber: 2,
      key: "cycle#c2",
    });
  });

  it("post-cycle events: LAR 4–24 h, scan ~24 h, nadir labs 4–6 weeks", () => {
    const lar = ev(s, "ssa-lar#c1");
    expect(local(lar.windowStart ?? "", tz)).toBe("2026-01-06T13:00:00");
    expect(local(lar.windowEnd ?? "", tz)).toBe("2026-01-07T09:00:00");
    expect(local(ev(s, "post-scan-24h#c1").dueAt, tz)).toBe("2026-01-07T09:00:00");
    const nadir = ev(s, "nadir-labs#c1");
    expect(local(nadir.dueAt, tz)).toBe("2026-02-10T09:00:00");
    expect(local(nadir.windowStart ?? "", tz)).toBe("2026-02-03T09:00:00");
    expect(local(nadir.windowEnd ?? "", tz)).toBe("2026-02-17T09:00:00");
  });

  it("course events: interim at week 12, restaging 8–12 weeks after the last cycle, follow-up", () => {
    expect(local(ev(s, "interim-imaging-w12").dueAt, tz)).toBe("2026-03-31T09:00:00");
    const r = ev(s, "restaging");
    expect(local(r.windowStart ?? "", tz)).toBe("2026-08-18T09:00:00"); // 23 Jun + 8 w
    expect(local(r.dueAt, tz)).toBe("2026-09-01T09:00:00");
    expect(local(r.windowEnd ?? "", tz)).toBe("2026-09-15T09:00:00"); // + 12 w
    expect(r.anchor.type).toBe("LAST_ADMINISTRATION");
    expect(local(ev(s, "follow-up-labs-m1").dueAt, tz)).toBe("2026-07-23T09:00:00");
    expect(local(ev(s, "follow-up-labs-m12").dueAt, tz)).toBe("2027-06-23T09:00:00");
    expect(s.events.filter((e) => e.ruleKey === "follow-up-imaging")).toHaveLength(4);
  });

  it("events are sorted by due time and every event has a source", () => {
    for (let i = 1; i < s.events.length; i++) {
      expect(Date.parse(s.events[i]?.dueAt ?? "") >= Date.parse(s.events[i - 1]?.dueAt ?? "")).toBe(
        true,
      );
    }
    expect(s.events.every((e) => e.source.length > 0)).toBe(true);
    expect(s.events.every((e) => e.dueAt.endsWith("Z"))).toBe(true);
  });

  it("cycles option shortens the course and moves restaging with the last cycle", () => {
    const s2 = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-01-06T09:00",
      timeZone: tz,
      cycles: 2,
    });
    expect(s2.events.filter((e) => e.kind === "CYCLE")).toHaveLength(2);
    expect(local(ev(s2, "restaging").dueAt, tz)).toBe("2026-05-12T09:00:00"); // 3 Mar + 10 w
  });
});

describe("generateCourseSchedule – each built-in template", () => {
  it.each(BUILTIN_TEMPLATES.map((t) => [t.id, t] as const))(
    "%s produces its cycles and per-cycle scans",
    (_id, t) => {
      const s = generateCourseSchedule(t, { startDate: "2026-02-02T10:00", timeZone: "UTC" });
      const cycles = s.events.filter((e) => e.kind === "CYCLE");
      expect(cycles).toHaveLength(t.cycles);
      const scanRules = t.events.filter((e) => e.kind === "POST_THERAPY_SCAN").length;
      expect(s.events.filter((e) => e.kind === "POST_THERAPY_SCAN")).toHaveLength(
        scanRules * t.cycles,
      );
      const d =
        (Date.parse(cycles[1]?.dueAt ?? "") - Date.parse(cycles[0]?.dueAt ?? "")) / 86_400_000;
      expect(d).toBe(t.interval.days);
    },
  );
  it("dosimetry MTP scans at 4, 24, 96 (to 120) and 168 h after administration", () => {
    const s = generateCourseSchedule(LU177_DOTATATE_DOSIMETRY_MTP, {
      startDate: "2026-02-02T10:00Z",
      timeZone: "UTC",
    });
    expect(ev(s, "post-scan-4h#c1").dueAt).toBe("2026-02-02T14:00:00Z");
    expect(ev(s, "post-scan-96h#c1").dueAt).toBe("2026-02-06T10:00:00Z");
    expect(ev(s, "post-scan-96h#c1").windowEnd).toBe("2026-02-07T10:00:00Z");
    expect(ev(s, "post-scan-168h#c1").dueAt).toBe("2026-02-09T10:00:00Z");
    expect(ev(s, "cycle#c2").dueAt).toBe("2026-04-13T10:00:00Z");
  });
  it("dosimetry template allows up to maxCycles 9 but not 10", () => {
    expect(
      generateCourseSchedule(LU177_DOTATATE_DOSIMETRY_MTP, {
        startDate: "2026-02-02T10:00",
        timeZone: "UTC",
        cycles: 9,
      }).cycles,
    ).toBe(9);
    expect(() =>
      generateCourseSchedule(LU177_DOTATATE_DOSIMETRY_MTP, {
        startDate: "2026-02-02T10:00",
        timeZone: "UTC",
        cycles: 10,
      }),
    ).toThrow(/opts\.cycles.*10/);
  });
  it("90Y template has no post-cycle octreotide event", () => {
    const s = generateCourseSchedule(Y90_DOTATOC_INTERMEDIATE, {
      startDate: "2026-02-02T10:00",
      timeZone: "UTC",
    });
    expect(s.events.some((e) => e.kind === "SSA_INJECTION")).toBe(false);
  });
});

describe("DST: a 09:00 local administration stays 09:00 local", () => {
  it("Europe/Amsterdam across the March (29 Mar 2026) and October (25 Oct 2026) changes", () => {
    const tz = "Europe/Amsterdam";
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-02-10T09:00",
      timeZone: tz,
    });
    const cycles = s.events.filter((e) => e.kind === "CYCLE");
    expect(cycles.map((c) => c.dueAt)).toEqual([
      "2026-02-10T08:00:00Z", // CET
      "2026-04-07T07:00:00Z", // CEST
      "2026-06-02T07:00:00Z",
      "2026-07-28T07:00:00Z",
    ]);
    expect(cycles.every((c) => local(c.dueAt, tz).endsWith("T09:00:00"))).toBe(true);
    const s2 = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-09-01T09:00",
      timeZone: tz,
    });
    const c2 = ev(s2, "cycle#c2");
    expect(c2.dueAt).toBe("2026-10-27T08:00:00Z"); // CET after 25 Oct
    expect(c2.dueLocal).toBe("2026-10-27T09:00:00+01:00[Europe/Amsterdam]");
  });
  it("America/New_York across 8 Mar 2026 and 1 Nov 2026", () => {
    const tz = "America/New_York";
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-01-20T09:00",
      timeZone: tz,
    });
    expect(ev(s, "cycle#c1").dueAt).toBe("2026-01-20T14:00:00Z"); // EST
    expect(ev(s, "cycle#c2").dueAt).toBe("2026-03-17T13:00:00Z"); // EDT
    const s2 = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-09-15T09:00",
      timeZone: tz,
    });
    expect(ev(s2, "cycle#c2").dueAt).toBe("2026-11-10T14:00:00Z"); // EST
  });
  it("hour offsets are elapsed time: a scan 24 h after Sat 28 Mar 09:00 CET is Sun 10:00 CEST", () => {
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-03-28T09:00",
      timeZone: "Europe/Amsterdam",
    });
    const scan = ev(s, "post-scan-24h#c1");
    expect(scan.dueAt).toBe("2026-03-29T08:00:00Z");
    expect(scan.dueLocal).toBe("2026-03-29T10:00:00+02:00[Europe/Amsterdam]");
  });
  it("a local start time inside the spring-forward gap moves forward by the gap", () => {
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-03-29T02:30",
      timeZone: "Europe/Amsterdam",
    });
    expect(ev(s, "cycle#c1").dueLocal).toBe("2026-03-29T03:30:00+02:00[Europe/Amsterdam]");
  });
  it("an ambiguous fall-back local time takes the earlier instant (CEST)", () => {
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-10-25T02:30",
      timeZone: "Europe/Amsterdam",
    });
    expect(ev(s, "cycle#c1").dueAt).toBe("2026-10-25T00:30:00Z");
  });
  it("same local start in different zones gives different instants", () => {
    const a = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-01-06T09:00",
      timeZone: "Europe/Amsterdam",
    });
    const b = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-01-06T09:00",
      timeZone: "Australia/Sydney",
    });
    expect(ev(a, "cycle#c1").dueAt).toBe("2026-01-06T08:00:00Z");
    expect(ev(b, "cycle#c1").dueAt).toBe("2026-01-05T22:00:00Z");
  });
  it("an instant start (Z) is viewed in the site zone", () => {
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: new Date("2026-01-06T08:00:00Z"),
      timeZone: "Europe/Amsterdam",
    });
    expect(ev(s, "cycle#c1").dueLocal).toBe("2026-01-06T09:00:00+01:00[Europe/Amsterdam]");
  });
});

describe("month ends", () => {
  it("start 31 Jan: cycles by days, follow-up labs by calendar months clamp to month end", () => {
    const tz = "Europe/Amsterdam";
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2026-01-31T09:00",
      timeZone: tz,
      cycles: 1,
    });
    expect(local(ev(s, "labs#c1").windowStart ?? "", tz)).toBe("2026-01-17T09:00:00");
    expect(local(ev(s, "follow-up-labs-m1").dueAt, tz)).toBe("2026-02-28T09:00:00");
    expect(local(ev(s, "follow-up-labs-m3").dueAt, tz)).toBe("2026-04-30T09:00:00");
    expect(local(ev(s, "follow-up-labs-m12").dueAt, tz)).toBe("2027-01-31T09:00:00");
  });
  it("repeats are cumulative from the anchor (no month-end drift)", () => {
    const tz = "UTC";
    // last cycle 31 Dec 2025: +3 M +10 W = 31 Mar + 70 d = 9 Jun; then +6 M +10 W = 30 Jun + 70 d = 8 Sep
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2025-12-31T09:00",
      timeZone: tz,
      cycles: 1,
    });
    expect(local(ev(s, "follow-up-imaging#1").dueAt, tz)).toBe("2026-06-09T09:00:00");
    expect(local(ev(s, "follow-up-imaging#2").dueAt, tz)).toBe("2026-09-08T09:00:00");
    expect(ev(s, "follow-up-imaging#2").offset).toBe("P6M10W");
  });
  it("leap day start 29 Feb 2028 + 56 d = 25 Apr 2028", () => {
    const s = generateCourseSchedule(LU177_DOTATATE_STANDARD, {
      startDate: "2028-02-29T09:00",
      timeZone: "UTC",
    });
    expect(ev(s, "cycle#c2").dueAt).toBe("2028-04-25T09:00:00Z");
  });
});

describe("generateCourseSchedule – bad input", () => {
  it("names the bad parameter and value", () => {
    expect(() =>
      generateCourseSchedule(LU177_DOTATATE_STANDARD, {
        startDate: "2026-13-01T09:00",
        timeZone: "UTC",
      }),
    ).toThrow(/opts\.startDate.*2026-13-01/);
    expect(() =>
      generateCourseSchedule(LU177_DOTATATE_STANDARD, {
        startDate: "2026-01-01T09:00",
        timeZone: "Mars/Olympus",
      }),
    ).toThrow(/opts\.timeZone.*Mars\/Olympus/);
    expect(() =>
      generateCourseSchedule(LU177_DOTATATE_STANDARD, {
        startDate: "2026-01-01T09:00",
        timeZone: "UTC",
        cycles: 0,
      }),
    ).toThrow(RangeError);
    expect(() =>
      generateCourseSchedule(LU177_DOTATATE_STANDARD, {
        startDate: new Date(Number.NaN),
        timeZone: "UTC",
      }),
    ).toThrow(/opts\.startDate/);
    expect(() =>
      generateCourseSchedule(
        { ...LU177_DOTATATE_STANDARD, interval: { days: 0, toleranceDays: 0 } },
        { startDate: "2026-01-01T09:00", timeZone: "UTC" },
      ),
    ).toThrow(/interval\.days/);
    expect(() =>
      generateCourseSchedule(LU177_DOTATATE_STANDARD, {
        startDate: 42 as unknown as string,
        timeZone: "UTC",
      }),
    ).toThrow(TypeError);
  });
});

describe("rescheduleCycle", () => {
  const tz = "Europe/Amsterdam";
  const t = LU177_DOTATATE_STANDARD;
  const base = generateCourseSchedule(t, { startDate: "2026-01-06T09:00", timeZone: tz });

  it("moving cycle 2 by one week moves its events and all later cycles, not cycle 1", () => {
    const { schedule, changes } = rescheduleCycle(base, 2, "2026-03-10T09:00", t, tz);
    expect(local(ev(schedule, "cycle#c2").dueAt, tz)).toBe("2026-03-10T09:00:00");
    expect(local(ev(schedule, "cycle#c3").dueAt, tz)).toBe("2026-05-05T09:00:00");
    expect(local(ev(schedule, "cycle#c4").dueAt, tz)).toBe("2026-06-30T09:00:00");
    expect(ev(schedule, "cycle#c1").dueAt).toBe(ev(base, "cycle#c1").dueAt);
    expect(ev(schedule, "nadir-labs#c1").dueAt).toBe(ev(base, "nadir-labs#c1").dueAt);
    expect(ev(schedule, "interim-imaging-w12").dueAt).toBe(ev(base, "interim-imaging-w12").dueAt);
    const moved = new Set(changes.map((c) => c.key));
    expect(moved.has("labs#c2")).toBe(true);
    expect(moved.has("post-scan-24h#c4")).toBe(true);
    expect(moved.has("restaging")).toBe(true);
    expect(moved.has("cycle#c1")).toBe(false);
    expect(moved.has("labs#c1")).toBe(false);
    expect(changes.every((c) => c.change === "MOVED")).toBe(true);
    const c2 = changes.find((c) => c.key === "cycle#c2");
    expect(c2?.fromDueAt).toBe("2026-03-03T08:00:00Z");
    expect(c2?.toDueAt).toBe("2026-03-10T08:00:00Z");
  });

  it("done events do not move", () => {
    const withDone: CourseSchedule = {
      ...base,
      events: base.events.map((e) => (e.key === "labs#c2" ? { ...e, done: true } : e)),
    };
    const { schedule, changes } = rescheduleCycle(withDone, 2, "2026-03-10T09:00", t, tz);
    expect(ev(schedule, "labs#c2").dueAt).toBe(ev(base, "labs#c2").dueAt);
    expect(ev(schedule, "labs#c2").done).toBe(true);
    expect(changes.some((c) => c.key === "labs#c2")).toBe(false);
  });

  it("moving cycle 1 moves FIRST_ADMINISTRATION events; DST keeps 09:00", () => {
    const { schedule } = rescheduleCycle(base, 1, "2026-02-17T09:00", t, tz);
    expect(local(ev(schedule, "interim-imaging-w12").dueAt, tz)).toBe("2026-05-12T09:00:00");
    expect(ev(schedule, "cycle#c2").dueAt).toBe("2026-04-14T07:00:00Z");
  });

  it("a done later cycle keeps its time and anchors the cycles after it", () => {
    const done: CourseSchedule = {
      ...base,
      events: base.events.map((e) => (e.key === "cycle#c3" ? { ...e, done: true } : e)),
    };
    const { schedule } = rescheduleCycle(done, 2, "2026-03-05T09:00", t, tz);
    expect(ev(schedule, "cycle#c3").dueAt).toBe(ev(base, "cycle#c3").dueAt);
    expect(ev(schedule, "cycle#c4").dueAt).toBe(ev(base, "cycle#c4").dueAt);
    expect(() => rescheduleCycle(done, 2, "2026-04-28T09:00", t, tz)).toThrow(/not before cycle 3/);
  });

  it("rejects a done cycle, a date not after the previous cycle, and mismatched inputs", () => {
    const done: CourseSchedule = {
      ...base,
      events: base.events.map((e) => (e.key === "cycle#c2" ? { ...e, done: true } : e)),
    };
    expect(() => rescheduleCycle(done, 2, "2026-03-10T09:00", t, tz)).toThrow(
      /cycleNumber 2 is already done/,
    );
    expect(() => rescheduleCycle(base, 2, "2026-01-05T09:00", t, tz)).toThrow(/newDate/);
    expect(() => rescheduleCycle(base, 5, "2026-09-01T09:00", t, tz)).toThrow(/cycleNumber.*5/);
    expect(() => rescheduleCycle(base, 2, "2026-03-10T09:00", t, "UTC")).toThrow(/tz/);
    expect(() =>
      rescheduleCycle(base, 2, "2026-03-10T09:00", LU177_DOTATATE_DOSIMETRY_MTP, tz),
    ).toThrow(/does not match/);
    expect(() => rescheduleCycle(base, 2, "not a date", t, tz)).toThrow(/newDate.*not a date/);
  });
});
