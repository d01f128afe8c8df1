import express, { type Request, type Response, type Router } from "express";
import { GraphQLError } from "graphql";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import type { Logger } from "../../shared/logger";
import { siteOf } from "../pathway/pathway.repo";
import { BoardService } from "./boards.service";
import { renderOnePagerPdf } from "./pdf";

/**
 * GET /api/boards/cases/:caseId/one-pager.pdf — the case one-pager as PDF (the snapshot when
 * frozen, else live data). Same session cookie, site scope and audit as /graphql: an unknown or
 * other-site case answers 404 (audited as DENIED); every export leaves a `board.case.export_pdf`
 * row. Only the opaque case ID is in the URL; the file name carries no PHI.
 */
export function boardsRouter(deps: { contextFor: (req: Request, res: Response) => Promise<RequestContext>; logger: Logger }): Router {
  const router = express.Router();
  router.get("/cases/:caseId/one-pager.pdf", async (req, res) => {
    let ctx: RequestContext | null = null;
    try {
      ctx = await deps.contextFor(req, res);
      const actor = ctx.requireActor();
      const caseId = String(req.params.caseId);
      const r = await BoardService.pagerForExport(ctx, caseId);
      if (!r) {
        await ctx.flushAudit();
        res.status(404).json({ error: "Case not found" });
        return;
      }
      const site = await siteOf(ctx.db, actor.siteId);
      const pdf = await renderOnePagerPdf({ pager: r.content, meeting: r.meeting, caseRow: r.caseRow, contentHash: r.contentHash, frozenAt: r.frozenAt, generatedAt: r.generatedAt, decisions: r.decisions, siteTimeZone: site.timeZone });
      await appendAudit(ctx.db, [{ ...ctx.writeEntry("board.case.export_pdf", "BoardCase", r.caseRow.id, r.caseRow.patientId, { frozen: !!r.frozenAt, contentHash: r.contentHash }) }]);
      await ctx.flushAudit();
      res.setHeader("content-type", "application/pdf");
      res.setHeader("content-disposition", `attachment; filename="one-pager-${caseId.replace(/[^A-Za-z0-9_-]/g, "")}.pdf"`);
      res.setHeader("cache-control", "no-store");
      res.setHeader("referrer-policy", "no-referrer");
      res.end(pdf);
    } catch (e) {
      if (ctx) await ctx.flushAudit().catch(() => undefined);
      if (e instanceof GraphQLError) {
        const code = e.extensions.code;
        res.status(code === "UNAUTHENTICATED" ? 401 : code === "FORBIDDEN" ? 403 : 400).json({ error: e.message, code });
        return;
      }
      deps.logger.error({ err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "board pdf export failed");
      res.status(500).json({ error: "Internal error" });
    }
  });
  return router;
}
