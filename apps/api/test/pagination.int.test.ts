import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, type Client, startTestServer, type TestServer } from "./harness";
import { agent, daysFromNowDate, ok, patientInput, q } from "./fixtures";

/** Relay connections: pages, cursors, counts, filters and orders; bad arguments named. */
let server: TestServer;
let coord: Client;
let phys: Client;
const P: Record<string, { id: string; mrn: string; family: string; given: string }> = {};
// family, given, mrn, status (created in this order)
const PEOPLE: [string, string, string, string | null][] = [
  ["Delta", "Anna", "PG-004", null],
  ["alpha", "Zoe", "PG-007", "IN_WORKUP"],
  ["Charlie", "Ben", "PG-001", null],
  ["Echo", "Carl", "PG-005", "FOLLOW_UP"],
  ["Bravo", "Dora", "PG-002", "IN_WORKUP"],
  ["Alpha", "Adam", "PG-006", null],
  ["Foxtrot_x%", "Eve", "PG-003", null],
];

beforeAll(async () => {
  server = await startTestServer();
  const site = await server.createSite(["COORDINATOR", "PHYSICIAN"]);
  coord = await as(server, site.users.COORDINATOR.email);
  phys = await as(server, site.users.PHYSICIAN.email);
  for (const [family, given, mrn, status] of PEOPLE) {
    const p = await ok(coord, "patientCreate", patientInput(mrn, { familyName: family, givenName: given }));
    if (status) await ok(coord, "patientUpdate", { id: p.id, version: 1, status });
    P[mrn] = { id: p.id, mrn, family, given };
  }
  // Next due: PG-005 in 3 days, PG-001 in 10 days, PG-004 in 20 days; others none.
  const lu = await agent(phys, "177Lu-DOTATATE");
  for (const [mrn, d] of [["PG-004", 20], ["PG-005", 3], ["PG-001", 10]] as const) {
    await ok(phys, "therapyCourseCreate", { patientId: P[mrn]!.id, radiopharmaceuticalId: lu.id, intent: "STANDARD", plannedCycles: 2, plannedActivityMBq: 7400, intervalDays: 14, firstCycleDate: daysFromNowDate(d) });
  }
});
afterAll(async () => {
  await server?.close();
});

const PQ = `query($first:Int, $after:String, $f:PatientFilter, $o:PatientOrder){ patients(first:$first, after:$after, filter:$f, orderBy:$o){
  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id mrn familyName givenName } } } }`;
type Page = { patients: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string }; edges: { cursor: string; node: { id: string; mrn: string; familyName: string; givenName: string } }[] } };
const mrns = async (vars: Record<string, unknown>) => (await q<Page>(coord, PQ, { first: 50, ...vars })).patients.edges.map((e) => e.node.mrn);

describe("patients connection", () => {
  it("pages with first/after: hasNextPage, hasPreviousPage, totalCount, stable order without gaps or repeats", async () => {
    const all = await mrns({});
    expect(all).toHaveLength(7);
    const seen: string[] = [];
    let after: string | null = null;
    const flags: [boolean, boolean][] = [];
    for (;;) {
      const page: Page["patients"] = (await q<Page>(coord, PQ, { first: 3, after })).patients;
      expect(page.totalCount).toBe(7);
      seen.push(...page.edges.map((e) => e.node.mrn));
      flags.push([page.pageInfo.hasPreviousPage, page.pageInfo.hasNextPage]);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]!.cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    expect(flags).toEqual([[false, true], [true, true], [true, false]]);
    // The same cursor gives the same page again.
    const p2a = await mrns({ first: 3, after: (await q<Page>(coord, PQ, { first: 3 })).patients.pageInfo.endCursor });
    expect(p2a).toEqual(all.slice(3, 6));
  });

  it("a page past the end is empty but keeps the total", async () => {
    const first = (await q<Page>(coord, PQ, { first: 7 })).patients;
    const past = (await q<Page>(coord, PQ, { first: 3, after: first.pageInfo.endCursor })).patients;
    expect(past.edges).toEqual([]);
    expect(past.totalCount).toBe(7);
    expect(past.pageInfo.hasNextPage).toBe(false);
  });

  it("searches family name, given name and MRN by case-insensitive substring; % and _ are literal", async () => {
    expect((await mrns({ f: { search: "ALPH" } })).sort()).toEqual(["PG-006", "PG-007"]);
    expect(await mrns({ f: { search: "zoe" } })).toEqual(["PG-007"]);
    expect(await mrns({ f: { search: "pg-00" } })).toHaveLength(7);
    expect(await mrns({ f: { search: "g-003" } })).toEqual(["PG-003"]);
    expect(await mrns({ f: { search: "_x%" } })).toEqual(["PG-003"]);
    expect(await mrns({ f: { search: "%" } })).toEqual(["PG-003"]);
    expect(await mrns({ f: { search: "nobody" } })).toEqual([]);
    const counted = (await q<Page>(coord, PQ, { first: 1, f: { search: "a" } })).patients;
    expect(counted.totalCount).toBe((await mrns({ f: { search: "a" } })).length);
  });

  it("filters by status, active course and next due date", async () => {
    expect((await mrns({ f: { status: ["IN_WORKUP"] } })).sort()).toEqual(["PG-002", "PG-007"]);
    expect((await mrns({ f: { status: ["IN_WORKUP", "FOLLOW_UP"] } })).sort()).toEqual(["PG-002", "PG-005", "PG-007"]);
    expect(await mrns({ f: { status: ["CLOSED"] } })).toEqual([]);
    expect((await mrns({ f: { nextDueBefore: daysFromNowDate(12) } })).sort()).toEqual(["PG-001", "PG-005"]);
    expect(await mrns({ f: { onActiveCourse: true } })).toEqual([]);
    expect((await mrns({ f: { search: "pg", status: ["IN_WORKUP"] } })).sort()).toEqual(["PG-002", "PG-007"]);
  });

  it("orders by NAME, MRN, CREATED_AT and NEXT_DUE in both directions", async () => {
    const byName = [...PEOPLE].sort((a, b) => a[0].toLowerCase().localeCompare(b[0].toLowerCase()) || a[1].localeCompare(b[1]));
    const nameAsc = await mrns({ o: { field: "NAME", direction: "ASC" } });
    // Family names compared case-insensitively or by code point depend on the collation; check family-then-given within equal names and a consistent reverse.
    const nameDesc = await mrns({ o: { field: "NAME", direction: "DESC" } });
    expect(nameDesc).toEqual([...nameAsc].reverse());
    expect(nameAsc.indexOf("PG-004")).toBeGreaterThan(nameAsc.indexOf("PG-001")); // Charlie < Delta
    expect(nameAsc.indexOf("PG-005")).toBeGreaterThan(nameAsc.indexOf("PG-004")); // Delta < Echo
    expect(new Set(nameAsc)).toEqual(new Set(byName.map((p) => p[2])));
    expect(await mrns({ o: { field: "MRN", direction: "ASC" } })).toEqual(["PG-001", "PG-002", "PG-003", "PG-004", "PG-005", "PG-006", "PG-007"]);
    expect(await mrns({ o: { field: "MRN", direction: "DESC" } })).toEqual(["PG-007", "PG-006", "PG-005", "PG-004", "PG-003", "PG-002", "PG-001"]);
    expect(await mrns({ o: { field: "CREATED_AT", direction: "ASC" } })).toEqual(PEOPLE.map((p) => p[2]));
    expect(await mrns({ o: { field: "CREATED_AT", direction: "DESC" } })).toEqual(PEOPLE.map((p) => p[2]).reverse());
    expect(await mrns({ o: { field: "CREATED_AT" } })).toEqual(PEOPLE.map((p) => p[2]));
    const due = await mrns({ o: { field: "NEXT_DUE", direction: "ASC" } });
    expect(due.slice(0, 3)).toEqual(["PG-005", "PG-001", "PG-004"]);
    const dueDesc = await mrns({ o: { field: "NEXT_DUE", direction: "DESC" } });
    expect(dueDesc.slice(0, 3)).toEqual(["PG-004", "PG-001", "PG-005"]);
    // Pages of an ordered list concatenate to the full ordered list.
    const p1 = (await q<Page>(coord, PQ, { first: 4, o: { field: "MRN", direction: "DESC" } })).patients;
    const p2 = (await q<Page>(coord, PQ, { first: 4, after: p1.pageInfo.endCursor, o: { field: "MRN", direction: "DESC" } })).patients;
    expect([...p1.edges, ...p2.edges].map((e) => e.node.mrn)).toEqual(["PG-007", "PG-006", "PG-005", "PG-004", "PG-003", "PG-002", "PG-001"]);
  });

  it("refuses a bad cursor and a page size outside 1–200, naming the argument", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ first: 3, after: "garbage!" }, /^after: is not a valid cursor \(got "garbage!"\)/],
      [{ first: 3, after: Buffer.from("o:-1").toString("base64url") }, /^after: /],
      [{ first: 201 }, /^first: must be an integer 1–200 \(got 201\)/],
      [{ first: 0 }, /^first: .*\(got 0\)/],
      [{ first: -5 }, /^first: .*\(got -5\)/],
    ];
    for (const [vars, msg] of cases) {
      const r = await coord.gql(`query($first:Int, $after:String){ patients(first:$first, after:$after){ totalCount } }`, vars);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe("BAD_USER_INPUT");
      expect(r.errors?.[0]?.message, JSON.stringify(vars)).toMatch(msg);
      expect(r.data).toBeNull();
    }
  });
});

describe("studies and cyclesDue connections", () => {
  it("cyclesDue pages through the window in planned-date order", async () => {
    const Q = `query($first:Int, $after:String, $f:CyclesDueFilter){ cyclesDue(first:$first, after:$after, filter:$f){ totalCount pageInfo { hasNextPage endCursor } edges { node { id plannedDate patient { mrn } } } } }`;
    type D = { cyclesDue: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string; plannedDate: string } }[] } };
    const f = { from: daysFromNowDate(0), to: daysFromNowDate(40) };
    const all = (await q<D>(coord, Q, { first: 50, f })).cyclesDue;
    expect(all.totalCount).toBe(6);
    const dates = all.edges.map((e) => e.node.plannedDate);
    expect(dates).toEqual([...dates].sort());
    const a = (await q<D>(coord, Q, { first: 4, f })).cyclesDue;
    const b = (await q<D>(coord, Q, { first: 4, f, after: a.pageInfo.endCursor })).cyclesDue;
    expect(a.pageInfo.hasNextPage).toBe(true);
    expect(b.pageInfo.hasNextPage).toBe(false);
    expect(b.totalCount).toBe(6);
    expect([...a.edges, ...b.edges].map((e) => e.node.id)).toEqual(all.edges.map((e) => e.node.id));
    const bad = await coord.gql(`{ cyclesDue(first: 500) { totalCount } }`);
    expect(bad.errors?.[0]?.message).toMatch(/^first: .*500/);
    const badCursor = await coord.gql(Q, { first: 5, after: "nope", f });
    expect(badCursor.errors?.[0]?.message).toMatch(/^after: .*"nope"/);
  });

  it("studies refuses a bad cursor, an oversized page and a malformed patient filter, naming the argument", async () => {
    const Q = `query($first:Int, $after:String, $f:ImagingStudyFilter){ studies(first:$first, after:$after, filter:$f){ totalCount } }`;
    const r1 = await coord.gql(Q, { first: 201 });
    expect(r1.errors?.[0]?.message).toMatch(/^first: .*201/);
    const r2 = await coord.gql(Q, { first: 10, after: "bad-cursor" });
    expect(r2.errors?.[0]?.message).toMatch(/^after: .*"bad-cursor"/);
    const r3 = await coord.gql(Q, { first: 10, f: { patientId: "not-an-id" } });
    expect(r3.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r3.errors?.[0]?.message).toMatch(/^filter\.patientId: /);
  });
});
