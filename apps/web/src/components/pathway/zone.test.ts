import { describe, expect, it } from "vitest";
import { dueLocalText, siteDateTime, siteLocalToInstant } from "./zone";

describe("site zone helpers", () => {
  it("formats an instant in the site zone", () => {
    expect(siteDateTime("2026-03-20T08:00:00Z", "Europe/Amsterdam")).toBe("2026-03-20 09:00");
    expect(siteDateTime("2026-07-20T08:00:00Z", "Europe/Amsterdam")).toBe("2026-07-20 10:00");
  });
  it("reads a wall-clock value in the site zone", () => {
    expect(siteLocalToInstant("2026-03-20T09:00", "Europe/Amsterdam")).toBe(
      "2026-03-20T08:00:00.000Z",
    );
    expect(siteLocalToInstant("2026-07-20T10:00", "Europe/Amsterdam")).toBe(
      "2026-07-20T08:00:00.000Z",
    );
    expect(siteLocalToInstant("nope", "Europe/Amsterdam")).toBeUndefined();
  });
  it("shortens dueLocal", () => {
    expect(dueLocalText("2026-03-20T09:00:00+01:00[Europe/Amsterdam]")).toBe("2026-03-20 09:00");
  });
});
