import { describe, expect, it } from "vitest";
import { loginUrl, safeNextPath } from "./next-path";

describe("safeNextPath", () => {
  it("keeps same-origin paths with their query", () => {
    expect(safeNextPath("/patients/UGF0aWVudDox?tab=labs")).toBe("/patients/UGF0aWVudDox?tab=labs");
  });
  it("refuses other origins, protocol-relative and login loops", () => {
    for (const bad of ["https://evil.test/", "//evil.test", "/\\evil.test", "/login?next=/x", "", null, undefined]) {
      expect(safeNextPath(bad)).toBe("/");
    }
  });
  it("builds the login URL with an encoded next", () => {
    expect(loginUrl("/patients?x=1")).toBe("/login?next=%2Fpatients%3Fx%3D1");
    expect(loginUrl("/")).toBe("/login");
  });
});
