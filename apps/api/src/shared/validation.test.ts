import { describe, expect, it } from "vitest";
import { z } from "zod";
import { UserInputProblem } from "./errors";
import { parseInput } from "./validation";
import { decodeCursor, encodeCursor, pageSize, toConnection } from "./records";
import { isoDate, pastInstant, pastOrTodayDate, version, weightKg } from "./zod";

function problem(fn: () => unknown): UserInputProblem {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserInputProblem) return e;
    throw e;
  }
  throw new Error("expected a UserInputProblem");
}

const Schema = z.object({
  weightKg,
  nested: z.object({ when: pastInstant, day: isoDate }).optional(),
  version,
  note: z.string().max(5, "must be at most 5 characters").optional(),
});

describe("parseInput", () => {
  it("returns the parsed value when valid", () => {
    expect(parseInput(Schema, { weightKg: 70, version: 1 })).toEqual({ weightKg: 70, version: 1 });
  });

  it("reports one error per issue with the field path under `input` and the value received", () => {
    const p = problem(() => parseInput(Schema, { weightKg: 401, version: 0 }));
    expect(p.errors).toEqual([
      { field: ["input", "weightKg"], message: "weightKg must be between 1 and 400 kg (got 401)", code: "INVALID" },
      { field: ["input", "version"], message: "version must be ≥ 1 (got 0)", code: "INVALID" },
    ]);
  });

  it("names nested paths and shows dates as ISO strings", () => {
    const future = new Date(Date.now() + 86_400_000);
    const p = problem(() => parseInput(Schema, { weightKg: 70, version: 1, nested: { when: future, day: "2025-02-30" } }));
    expect(p.errors.map((e) => e.field)).toEqual([["input", "nested", "when"], ["input", "nested", "day"]]);
    expect(p.errors[0]!.message).toBe(`nested.when must not be in the future (got ${future.toISOString()})`);
    expect(p.errors[1]!.message).toBe('nested.day must be a real calendar date (got "2025-02-30")');
  });

  it("says `nothing` for a missing field and truncates long values", () => {
    const p = problem(() => parseInput(Schema, { version: 1, note: "x".repeat(100) }));
    const missing = p.errors.find((e) => e.field[1] === "weightKg")!;
    expect(missing.message).toMatch(/\(got nothing\)$/);
    const long = p.errors.find((e) => e.field[1] === "note")!;
    expect(long.message).toMatch(/\(got "x{56}\.\.\.\)$/);
  });

  it("uses a custom prefix", () => {
    const p = problem(() => parseInput(z.object({ first: z.number().max(3, "too many") }), { first: 9 }, ["args"]));
    expect(p.errors[0]!.field).toEqual(["args", "first"]);
  });
});

describe("shared zod vocabulary", () => {
  it("isoDate accepts real calendar dates only", () => {
    for (const ok of ["2024-02-29", "2025-12-31", "1900-01-01"]) expect(isoDate.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["2025-02-29", "2025-13-01", "2025-1-1", "20250101", "2025-01-01T00:00:00Z", ""]) expect(isoDate.safeParse(bad).success, bad).toBe(false);
  });
  it("pastOrTodayDate accepts today (UTC) and refuses the day after tomorrow (today reaches UTC+14: see zod.test.ts)", () => {
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(pastOrTodayDate.safeParse(today).success).toBe(true);
    expect(pastOrTodayDate.safeParse(later).success).toBe(false);
  });
  it("pastInstant allows one minute of clock skew, not more", () => {
    expect(pastInstant.safeParse(new Date(Date.now() + 30_000)).success).toBe(true);
    expect(pastInstant.safeParse(new Date(Date.now() + 120_000)).success).toBe(false);
  });
  it("weightKg is 1–400 kg inclusive", () => {
    for (const w of [1, 70.5, 400]) expect(weightKg.safeParse(w).success, String(w)).toBe(true);
    for (const w of [0.99, 400.01, -70]) expect(weightKg.safeParse(w).success, String(w)).toBe(false);
  });
});

describe("connections (offset cursors, page size)", () => {
  it("cursors round-trip and are opaque base64url", () => {
    for (const n of [0, 1, 199, 123456]) {
      const c = encodeCursor(n);
      expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(c)).toBe(n);
    }
    expect(decodeCursor(null)).toBe(0);
    expect(decodeCursor(undefined)).toBe(0);
  });
  it.each(["x", Buffer.from("o:-1").toString("base64url"), Buffer.from("o:1.5").toString("base64url"), Buffer.from("a:5").toString("base64url")])(
    "a bad cursor %j is refused on the named argument",
    (c) => {
      const p = problem(() => decodeCursor(c, "after"));
      expect(p.errors[0]!.field).toEqual(["after"]);
      expect(p.errors[0]!.message).toContain(JSON.stringify(c));
    },
  );
  it("page size is an integer 1–200, default 50", () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(null)).toBe(50);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(200)).toBe(200);
    for (const n of [0, 201, -1, 2.5]) {
      const p = problem(() => pageSize(n));
      expect(p.errors[0]).toEqual({ field: ["first"], message: `must be an integer 1–200 (got ${n})`, code: "INVALID" });
    }
  });
  it("toConnection slices first+1 rows into a page with cursors and flags", () => {
    const c = toConnection(["a", "b", "c"], 4, 2, 10);
    expect(c.edges.map((e) => e.node)).toEqual(["a", "b"]);
    expect(c.edges.map((e) => decodeCursor(e.cursor))).toEqual([5, 6]);
    expect(c.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: c.edges[0]!.cursor, endCursor: c.edges[1]!.cursor });
    expect(c.totalCount).toBe(10);
    const last = toConnection(["z"], 0, 2, 1);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const empty = toConnection([], 0, 5, 0);
    expect(empty.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });
});
