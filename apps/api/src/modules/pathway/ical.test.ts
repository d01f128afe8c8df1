import { describe, expect, it } from "vitest";
import { buildCalendar, escapeText, foldLine, formatUtc } from "./ical";

const octets = (s: string) => new TextEncoder().encode(s).length;

describe("RFC 5545 serializer", () => {
  it("escapes TEXT values (§3.3.11): backslash, semicolon, comma, newlines", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
    expect(escapeText("plain: text")).toBe("plain: text");
  });

  it("formats UTC DATE-TIME form #2 (§3.3.5) and rejects invalid dates", () => {
    expect(formatUtc(new Date("2027-03-20T08:05:09.123Z"))).toBe("20270320T080509Z");
    expect(() => formatUtc(new Date("nope"))).toThrow(RangeError);
  });

  it("folds at 75 octets without splitting a multi-byte character (§3.1), and unfolds to the original", () => {
    const line = `SUMMARY:${"é".repeat(60)}${"x".repeat(50)}`;
    const folded = foldLine(line);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(octets(p)).toBeLessThanOrEqual(75);
    for (const p of parts.slice(1)) expect(p.startsWith(" ")).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(line);
    expect(foldLine("SHORT:x")).toBe("SHORT:x");
    const exact = `X:${"a".repeat(73)}`;
    expect(octets(exact)).toBe(75);
    expect(foldLine(exact)).toBe(exact);
  });

  it("builds a VCALENDAR with CRLF line ends and one VEVENT per event", () => {
    const ics = buildCalendar({
      name: "Lutetia – DEMO",
      timeZoneHint: "Europe/Amsterdam",
      now: new Date("2027-01-01T00:00:00Z"),
      events: [
        { uid: "a@lutetia", start: new Date("2027-01-12T08:00:00Z"), end: new Date("2027-01-12T12:00:00Z"), summary: "DEMO-0001 · Cycle 1", location: "Room 1, ward B", status: "CONFIRMED", categories: ["CYCLE"] },
        { uid: "b@lutetia", start: new Date("2027-01-13T08:00:00Z"), end: new Date("2027-01-13T09:00:00Z"), summary: "DEMO-0001 · Scan", description: "Status: PLANNED\nKind: POST_THERAPY_SCAN", status: "TENTATIVE" },
      ],
    });
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.split("\r\n").every((l) => !l.includes("\n"))).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain("DTSTART:20270112T080000Z\r\nDTEND:20270112T120000Z");
    expect(ics).toContain("LOCATION:Room 1\\, ward B");
    expect(ics).toContain("DESCRIPTION:Status: PLANNED\\nKind: POST_THERAPY_SCAN");
    expect(ics).toContain("DTSTAMP:20270101T000000Z");
  });
});
