import { describe, expect, it } from "vitest";
import type { CareEventRow } from "@lutetia/db";
import { effectiveAt, isOverdue } from "./schedule.service";

const base = {
  dueAt: new Date("2027-01-12T08:00:00Z"),
  windowEnd: new Date("2027-01-19T08:00:00Z"),
  bookedAt: null,
  performedAt: null,
  status: "PLANNED",
} as const;
const ev = (o: Partial<CareEventRow>) => ({ ...base, ...o }) as CareEventRow;

describe("effective time and overdue (worklist buckets)", () => {
  it("uses the booked time, else the due time; DONE uses the performed time", () => {
    expect(effectiveAt(ev({}))).toEqual(base.dueAt);
    expect(effectiveAt(ev({ status: "BOOKED", bookedAt: new Date("2027-01-13T09:00:00Z") }))).toEqual(new Date("2027-01-13T09:00:00Z"));
    expect(effectiveAt(ev({ status: "DONE", bookedAt: new Date("2027-01-13T09:00:00Z"), performedAt: new Date("2027-01-13T10:00:00Z") }))).toEqual(new Date("2027-01-13T10:00:00Z"));
  });
  it("a planned event is overdue after its window end (or due time when open-ended); a booked one after its booked time", () => {
    expect(isOverdue(ev({}), new Date("2027-01-19T07:59:59Z"))).toBe(false);
    expect(isOverdue(ev({}), new Date("2027-01-19T08:00:01Z"))).toBe(true);
    expect(isOverdue(ev({ windowEnd: null }), new Date("2027-01-12T08:00:01Z"))).toBe(true);
    const booked = ev({ status: "BOOKED", bookedAt: new Date("2027-01-14T09:00:00Z") });
    expect(isOverdue(booked, new Date("2027-01-14T08:59:00Z"))).toBe(false);
    expect(isOverdue(booked, new Date("2027-01-14T09:01:00Z"))).toBe(true);
    for (const status of ["DONE", "MISSED", "CANCELLED"] as const) expect(isOverdue(ev({ status }), new Date("2030-01-01T00:00:00Z"))).toBe(false);
    expect(isOverdue(ev({ kind: "SSA_WASHOUT" }), new Date("2030-01-01T00:00:00Z"))).toBe(false);
  });
});
