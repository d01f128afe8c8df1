import { afterEach, describe, expect, it, vi } from "vitest";
import { pastOrTodayDate } from "./zod";

describe("pastOrTodayDate", () => {
  afterEach(() => vi.useRealTimers());

  it("accepts the date that is already today east of UTC (UTC+14), refuses the day after", () => {
    // 2026-11-21 11:00 UTC is 2026-11-22 01:00 in Kiritimati (UTC+14) and 2026-11-22 00:00 in Auckland (UTC+13).
    vi.useFakeTimers({ now: new Date("2026-11-21T11:00:00Z") });
    expect(pastOrTodayDate.safeParse("2026-11-21").success).toBe(true);
    expect(pastOrTodayDate.safeParse("2026-11-22").success).toBe(true);
    expect(pastOrTodayDate.safeParse("2026-11-23").success).toBe(false);
  });

  it("before 10:00 UTC the next calendar day is nowhere today yet", () => {
    vi.useFakeTimers({ now: new Date("2026-11-21T09:00:00Z") });
    expect(pastOrTodayDate.safeParse("2026-11-21").success).toBe(true);
    const r = pastOrTodayDate.safeParse("2026-11-22");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("must not be in the future");
  });
});
