import { describe, expect, it } from "vitest";
import {
  combineDateTime,
  formatDicomDateTime,
  parseDecimalString,
  parseDecimalStrings,
  parseDicomDate,
  parseDicomDateTime,
  parseDicomTime,
} from "./values.js";

describe("parseDecimalString (PS3.5 DS)", () => {
  it("parses exponent form and flags it (CP246 file writes the dose as 3.885e+008)", () => {
    const v = parseDecimalString("3.885e+008");
    expect(v?.exponentForm).toBe(true);
    expect(v?.value).toBeCloseTo(388_500_000, 3);
  });
  it("parses plain, padded and signed values without the flag", () => {
    expect(parseDecimalString(" 82 ")).toEqual({ value: 82, exponentForm: false, raw: "82" });
    expect(parseDecimalString("-405.624")?.value).toBeCloseTo(-405.624, 10);
    expect(parseDecimalString(".5")?.value).toBeCloseTo(0.5, 12);
  });
  it("rejects empty and malformed text instead of returning 0 or NaN", () => {
    expect(parseDecimalString("")).toBeUndefined();
    expect(parseDecimalString("   ")).toBeUndefined();
    expect(parseDecimalString("12,5")).toBeUndefined();
    expect(parseDecimalString("abc")).toBeUndefined();
    expect(parseDecimalString(undefined)).toBeUndefined();
  });
  it("parses multi-valued DS and rejects a list with one bad value", () => {
    expect(parseDecimalStrings("1\\0\\0\\0\\1\\-0")).toEqual([1, 0, 0, 0, 1, -0]);
    expect(parseDecimalStrings("1\\x\\0")).toBeUndefined();
  });
});

describe("DICOM DA/TM/DT", () => {
  it("parses a date to UTC-naive seconds and rejects impossible dates", () => {
    expect(parseDicomDate("20240305")).toBe(Date.UTC(2024, 2, 5) / 1000);
    expect(parseDicomDate("20240230")).toBeUndefined();
    expect(parseDicomDate("2024-03-05")).toBeUndefined();
  });
  it("parses times with fractions and partial components", () => {
    expect(parseDicomTime("103000")).toBe(37800);
    expect(parseDicomTime("130348.234000")).toBeCloseTo(47_028.234, 6);
    expect(parseDicomTime("10")).toBe(36000);
    expect(parseDicomTime("246000")).toBeUndefined();
  });
  it("parses DT with trailing space and with a UTC offset", () => {
    // GE fixture value has a trailing space: "20201217084500.00 "
    expect(parseDicomDateTime("20201217084500.00 ")).toBe(Date.UTC(2020, 11, 17, 8, 45, 0) / 1000);
    expect(parseDicomDateTime("20240305103000+0100")).toBe(Date.UTC(2024, 2, 5, 9, 30, 0) / 1000);
    expect(parseDicomDateTime("2024030510300")).toBeUndefined();
  });
  it("combines DA+TM and formats back to DT", () => {
    const s = combineDateTime("20240305", "093000.5");
    expect(s).toBeDefined();
    expect(formatDicomDateTime(s as number)).toBe("20240305093000.500000");
    expect(combineDateTime(undefined, "093000")).toBeUndefined();
  });
});
