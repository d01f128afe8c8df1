import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RADIOPHARMACEUTICAL_CATALOGUE } from "@lutetia/db";
import { getNuclide } from "@lutetia/quantification";
import { as, type Client, startTestServer, type TestServer } from "../../../test/harness";
import { catalogue, mutate, ok, siteSnapshot, uniq } from "../../../test/fixtures";

let server: TestServer;
let site: Awaited<ReturnType<TestServer["createSite"]>>;
let admin: Client;
beforeAll(async () => {
  server = await startTestServer();
  site = await server.createSite(["ADMIN", "VIEWER"]);
  admin = await as(server, site.users.ADMIN.email);
});
afterAll(async () => {
  await server?.close();
});

describe("radiopharmaceuticals through /graphql", () => {
  it("lists every shipped catalogue agent with its nuclide half-life", async () => {
    const viewer = await as(server, site.users.VIEWER.email);
    const list = await catalogue(viewer);
    for (const e of RADIOPHARMACEUTICAL_CATALOGUE) {
      const a = list.find((x) => x.name === e.name);
      expect(a, e.name).toBeDefined();
      expect(a).toMatchObject({ use: e.use, shipped: true, active: true });
      const n = getNuclide(e.nuclide);
      expect(a!.nuclide).toBe(n.id);
      expect(Math.abs(a!.halfLifeS - n.halfLifeS) / n.halfLifeS).toBeLessThan(1e-12);
    }
    expect(list.filter((a) => a.shipped)).toHaveLength(RADIOPHARMACEUTICAL_CATALOGUE.length);
    const therapy = await viewer.gql<{ radiopharmaceuticals: { use: string }[] }>(`{ radiopharmaceuticals(use: THERAPY) { use } }`);
    expect(therapy.data!.radiopharmaceuticals.length).toBe(RADIOPHARMACEUTICAL_CATALOGUE.filter((e) => e.use === "THERAPY").length);
  });

  it("admin creates a site agent from a nuclide (half-life and source from the nuclide table), refuses duplicates and unknown nuclides, and (de)activates it", async () => {
    const name = `177Lu-TEST-${uniq()}`;
    const a = await ok<{ nuclide: string; halfLifeS: number; halfLifeSource: string; shipped: boolean; active: boolean }>(admin, "radiopharmaceuticalCreate", {
      name, nuclide: "177Lu", use: "THERAPY", target: "SSTR",
    });
    const lu = getNuclide("Lu-177");
    expect(a).toMatchObject({ nuclide: lu.id, halfLifeSource: lu.source, shipped: false, active: true, version: 1 });
    expect(a.halfLifeS).toBe(lu.halfLifeS);

    const before = await siteSnapshot(server, site.site.id);
    const dup = await mutate(admin, "radiopharmaceuticalCreate", { name, nuclide: "Lu-177", use: "THERAPY", target: "SSTR" });
    expect(dup.userErrors[0]).toMatchObject({ field: ["input", "name"], code: "DUPLICATE" });
    const dupShipped = await mutate(admin, "radiopharmaceuticalCreate", { name: "177Lu-DOTATATE", nuclide: "Lu-177", use: "THERAPY", target: "SSTR" });
    expect(dupShipped.userErrors[0]).toMatchObject({ field: ["input", "name"], code: "DUPLICATE" });
    const unknown = await mutate(admin, "radiopharmaceuticalCreate", { name: `X-${uniq()}`, nuclide: "Xx-999", use: "PET", target: "OTHER" });
    expect(unknown.userErrors[0]).toMatchObject({ field: ["input", "nuclide"], code: "INVALID" });
    expect(unknown.userErrors[0]!.message).toContain("Xx-999");
    expect(await siteSnapshot(server, site.site.id)).toEqual(before);

    const off = await ok<{ active: boolean }>(admin, "radiopharmaceuticalSetActive", { id: a.id, version: 1, active: false });
    expect(off).toMatchObject({ active: false, version: 2 });
    expect((await catalogue(admin, false)).map((x) => x.id)).not.toContain(a.id);
    expect((await catalogue(admin, true)).map((x) => x.id)).toContain(a.id);
    const on = await ok<{ active: boolean }>(admin, "radiopharmaceuticalSetActive", { id: a.id, version: 2, active: true });
    expect(on).toMatchObject({ active: true, version: 3 });

    // Shipped entries are shared by all sites: not changeable through a site's admin.
    const shipped = (await catalogue(admin)).find((x) => x.name === "177Lu-DOTATATE")!;
    const r = await mutate(admin, "radiopharmaceuticalSetActive", { id: shipped.id, version: shipped.version, active: false });
    expect(r.userErrors[0]).toMatchObject({ field: ["input", "id"], code: "NOT_FOUND" });
    expect((await catalogue(admin, false)).map((x) => x.id)).toContain(shipped.id);
  });

  it("a site agent is not visible at another site", async () => {
    const a = await ok(admin, "radiopharmaceuticalCreate", { name: `68Ga-LOCAL-${uniq()}`, nuclide: "Ga-68", use: "PET", target: "SSTR" });
    const other = await server.createSite(["VIEWER"]);
    const v = await as(server, other.users.VIEWER.email);
    expect((await catalogue(v)).map((x) => x.id)).not.toContain(a.id);
    const n = await v.gql<{ node: unknown }>(`query($id:ID!){ node(id:$id){ id } }`, { id: a.id });
    expect(n.data!.node).toBeNull();
  });
});
