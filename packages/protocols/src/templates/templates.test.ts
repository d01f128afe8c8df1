import { describe, expect, it } from "vitest";
import {
  BUILTIN_TEMPLATES,
  LU177_DOTATATE_DOSIMETRY_MTP,
  LU177_DOTATATE_DOSIMETRY_STP,
  LU177_DOTATATE_STANDARD,
  Y90_DOTATOC_INTERMEDIATE,
  copyTemplate,
  validateTemplate,
} from "../index.js";
import type { ProtocolTemplate } from "../index.js";

const rule = (t: ProtocolTemplate, key: string) => {
  const r = t.events.find((e) => e.key === key);
  if (!r) throw new Error(`no rule ${key}`);
  return r;
};

describe("built-in templates (prrt-protocols.md §1, §1.1, §1.2, §1.3, §6)", () => {
  it.each(BUILTIN_TEMPLATES.map((t) => [t.id, t] as const))(
    "%s is valid and every rule cites a source",
    (_id, t) => {
      expect(validateTemplate(t)).toEqual([]);
      expect(t.source.length).toBeGreaterThan(10);
      for (const e of t.events) expect(e.source).toMatch(/\.md §/);
    },
  );

  it("standard 177Lu-DOTATATE = 4 × 7.4 GBq every 56 ± 7 days (label §2.2, §1)", () => {
    const t = LU177_DOTATATE_STANDARD;
    expect(t.cycles).toBe(4);
    expect(t.activityPerCycleGBq).toBe(7.4);
    expect(t.cycles * t.activityPerCycleGBq).toBeCloseTo(29.6, 10);
    expect(t.interval).toEqual({ days: 56, toleranceDays: 7 });
    expect(t.reducedActivityGBq).toBe(3.7);
    expect(t.dosimetryGuided).toBe(false);
    expect(t.radiopharmaceutical.nuclide).toBe("177Lu");
  });

  it("177Lu pre-cycle events: long-acting SSA ≥ 4 weeks, short-acting ≥ 24 h, amino acids 30 min before (§1.1–1.2)", () => {
    const t = LU177_DOTATATE_STANDARD;
    expect(rule(t, "ssa-long-washout").offset).toEqual({ weeks: -4 });
    expect(rule(t, "ssa-long-washout").window.before).toBeNull();
    expect(rule(t, "ssa-short-stop").offset).toEqual({ hours: -24 });
    expect(rule(t, "amino-acids").offset).toEqual({ minutes: -30 });
    expect(rule(t, "ssa-lar").offset).toEqual({ hours: 4 });
    expect(rule(t, "ssa-lar").window.after).toEqual({ hours: 20 }); // 4 h + 20 h = 24 h
    expect(rule(t, "labs").window.before).toEqual({ days: 7 }); // due −7 d − 7 d = −14 d
    expect(rule(t, "nadir-labs").offset).toEqual({ weeks: 5 });
    expect(rule(t, "restaging").anchor).toBe("LAST_ADMINISTRATION");
  });

  it("dosimetry-guided: 7.4 GBq every 70 ± 14 days, up to 9 cycles, scans 4/24/96–120/168 h (§1.3, §6)", () => {
    const t = LU177_DOTATATE_DOSIMETRY_MTP;
    expect(t.interval).toEqual({ days: 70, toleranceDays: 14 });
    expect(t.maxCycles).toBe(9);
    expect(t.dosimetryGuided).toBe(true);
    const scans = t.events.filter((e) => e.kind === "POST_THERAPY_SCAN").map((e) => e.offset.hours);
    expect(scans).toEqual([4, 24, 96, 168]);
    expect(rule(t, "post-scan-96h").window.after).toEqual({ hours: 24 });
  });

  it("single time-point variant has one scan at 72–96 h (§6)", () => {
    const scans = LU177_DOTATATE_DOSIMETRY_STP.events.filter((e) => e.kind === "POST_THERAPY_SCAN");
    expect(scans).toHaveLength(1);
    expect(scans[0]?.offset).toEqual({ hours: 72 });
    expect(scans[0]?.window.after).toEqual({ hours: 24 });
  });

  it("90Y-DOTATOC intermediate uses 3.3 GBq/cycle and declares its unverified placeholders (§1.3, Marincek 2013)", () => {
    const t = Y90_DOTATOC_INTERMEDIATE;
    expect(t.radiopharmaceutical.nuclide).toBe("90Y");
    expect(t.activityPerCycleGBq).toBe(3.3);
    expect(t.reducedActivityGBq).toBeNull();
    expect(t.caveats.join(" ")).toMatch(/placeholders/);
    expect(t.events.some((e) => e.kind === "SSA_INJECTION")).toBe(false);
  });
});

describe("validateTemplate", () => {
  const base = (): Record<string, unknown> =>
    structuredClone(LU177_DOTATATE_STANDARD) as unknown as Record<string, unknown>;
  const paths = (t: unknown) => validateTemplate(t).map((e) => e.path);

  it("rejects a non-object", () => {
    expect(validateTemplate(null)).toEqual([
      { path: "", message: "template must be an object, got null" },
    ]);
  });
  it.each([
    ["id", ""],
    ["version", 0],
    ["version", 1.5],
    ["name", "  "],
    ["cycles", 0],
    ["cycles", 21],
    ["activityPerCycleGBq", 0],
    ["activityPerCycleGBq", 15.01],
    ["activityPerCycleGBq", Number.NaN],
    ["reducedActivityGBq", 7.4],
    ["reducedActivityGBq", -1],
    ["dosimetryGuided", "yes"],
    ["source", ""],
  ])("flags %s = %s", (field, value) => {
    const t = base();
    t[field] = value;
    expect(paths(t)).toContain(field);
  });
  it("accepts boundary values cycles 1 and 20, activity 15 GBq", () => {
    const t = base();
    t.cycles = 20;
    t.activityPerCycleGBq = 15;
    expect(validateTemplate(t)).toEqual([]);
    t.cycles = 1;
    expect(validateTemplate(t)).toEqual([]);
  });
  it("flags interval tolerance ≥ interval and non-integer days", () => {
    const t = base();
    t.interval = { days: 56, toleranceDays: 56 };
    expect(paths(t)).toEqual(["interval.toleranceDays"]);
    t.interval = { days: 5.5, toleranceDays: 1 };
    expect(paths(t)).toContain("interval.days");
  });
  it("flags maxCycles < cycles", () => {
    const t = base();
    t.maxCycles = 3;
    expect(paths(t)).toEqual(["maxCycles"]);
  });
  it("flags event-level problems with indexed paths", () => {
    const t = base();
    const events = t.events as Array<Record<string, unknown>>;
    events[0] = { ...events[0], kind: "BOGUS", source: "" };
    events[1] = { ...events[1], key: events[2]?.key };
    events[3] = { ...events[3], offset: { days: -1, hours: 2 } };
    events[4] = { ...events[4], window: { before: { hours: -1 }, after: null } };
    events[5] = { ...events[5], cycles: "FIRST", anchor: "LAST_ADMINISTRATION" };
    expect(paths(t)).toEqual(
      expect.arrayContaining([
        "events[0].kind",
        "events[0].source",
        "events[2].key",
        "events[3].offset",
        "events[4].window.before.hours",
        "events[5].cycles",
      ]),
    );
  });
  it("flags an unknown offset unit and a non-integer offset", () => {
    const t = base();
    const events = t.events as Array<Record<string, unknown>>;
    events[0] = { ...events[0], offset: { fortnights: 1 } };
    events[1] = { ...events[1], offset: { days: 1.5 } };
    expect(paths(t)).toEqual(
      expect.arrayContaining(["events[0].offset.fortnights", "events[1].offset.days"]),
    );
  });
  it("flags bad repeat specs", () => {
    const t = base();
    const events = t.events as Array<Record<string, unknown>>;
    events[0] = { ...events[0], repeat: { every: { days: 0 }, count: 0 } };
    expect(paths(t)).toEqual(
      expect.arrayContaining([
        "events[0].repeat.count",
        "events[0].repeat.every",
        "events[0].repeat",
      ]),
    );
  });
});

describe("copyTemplate", () => {
  it("creates a site copy with version 1, derivedFrom and a deep clone", () => {
    const c = copyTemplate(LU177_DOTATATE_STANDARD, { siteId: "amsterdam", name: "AMS standard" });
    expect(c.id).toBe("amsterdam/lu177-dotatate-standard");
    expect(c.version).toBe(1);
    expect(c.siteId).toBe("amsterdam");
    expect(c.derivedFrom).toBe("lu177-dotatate-standard@1");
    expect(c.name).toBe("AMS standard");
    expect(validateTemplate(c)).toEqual([]);
    c.events[0]!.offset.days = -3;
    expect(LU177_DOTATATE_STANDARD.events[0]?.offset.days).toBe(-7);
  });
  it("bumps the version when a site copies its own template", () => {
    const c1 = copyTemplate(LU177_DOTATATE_STANDARD, { siteId: "ams", name: "v1" });
    const c2 = copyTemplate(c1, { siteId: "ams", name: "v2" });
    expect(c2.id).toBe("ams/lu177-dotatate-standard");
    expect(c2.version).toBe(2);
    expect(c2.derivedFrom).toBe("ams/lu177-dotatate-standard@1");
  });
  it("throws naming the parameter for bad siteId/name or an invalid source", () => {
    expect(() => copyTemplate(LU177_DOTATATE_STANDARD, { siteId: "", name: "x" })).toThrow(
      /opts\.siteId/,
    );
    expect(() => copyTemplate(LU177_DOTATATE_STANDARD, { siteId: "a b", name: "x" })).toThrow(
      TypeError,
    );
    expect(() => copyTemplate(LU177_DOTATATE_STANDARD, { siteId: "a", name: "" })).toThrow(
      /opts\.name/,
    );
    const bad = { ...LU177_DOTATATE_STANDARD, cycles: 0 };
    expect(() => copyTemplate(bad, { siteId: "a", name: "x" })).toThrow(/cycles/);
  });
});
