import { describe, expect, it } from "vitest";
import { fromGlobalId, idOf, toGlobalId, type NodeType } from "./ids";

const U = "0b9d2c3e-8f1a-4c5b-9e7d-1a2b3c4d5e6f";
const TYPES: NodeType[] = ["Site", "User", "Patient", "BodyWeight", "Diagnosis", "Radiopharmaceutical", "TherapyCourse", "TherapyCycle", "LabResult", "ImagingStudy", "Lesion", "LesionMeasurement"];

describe("global IDs", () => {
  it.each(TYPES)("round-trips a %s id and is URL-safe base64 of Type:uuid", (type) => {
    const g = toGlobalId(type, U);
    expect(g).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(g, "base64url").toString("utf8")).toBe(`${type}:${U}`);
    expect(fromGlobalId(g)).toEqual({ type, id: U });
    expect(idOf(g, type)).toBe(U);
  });

  it("AuditEvent ids are numeric", () => {
    expect(fromGlobalId(toGlobalId("AuditEvent", 42))).toEqual({ type: "AuditEvent", id: "42" });
    expect(fromGlobalId(toGlobalId("AuditEvent", U))).toBeNull();
    expect(fromGlobalId(Buffer.from("AuditEvent:12a").toString("base64url"))).toBeNull();
  });

  it("idOf refuses an id of another type", () => {
    expect(idOf(toGlobalId("Patient", U), "Lesion")).toBeNull();
    expect(idOf(toGlobalId("Lesion", U), "Patient")).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["no colon", Buffer.from("Patient").toString("base64url")],
    ["empty type", Buffer.from(`:${U}`).toString("base64url")],
    ["not a uuid", Buffer.from("Patient:123").toString("base64url")],
    ["uuid with extra", Buffer.from(`Patient:${U}x`).toString("base64url")],
    ["sql in id", Buffer.from(`Patient:${U}' or 1=1`).toString("base64url")],
    ["raw uuid", U],
    ["garbage", "!!!not base64!!!"],
  ])("returns null for a malformed id (%s)", (_name, g) => {
    expect(fromGlobalId(g)).toBeNull();
    expect(idOf(g, "Patient")).toBeNull();
  });

  it("uppercase hex uuids are accepted (uuid regex is case-insensitive)", () => {
    expect(fromGlobalId(toGlobalId("Patient", U.toUpperCase()))).toEqual({ type: "Patient", id: U.toUpperCase() });
  });
});
