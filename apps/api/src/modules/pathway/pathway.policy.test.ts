import { describe, expect, it } from "vitest";
import { can, ROLES, type Action, type Role } from "../../shared/permissions";
import { initialsOf, mayRevokeFeed } from "./pathway.policy";
import { templatePathToField } from "./templates.service";

describe("care-pathway permissions (role × action truth table, default deny)", () => {
  const table: Record<"schedule:write" | "decision:write" | "protocol:admin" | "patient:read", Role[]> = {
    "schedule:write": ["COORDINATOR", "PHYSICIAN"],
    "decision:write": ["PHYSICIAN"],
    "protocol:admin": ["ADMIN"],
    "patient:read": ["ADMIN", "COORDINATOR", "PHYSICIAN", "PHYSICIST", "BOARD_MEMBER", "VIEWER"],
  };
  for (const [action, allowed] of Object.entries(table)) {
    for (const role of ROLES) {
      it(`${role} ${allowed.includes(role) ? "may" : "may not"} ${action}`, () => {
        expect(can([role], action as Action)).toBe(allowed.includes(role));
      });
    }
  }
  it("an own feed may be revoked; another's only by an ADMIN", () => {
    expect(mayRevokeFeed({ userId: "u1", roles: ["VIEWER"] }, { userId: "u1" })).toBe(true);
    expect(mayRevokeFeed({ userId: "u2", roles: ["COORDINATOR", "PHYSICIAN"] }, { userId: "u1" })).toBe(false);
    expect(mayRevokeFeed({ userId: "u2", roles: ["ADMIN"] }, { userId: "u1" })).toBe(true);
  });
});

describe("calendar initials policy", () => {
  it("gives initials, never the name", () => {
    expect(initialsOf("anna", "de Vries")).toBe("A.D.");
    expect(initialsOf("Émile", "Østergaard")).toBe("É.Ø.");
    expect(initialsOf("  ", "")).toBe("?.?.");
  });
});

describe("template validation paths → GraphQL input fields", () => {
  it.each([
    ["cycles", ["input", "cycles"]],
    ["interval.days", ["input", "intervalDays"]],
    ["interval.toleranceDays", ["input", "intervalToleranceDays"]],
    ["events[3].window.before.days", ["input", "events", "3", "windowBefore", "days"]],
    ["events[0].window.after", ["input", "events", "0", "windowAfter"]],
    ["events[1].repeat.count", ["input", "events", "1", "repeatCount"]],
    ["events[2].offset.hours", ["input", "events", "2", "offset", "hours"]],
    ["", ["input"]],
  ])("%s", (path, field) => {
    expect(templatePathToField(path)).toEqual(field);
  });
});
