import { describe, expect, it } from "vitest";
import { formatDicomDate, formatDicomDateTime, formatSuvFactor, fromDicomDateTime, jsonText, toDicomDateTime } from "./format";

describe("imaging formatting", () => {
  it("formats SUV factors to 4 significant digits", () => {
    expect(formatSuvFactor(0.000542123)).toBe("0.0005421");
    expect(formatSuvFactor(null)).toBe("—");
  });
  it("formats DICOM dates and date-times", () => {
    expect(formatDicomDate("19610412")).toBe("1961-04-12");
    expect(formatDicomDate("")).toBe("—");
    expect(formatDicomDateTime("20240605101500.000")).toBe("2024-06-05 10:15:00");
  });
  it("round-trips datetime-local and DICOM DT", () => {
    expect(toDicomDateTime("2024-06-05T10:15")).toBe("20240605101500");
    expect(toDicomDateTime("nope")).toBeNull();
    expect(fromDicomDateTime("20240605101500")).toBe("2024-06-05T10:15:00");
  });
  it("shows JSON values briefly", () => {
    expect(jsonText(75)).toBe("75");
    expect(jsonText("BQML")).toBe("BQML");
    expect(jsonText({ a: 1 })).toBe('{"a":1}');
  });
});
