import { and, asc, count, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { appUser, membership, site } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { hashPassword, passwordProblem } from "../../auth/password";
import { UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { decodeCursor, pageSize, toConnection } from "../../shared/records";
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

const UpdateInput = z.object({
  id: z.string(),
  version: z.number().int().min(1, "must be ≥ 1"),
  displayName: nonEmpty(100).nullish(),
  active: z.boolean().nullish(),
  roles: z.array(z.enum(ROLES)).min(1, "must list at least one role").nullish(),
});

export const UserAdminService = {
  /** ADMIN: users with a membership at the admin's site, ordered by display name. */
  async list(ctx: RequestContext, args: { first?: number | null; after?: string | null }) {
    const actor = ctx.authorize("user:admin");
    const first = pageSize(args.first);
    const offset = decodeCursor(args.after);
    const inSite = ctx.db.selectDistinct({ userId: membership.userId }).from(membership).where(eq(membership.siteId, actor.siteId));
    const [rows, [total]] = await Promise.all([
      ctx.db.select().from(appUser).where(inArray(appUser.id, inSite)).orderBy(asc(appUser.displayName), asc(appUser.id)).offset(offset).limit(first + 1),
      ctx.db.select({ n: count() }).from(appUser).where(inArray(appUser.id, inSite)),
    ]);
    return toConnection(rows, offset, first, total?.n ?? 0);
  },

  /** Roles of a user at the viewer's site. */
  async rolesAtSite(ctx: RequestContext, userId: string) {
    const actor = ctx.requireActor();
    const rows = await ctx.db.select({ role: membership.role }).from(membership).where(and(eq(membership.userId, userId), eq(membership.siteId, actor.siteId)));
    return rows.map((r) => r.role).sort();
  },

  /**
   * ADMIN: renames, (de)activates or replaces the roles of a user of the admin's site, with
   * optimistic locking on the user row; audited. An admin cannot deactivate or demote themself
   * (the site would risk having no administrator).
   */
  async update(ctx: RequestContext, input: unknown) {
    const actor = ctx.authorize("user:admin");
    const v = parseInput(UpdateInput, input);
    const id = idOf(v.id, "User");
    const member = id ? await ctx.db.select({ id: membership.id }).from(membership).where(and(eq(membership.userId, id), eq(membership.siteId, actor.siteId))).limit(1) : [];
    if (!id || member.length === 0) {
      if (id) ctx.recordOutOfScope("User", id, "user.update");
      throw UserInputProblem.of(["input", "id"], "User not found at this site", "NOT_FOUND");
    }
    if (id === actor.userId && (v.active === false || (v.roles && !v.roles.includes("ADMIN")))) {
      throw UserInputProblem.of(["input", v.active === false ? "active" : "roles"], "you cannot deactivate yourself or remove your own ADMIN role");
    }
    return ctx.db.transaction(async (tx) => {
      const [cur] = await tx.select().from(appUser).where(eq(appUser.id, id)).for("update");
      if (!cur) throw UserInputProblem.of(["input", "id"], "User not found at this site", "NOT_FOUND");
      if (cur.version !== v.version) {
        throw UserInputProblem.of(["input", "version"], `User was changed by someone else (you edited version ${v.version}, current is ${cur.version}); reload`, "CONFLICT");
      }
      const [u] = await tx
        .update(appUser)
        .set({ displayName: v.displayName ?? cur.displayName, active: v.active ?? cur.active, version: cur.version + 1, updatedAt: new Date() })
        .where(eq(appUser.id, id))
        .returning();
      if (v.roles) {
        await tx.delete(membership).where(and(eq(membership.userId, id), eq(membership.siteId, actor.siteId)));
        await tx.insert(membership).values([...new Set(v.roles)].map((role) => ({ userId: id, siteId: actor.siteId, role })));
      }
      await appendAudit(tx, [ctx.writeEntry("user.update", "User", id, null, { fields: Object.keys(v).filter((k) => k !== "id" && k !== "version" && v[k as keyof typeof v] != null), roles: v.roles ?? undefined })]);
      return u!;
    });
  },
};
