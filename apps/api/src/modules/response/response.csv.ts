import type { Request, Response } from "express";
import type { RequestContext } from "../../graphql/context";
import { ResponseService } from "./response.service";

/**
 * GET /api/response/:id/lesions.csv — the lesion table of one response assessment as CSV
 * (RFC 4180, units in the headers). Same session, site scope and audit as GraphQL: an
 * unauthenticated caller gets 401, an id outside the caller's site 404 (audited as denied),
 * a success leaves a `ResponseAssessmentExport.read` audit row. Only the opaque id is in the URL.
 */
export function responseCsvRoute(contextFor: (req: Request, res: Response) => Promise<RequestContext>) {
  return async (req: Request, res: Response) => {
    let ctx: RequestContext | null = null;
    try {
      ctx = await contextFor(req, res);
      if (!ctx.actor) {
        res.status(401).json({ error: "Authentication required", code: "UNAUTHENTICATED" });
        return;
      }
      const out = await ResponseService.csv(ctx, String(req.params.id ?? ""));
      await ctx.flushAudit();
      if (!out) {
        res.status(404).json({ error: "Response assessment not found", code: "NOT_FOUND" });
        return;
      }
      res.setHeader("content-type", "text/csv; charset=utf-8; header=present");
      res.setHeader("content-disposition", `attachment; filename="${out.filename}"`);
      res.setHeader("cache-control", "no-store");
      res.send(out.body);
    } catch (e) {
      const code = (e as { extensions?: { code?: string } }).extensions?.code;
      if (ctx) await ctx.flushAudit().catch(() => undefined);
      if (code === "FORBIDDEN") res.status(403).json({ error: "Not allowed", code });
      else {
        ctx?.logger.error({ err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "response csv error");
        res.status(500).json({ error: "Internal error" });
      }
    }
  };
}
