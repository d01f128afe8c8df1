import { describe, expect, it } from "vitest";
import { gridDays, shift, weekStart } from "./calendar-grid";

describe("calendar grid", () => {
  it("starts weeks on Monday", () => {
    expect(weekStart("2026-11-21")).toBe("2026-11-16");
    expect(gridDays("2026-11-21", "week")).toHaveLength(7);
  });
  it("covers the whole month in whole weeks", () => {
    const days = gridDays("2026-11-21", "month");
    expect(days[0]).toBe("2026-10-26");
    expect(days.length % 7).toBe(0);
    expect(days).toContain("2026-11-30");
    expect(days.at(-1)).toBe("2026-12-06");
  });
  it("moves by week or month", () => {
    expect(shift("2026-11-21", "week", 1)).toBe("2026-11-28");
    expect(shift("2026-01-31", "month", 1).slice(0, 7)).toBe("2026-02");
  });
});
