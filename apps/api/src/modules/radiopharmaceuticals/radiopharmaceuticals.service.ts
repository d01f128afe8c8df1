import { and, asc, eq, isNull, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { radiopharmaceutical } from "@lutetia/db";
import { getNuclide } from "@lutetia/quantification";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { parseInput } from "../../shared/validation";
import { updateVersioned } from "../../shared/versioned";
import { nonEmpty, version } from "../../shared/zod";

const CreateInput = z.object({
  name: nonEmpty(100),
  nuclide: nonEmpty(20),
  use: z.enum(["PET", "SPECT", "THERAPY"]),
  target: z.enum(["SSTR", "GLUCOSE", "AADC", "SEROTONIN", "OTHER"]),
});

export const RadiopharmaceuticalService = {
  /** Shipped catalogue + this site's agents. Reference data, readable by every signed-in user. */
  async list(ctx: RequestContext, args: { use?: "PET" | "SPECT" | "THERAPY" | null; includeInactive?: boolean | null }) {
    const actor = ctx.requireActor();
    const where: SQL[] = [or(isNull(radiopharmaceutical.siteId), eq(radiopharmaceutical.siteId, actor.siteId))!];
    if (args.use) where.push(eq(radiopharmaceutical.use, args.use));
    if (!args.includeInactive) where.push(eq(radiopharmaceutical.active, true));
    return ctx.db.select().from(radiopharmaceutical).where(and(...where)).orderBy(asc(radiopharmaceutical.use), asc(radiopharmaceutical.name));
  },

  /** ADMIN: adds a site agent; the half-life and its source come from the nuclide table. */
  async create(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("radiopharmaceutical:write");
    const v = parseInput(CreateInput, input);
    let n;
    try {
      n = getNuclide(v.nuclide);
    } catch (e) {
      throw UserInputProblem.of(["input", "nuclide"], (e as Error).message);
    }
    const clash = await ctx.db
      .select({ id: radiopharmaceutical.id })
      .from(radiopharmaceutical)
      .where(and(eq(radiopharmaceutical.name, v.name), or(isNull(radiopharmaceutical.siteId), eq(radiopharmaceutical.siteId, actor.siteId))));
    if (clash.length) throw UserInputProblem.of(["input", "name"], `already exists in the catalogue (got ${JSON.stringify(v.name)})`, "DUPLICATE");
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(radiopharmaceutical)
        .values({ siteId: actor.siteId, name: v.name, nuclide: n.id, halfLifeS: n.halfLifeS, halfLifeSource: n.source, use: v.use, target: v.target })
        .returning();
      await appendAudit(tx, [ctx.writeEntry("radiopharmaceutical.create", "Radiopharmaceutical", row!.id, null)]);
      return row!;
    });
  },

  /** ADMIN: (de)activates a site agent. Shipped entries are shared by all sites and cannot be changed here. */
  async setActive(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("radiopharmaceutical:write");
    const v = parseInput(z.object({ id: z.string(), version, active: z.boolean() }), input);
    const id = idOf(v.id, "Radiopharmaceutical");
    if (!id) throw UserInputProblem.of(["input", "id"], "Radiopharmaceutical not found", "NOT_FOUND");
    return ctx.db.transaction(async (tx) => {
      const row = await updateVersioned(tx, radiopharmaceutical, "Radiopharmaceutical", {
        id, siteId: actor.siteId, expectedVersion: v.version, patch: { active: v.active }, actorUserId: actor.userId,
      }).catch((e) => {
        if (e instanceof UserInputProblem) {
          // Another site's agent (or a shipped one) is out of this admin's scope: audited as denied.
          if (e.errors[0]?.code === "NOT_FOUND") ctx.recordOutOfScope("Radiopharmaceutical", id, "radiopharmaceutical.setActive");
          throw new UserInputProblem(e.errors.map((x) => ({ ...x, field: ["input", ...x.field] })));
        }
        throw e;
      });
      await appendAudit(tx, [ctx.writeEntry("radiopharmaceutical.setActive", "Radiopharmaceutical", id, null, { active: v.active })]);
      return row;
    });
  },
};
