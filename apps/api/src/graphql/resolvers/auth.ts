import type { CookieOptions } from "express";
import type { Resolvers } from "../generated/resolvers-types";
import type { RequestContext } from "../context";
import { SESSION_COOKIE } from "../../auth/session.service";
import { UserInputProblem } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { permissionsOf, type Role } from "../../shared/permissions";
import { UserAdminService, UserService } from "../../modules/users/users.service";
import { gid, payload } from "./util";

function cookieOptions(ctx: RequestContext, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.config.session.cookieSecure,
    path: "/",
    ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}),
  };
}

export const authResolvers: Resolvers = {
  Query: {
    viewer: (_p, _a, ctx) => ctx.actor,
    users: (_p, args, ctx) => UserAdminService.list(ctx, args),
  },
  Mutation: {
    authLogin: (_p, { input }, ctx) =>
      payload("viewer", async () => {
        const r = await ctx.sessions.login(input.email, input.password, input.siteCode ?? undefined, ctx.requestId);
        if (!r) throw UserInputProblem.of(["input", "password"], "E-mail or password is incorrect, or the account has no access to this site", "UNAUTHENTICATED");
        ctx.res?.cookie(SESSION_COOKIE, r.token, cookieOptions(ctx, ctx.config.session.absoluteMs));
        ctx.actor = r.actor;
        return r.actor;
      }),
    authLogout: async (_p, _a, ctx) => {
      const actor = ctx.requireActor();
      await ctx.sessions.logout(actor, ctx.requestId);
      ctx.res?.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
      ctx.actor = null;
      return { ok: true, userErrors: [] };
    },
    viewerSwitchSite: (_p, { input }, ctx) =>
      payload("viewer", async () => {
        const actor = ctx.requireActor();
        const siteId = idOf(input.siteId, "Site");
        const next = siteId ? await ctx.sessions.switchSite(actor, siteId, ctx.requestId) : null;
        if (!next) throw UserInputProblem.of(["input", "siteId"], "You have no membership at this site", "FORBIDDEN");
        ctx.actor = next;
        return next;
      }),
    userCreate: (_p, { input }, ctx) => payload("user", () => UserService.create(ctx, input)),
    userUpdate: (_p, { input }, ctx) => payload("user", () => UserAdminService.update(ctx, input)),
  },
  Viewer: {
    user: async (a, _x, ctx) => (await UserService.byId(ctx, a.userId))!,
    site: async (a, _x, ctx) => (await UserService.site(ctx, a.siteId))!,
    roles: (a) => a.roles,
    permissions: (a) => permissionsOf(a.roles),
    memberships: async (a, _x, ctx) => {
      const rows = await ctx.sessions.membershipsOf(a.userId);
      const bySite = new Map<string, Role[]>();
      for (const r of rows) bySite.set(r.siteId, [...(bySite.get(r.siteId) ?? []), r.role]);
      return Promise.all(
        [...bySite].map(async ([siteId, roles]) => ({ site: (await UserService.site(ctx, siteId))!, roles })),
      );
    },
  },
  Site: { id: gid("Site") },
  User: {
    id: gid("User"),
    roles: (u, _a, ctx) => UserAdminService.rolesAtSite(ctx, u.id),
  },
};
