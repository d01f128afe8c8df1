import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCHEDULE_POLICY,
  LU177_DOTATATE_DOSIMETRY_MTP,
  LU177_DOTATATE_STANDARD,
  checkScheduleConstraints,
} from "../index.js";
import type { Booking, ConstraintContext, ScheduleFlag } from "../index.js";

const tz = "Europe/Amsterdam";
const ctx = (extra: Partial<ConstraintContext> = {}): ConstraintContext => ({
  timeZone: tz,
  template: LU177_DOTATATE_STANDARD,
  ...extra,
});
const codes = (f: ScheduleFlag[]) => f.map((x) => x.code);
// Instants are given with explicit offsets (CET = +01:00, CEST = +02:00).
const c1: Booking = { key: "cycle#c1", kind: "CYCLE", at: "2026-01-06T09:00:00+01:00" };
const labs1: Booking = { key: "labs#c1", kind: "LABS", at: "2026-01-02T08:00:00+01:00" };

describe("checkScheduleConstraints – SSA washout (label §2.3; prrt-protocols.md §1.2)", () => {
  it("long-acting SSA 28 days before passes, 27 days fails", () => {
    const ok = checkScheduleConstraints(
      [c1, labs1],
      ctx({ ssaDoses: [{ at: "2025-12-09T17:00:00+01:00", type: "LONG_ACTING" }] }),
    );
    expect(codes(ok)).toEqual([]);
    const bad = checkScheduleConstraints(
      [c1, labs1],
      ctx({ ssaDoses: [{ at: "2025-12-10T08:00:00+01:00", type: "LONG_ACTING" }] }),
    );
    expect(codes(bad)).toEqual(["SSA_LONG_ACTING_WASHOUT_NOT_MET"]);
    expect(bad[0]?.values.daysSinceLongActingSsa).toBe(27);
    expect(bad[0]?.severity).toBe("ERROR");
    expect(bad[0]?.source).toMatch(/§1\.2/);
  });
  it("only the latest long-acting dose counts; later doses after the cycle are ignored", () => {
    const f = checkScheduleConstraints(
      [c1, labs1],
      ctx({
        ssaDoses: [
          { at: "2025-11-01T10:00:00+01:00", type: "LONG_ACTING" },
          { at: "2026-01-06T14:00:00+01:00", type: "LONG_ACTING" },
        ],
      }),
    );
    expect(codes(f)).toEqual([]);
  });
  it("short-acting 24 h before passes, 23 h fails", () => {
    expect(
      codes(
        checkScheduleConstraints(
          [c1, labs1],
          ctx({ ssaDoses: [{ at: "2026-01-05T09:00:00+01:00", type: "SHORT_ACTING" }] }),
        ),
      ),
    ).toEqual([]);
    const f = checkScheduleConstraints(
      [c1, labs1],
      ctx({ ssaDoses: [{ at: "2026-01-05T10:00:00+01:00", type: "SHORT_ACTING" }] }),
    );
    expect(codes(f)).toEqual(["SSA_SHORT_ACTING_WASHOUT_NOT_MET"]);
    expect(f[0]?.values.hoursSinceShortActingSsa).toBeCloseTo(23, 9);
  });
  it("policy threshold is configurable (e.g. 48 h short-acting, NCT01842165)", () => {
    const policy = {
      ...DEFAULT_SCHEDULE_POLICY,
      shortActingSsaWashoutHours: { value: 48, source: "NCT01842165" },
    };
    const f = checkScheduleConstraints(
      [c1, labs1],
      ctx({ ssaDoses: [{ at: "2026-01-05T09:00:00+01:00", type: "SHORT_ACTING" }] }),
      policy,
    );
    expect(codes(f)).toEqual(["SSA_SHORT_ACTING_WASHOUT_NOT_MET"]);
    expect(f[0]?.source).toBe("NCT01842165");
  });
});

describe("pre-cycle labs (prrt-protocols.md §4, ≤ 14 days policy)", () => {
  it("14 days before passes, 15 days fails, none warns, after the administration fails", () => {
    expect(
      codes(
        checkScheduleConstraints(
          [c1, { key: "labs#c1", kind: "LABS", at: "2025-12-23T08:00:00+01:00" }],
          ctx(),
        ),
      ),
    ).toEqual([]);
    const old = checkScheduleConstraints(
      [c1, { key: "labs#c1", kind: "LABS", at: "2025-12-22T08:00:00+01:00" }],
      ctx(),
    );
    expect(codes(old)).toEqual(["LABS_TOO_OLD"]);
    expect(old[0]?.values.labAgeDays).toBe(15);
    expect(codes(checkScheduleConstraints([c1], ctx()))).toEqual(["LABS_MISSING"]);
    expect(
      codes(
        checkScheduleConstraints(
          [c1, { key: "labs#c1", kind: "LABS", at: "2026-01-06T11:00:00+01:00" }],
          ctx(),
        ),
      ),
    ).toEqual(["LABS_AFTER_ADMINISTRATION"]);
  });
  it("unkeyed labs between the previous and this cycle are used", () => {
    const c2: Booking = { key: "cycle#c2", kind: "CYCLE", at: "2026-03-03T09:00:00+01:00" };
    const f = checkScheduleConstraints(
      [c1, labs1, c2, { key: "lab-x", kind: "LABS", at: "2026-02-25T08:00:00+01:00" }],
      ctx(),
    );
    expect(codes(f)).toEqual([]);
  });
});

describe("cycle interval (label: 8 ± 1 weeks)", () => {
  const mk = (at: string, n: number): Booking[] => [
    { key: `cycle#c${n}`, kind: "CYCLE", at },
    { key: `labs#c${n}`, kind: "LABS", at: at.replace(/T.*/, "T07:00:00+01:00") },
  ];
  it("49 and 63 days pass; 48 is too short (ERROR), 64 too long (WARNING)", () => {
    expect(
      codes(
        checkScheduleConstraints(
          [...mk("2026-01-06T09:00:00+01:00", 1), ...mk("2026-02-24T09:00:00+01:00", 2)],
          ctx(),
        ),
      ),
    ).toEqual([]);
    expect(
      codes(
        checkScheduleConstraints(
          [...mk("2026-01-06T09:00:00+01:00", 1), ...mk("2026-03-10T09:00:00+01:00", 2)],
          ctx(),
        ),
      ),
    ).toEqual([]);
    const short = checkScheduleConstraints(
      [...mk("2026-01-06T09:00:00+01:00", 1), ...mk("2026-02-23T09:00:00+01:00", 2)],
      ctx(),
    );
    expect(codes(short)).toEqual(["CYCLE_INTERVAL_TOO_SHORT"]);
    expect(short[0]?.values).toMatchObject({ intervalDays: 48, minDays: 49, maxDays: 63 });
    const long = checkScheduleConstraints(
      [...mk("2026-01-06T09:00:00+01:00", 1), ...mk("2026-03-11T09:00:00+01:00", 2)],
      ctx(),
    );
    expect(long.map((f) => [f.code, f.severity])).toEqual([["CYCLE_INTERVAL_TOO_LONG", "WARNING"]]);
  });
  it("calendar days across DST: 28 Mar CET → 23 May CEST is 56 days", () => {
    const f = checkScheduleConstraints(
      [
        ...mk("2026-03-28T09:00:00+01:00", 1),
        { key: "cycle#c2", kind: "CYCLE", at: "2026-05-23T09:00:00+02:00" },
        { key: "labs#c2", kind: "LABS", at: "2026-05-20T09:00:00+02:00" },
      ],
      ctx(),
    );
    expect(codes(f)).toEqual([]);
  });
  it("without a template the interval check is skipped with an INFO flag", () => {
    const f = checkScheduleConstraints(
      [...mk("2026-01-06T09:00:00+01:00", 1), ...mk("2026-01-20T09:00:00+01:00", 2)],
      { timeZone: tz },
    );
    expect(f.map((x) => [x.code, x.severity])).toEqual([["CHECK_SKIPPED", "INFO"]]);
  });
});

describe("post-therapy scan window (prrt-protocols.md §6)", () => {
  it("24 h scan: 20 h and 28 h pass, 19 h 59 min and 28 h 1 min are outside", () => {
    const at = (iso: string): Booking[] => [
      c1,
      labs1,
      { key: "post-scan-24h#c1", kind: "POST_THERAPY_SCAN", at: iso },
    ];
    expect(codes(checkScheduleConstraints(at("2026-01-07T05:00:00+01:00"), ctx()))).toEqual([]);
    expect(codes(checkScheduleConstraints(at("2026-01-07T13:00:00+01:00"), ctx()))).toEqual([]);
    expect(codes(checkScheduleConstraints(at("2026-01-07T04:59:00+01:00"), ctx()))).toEqual([
      "POST_THERAPY_SCAN_OUTSIDE_WINDOW",
    ]);
    const late = checkScheduleConstraints(at("2026-01-07T13:01:00+01:00"), ctx());
    expect(codes(late)).toEqual(["POST_THERAPY_SCAN_OUTSIDE_WINDOW"]);
    expect(late[0]?.values.windowEndHours).toBe(28);
  });
  it("dosimetry 96–120 h scan: 121 h is late", () => {
    const b: Booking[] = [
      c1,
      labs1,
      { key: "post-scan-96h#c1", kind: "POST_THERAPY_SCAN", at: "2026-01-11T10:00:00+01:00" },
    ];
    const f = checkScheduleConstraints(b, ctx({ template: LU177_DOTATATE_DOSIMETRY_MTP }));
    expect(codes(f)).toEqual(["POST_THERAPY_SCAN_OUTSIDE_WINDOW"]);
    expect(f[0]?.values.hoursAfterAdministration).toBe(121);
  });
  it("a scan without its cycle booked is flagged", () => {
    expect(
      codes(
        checkScheduleConstraints(
          [{ key: "post-scan-24h#c3", kind: "POST_THERAPY_SCAN", at: "2026-01-07T09:00:00+01:00" }],
          ctx(),
        ),
      ),
    ).toEqual(["POST_THERAPY_SCAN_WITHOUT_CYCLE"]);
  });
});

describe("FDG and SSTR PET on the same day (site policy)", () => {
  const fdg: Booking = {
    key: "fdg",
    kind: "RESTAGING",
    modality: "FDG_PET",
    at: "2026-10-01T08:00:00+02:00",
  };
  it("same local date warns; different dates do not; policy off disables", () => {
    const sstr: Booking = {
      key: "sstr",
      kind: "RESTAGING",
      modality: "SSTR_PET",
      at: "2026-10-01T15:00:00+02:00",
    };
    expect(codes(checkScheduleConstraints([fdg, sstr], ctx()))).toEqual([
      "FDG_AND_SSTR_PET_SAME_DAY",
    ]);
    expect(
      codes(checkScheduleConstraints([fdg, { ...sstr, at: "2026-10-02T08:00:00+02:00" }], ctx())),
    ).toEqual([]);
    const off = {
      ...DEFAULT_SCHEDULE_POLICY,
      forbidFdgAndSstrPetSameDay: { value: false, source: "site" },
    };
    expect(codes(checkScheduleConstraints([fdg, sstr], ctx(), off))).toEqual([]);
  });
  it("same UTC date but different local dates (23:30 vs 00:30 local) is not the same day", () => {
    const a: Booking = { ...fdg, at: "2026-10-01T21:30:00Z" }; // 23:30 CEST 1 Oct
    const b: Booking = {
      key: "sstr",
      kind: "RESTAGING",
      modality: "SSTR_PET",
      at: "2026-10-01T22:30:00Z",
    }; // 00:30 CEST 2 Oct
    expect(codes(checkScheduleConstraints([a, b], ctx()))).toEqual([]);
  });
});

describe("dosimetry sign-off before next cycle (dosimetry-guided templates)", () => {
  const t = LU177_DOTATATE_DOSIMETRY_MTP;
  const b: Booking[] = [
    c1,
    labs1,
    { key: "cycle#c2", kind: "CYCLE", at: "2026-03-17T09:00:00+01:00" },
    { key: "labs#c2", kind: "LABS", at: "2026-03-12T09:00:00+01:00" },
  ];
  it("unsigned → WARNING, signed after the booking → ERROR, signed before → OK", () => {
    expect(
      checkScheduleConstraints(b, ctx({ template: t })).map((f) => [f.code, f.severity]),
    ).toEqual([["DOSIMETRY_NOT_SIGNED", "WARNING"]]);
    expect(
      checkScheduleConstraints(
        b,
        ctx({ template: t, dosimetrySignedAt: { 1: "2026-03-18T09:00:00Z" } }),
      ).map((f) => [f.code, f.severity]),
    ).toEqual([["DOSIMETRY_NOT_SIGNED", "ERROR"]]);
    expect(
      codes(
        checkScheduleConstraints(
          b,
          ctx({ template: t, dosimetrySignedAt: { 1: "2026-02-01T09:00:00Z" } }),
        ),
      ),
    ).toEqual([]);
  });
  it("not applied to the standard (non-dosimetry) template", () => {
    const b2 = b.map((x) =>
      x.key === "cycle#c2"
        ? { ...x, at: "2026-03-03T09:00:00+01:00" }
        : x.key === "labs#c2"
          ? { ...x, at: "2026-02-27T09:00:00+01:00" }
          : x,
    );
    expect(codes(checkScheduleConstraints(b2, ctx()))).toEqual([]);
  });
});

describe("restaging too soon after a cycle (prrt-protocols.md §6: 2–3 months)", () => {
  it("56 days after the last cycle passes, 55 days warns", () => {
    const r = (at: string): Booking => ({
      key: "restaging",
      kind: "RESTAGING",
      modality: "SSTR_PET",
      at,
    });
    expect(
      codes(checkScheduleConstraints([c1, labs1, r("2026-03-03T09:00:00+01:00")], ctx())),
    ).toEqual([]);
    const f = checkScheduleConstraints([c1, labs1, r("2026-03-02T09:00:00+01:00")], ctx());
    expect(codes(f)).toEqual(["RESTAGING_TOO_SOON_AFTER_CYCLE"]);
    expect(f[0]?.values).toMatchObject({ daysAfterCycle: 55, minDays: 56 });
  });
});

describe("checkScheduleConstraints – bad input", () => {
  it("names the parameter", () => {
    expect(() => checkScheduleConstraints("x" as unknown as Booking[], ctx())).toThrow(/bookings/);
    expect(() => checkScheduleConstraints([c1], { timeZone: "Nowhere/City" })).toThrow(
      /context\.timeZone/,
    );
    expect(() => checkScheduleConstraints([{ ...c1, at: "yesterday" }], ctx())).toThrow(
      /bookings\[0\]\.at.*yesterday/,
    );
    expect(() =>
      checkScheduleConstraints([c1], ctx({ ssaDoses: [{ at: "bad", type: "LONG_ACTING" }] })),
    ).toThrow(/context\.ssaDoses\[0\]\.at/);
  });
});
