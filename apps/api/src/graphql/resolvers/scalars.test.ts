import { describe, expect, it } from "vitest";
import { GraphQLError, Kind, parseValue } from "graphql";
import { DateScalar, DateTime, JSONScalar } from "./scalars";

describe("DateTime scalar", () => {
  it.each([
    ["2026-03-01T09:30:00Z", "2026-03-01T09:30:00.000Z"],
    ["2026-03-01T09:30Z", "2026-03-01T09:30:00.000Z"],
    ["2026-03-01T10:30:00+01:00", "2026-03-01T09:30:00.000Z"],
    ["2026-03-01T04:00:00.123-05:30", "2026-03-01T09:30:00.123Z"],
  ])("parses %s to the instant %s", (input, iso) => {
    expect(DateTime.parseValue(input).toISOString()).toBe(iso);
    expect(DateTime.parseLiteral({ kind: Kind.STRING, value: input }, {}).toISOString()).toBe(iso);
  });

  it.each(["2026-03-01", "2026-03-01T09:30:00", "2026-03-01 09:30:00Z", "yesterday", "2026-02-30T09:30:00Z", "2026-13-01T00:00:00Z", ""])(
    "refuses %j naming the value",
    (bad) => {
      expect(() => DateTime.parseValue(bad)).toThrow(GraphQLError);
      expect(() => DateTime.parseValue(bad)).toThrow(JSON.stringify(bad));
    },
  );

  it("refuses non-strings (numbers, null) and non-string literals", () => {
    expect(() => DateTime.parseValue(1_700_000_000_000)).toThrow(/got 1700000000000/);
    expect(() => DateTime.parseValue(null)).toThrow(GraphQLError);
    expect(() => DateTime.parseLiteral(parseValue("123"), {})).toThrow(/DateTime/);
  });

  it("serializes Dates and parsable strings as UTC ISO, refuses invalid dates", () => {
    expect(DateTime.serialize(new Date("2026-03-01T10:30:00+01:00"))).toBe("2026-03-01T09:30:00.000Z");
    expect(DateTime.serialize("2026-03-01T09:30:00Z")).toBe("2026-03-01T09:30:00.000Z");
    expect(() => DateTime.serialize(new Date("nope"))).toThrow(/invalid date/);
  });
});

describe("Date scalar", () => {
  it.each(["2024-02-29", "2026-12-31", "1900-01-01"])("accepts %s unchanged", (d) => {
    expect(DateScalar.parseValue(d)).toBe(d);
    expect(DateScalar.parseLiteral({ kind: Kind.STRING, value: d }, {})).toBe(d);
  });
  it.each(["2025-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-1-1", "20260101", "2026-01-01T00:00:00Z", "01/02/2026"])("refuses %j naming it", (bad) => {
    expect(() => DateScalar.parseValue(bad)).toThrow(GraphQLError);
    expect(() => DateScalar.parseValue(bad)).toThrow(JSON.stringify(bad));
  });
  it("refuses non-strings", () => {
    expect(() => DateScalar.parseValue(20260101)).toThrow(GraphQLError);
    expect(() => DateScalar.parseLiteral(parseValue("20260101"), {})).toThrow(GraphQLError);
  });
  it("serializes Dates as their UTC calendar day and strings unchanged", () => {
    expect(DateScalar.serialize(new Date("2026-03-01T23:30:00Z"))).toBe("2026-03-01");
    expect(DateScalar.serialize("2026-03-01")).toBe("2026-03-01");
  });
});

describe("JSON scalar", () => {
  it("accepts objects, refuses arrays, primitives and null as variables", () => {
    expect(JSONScalar.parseValue({ a: 1 })).toEqual({ a: 1 });
    for (const bad of [[1], "x", 3, null]) expect(() => JSONScalar.parseValue(bad)).toThrow(/JSON must be an object/);
  });
  it("parses object literals, refuses variables inside literals", () => {
    expect(JSONScalar.parseLiteral(parseValue(`{ a: 1, b: [true, "x", null], c: { d: 2.5 } }`), {})).toEqual({ a: 1, b: [true, "x", null], c: { d: 2.5 } });
    expect(() => JSONScalar.parseLiteral(parseValue(`{ a: $v }`, { allowLegacyFragmentVariables: false }), {})).toThrow(/variables/);
  });
});
