import { describe, expect, it } from "vitest";
import { ACTIONS, can, PERMISSION_MATRIX, permissionsOf, ROLES, type Action, type Role } from "./permissions";
import { expectedAllowed, TRUTH_TABLE, TRUTH_TABLE_ROLES } from "../../test/permission-truth-table";

describe("permission matrix (pure)", () => {
  it("covers exactly the actions and roles of the written truth table", () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(TRUTH_TABLE).sort());
    expect([...ROLES]).toEqual([...TRUTH_TABLE_ROLES]);
    expect(Object.keys(PERMISSION_MATRIX).sort()).toEqual([...ACTIONS].sort());
  });

  const cells = ACTIONS.flatMap((a) => ROLES.map((r) => [a, r] as const));
  it.each(cells)("%s for %s matches the truth table", (action, role) => {
    expect(can([role], action)).toBe(expectedAllowed(action, role));
  });

  it("a user with several roles gets the union; no roles gets nothing; unknown actions are denied", () => {
    expect(can(["VIEWER", "PHYSICIST"], "lesion:write")).toBe(true);
    expect(can(["VIEWER", "PHYSICIST"], "patient:write")).toBe(false);
    for (const a of ACTIONS) expect(can([], a)).toBe(false);
    expect(can([...ROLES], "nuclear:launch" as Action)).toBe(false);
    expect(can(["SUPERUSER" as Role], "patient:read")).toBe(false);
  });

  it("permissionsOf lists exactly the allowed actions, in matrix order", () => {
    for (const r of ROLES) {
      expect(permissionsOf([r])).toEqual(ACTIONS.filter((a) => expectedAllowed(a, r)));
    }
    expect(permissionsOf(["VIEWER"])).toEqual(["patient:read"]);
    expect(permissionsOf([])).toEqual([]);
  });
});
