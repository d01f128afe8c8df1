import { eq } from "drizzle-orm";
import { z } from "zod";
import { appUser, membership, site } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { hashPassword, passwordProblem } from "../../auth/password";
import { UserInputProblem } from "../../shared/errors";
import { ROLES } from "../../shared/permissions";
import { parseInput } from "../../shared/validation";
import { nonEmpty } from "../../shared/zod";

const CreateInput = z.object({
  email: z.string().trim().toLowerCase().email("must be an e-mail address"),
  displayName: nonEmpty(100),
  password: z.string(),
  roles: z.array(z.enum(ROLES)).min(1, "must list at least one role"),
});

export const UserService = {
  /** ADMIN: creates a user with roles at the admin's site. Audited (no password in the row). */
  async create(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("user:admin");
    const v = parseInput(CreateInput, input);
    const pw = passwordProblem(v.password);
    if (pw) throw UserInputProblem.of(["input", "password"], pw);
    const existing = await ctx.db.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, v.email));
    if (existing.length) throw UserInputProblem.of(["input", "email"], `is already registered (got ${JSON.stringify(v.email)})`, "DUPLICATE");
    const passwordHash = await hashPassword(v.password);
    return ctx.db.transaction(async (tx) => {
      const [u] = await tx.insert(appUser).values({ email: v.email, displayName: v.displayName, passwordHash }).returning();
      await tx.insert(membership).values([...new Set(v.roles)].map((role) => ({ userId: u!.id, siteId: actor.siteId, role })));
      await appendAudit(tx, [ctx.writeEntry("user.create", "User", u!.id, null, { roles: v.roles })]);
      return u!;
    });
  },

  async byId(ctx: RequestContext, userId: string) {
    const [u] = await ctx.db.select().from(appUser).where(eq(appUser.id, userId));
    return u ?? null;
  },

  async site(ctx: RequestContext, siteId: string) {
    const [s] = await ctx.db.select().from(site).where(eq(site.id, siteId));
    return s ?? null;
  },
};
