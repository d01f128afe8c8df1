/**
 * GET exports of the dosimetry module (authenticated by the session cookie, site-scoped, audited):
 *   /api/dosimetry/records/:recordId/report.pdf      per-cycle report
 *   /api/dosimetry/patients/:patientId/report.pdf    cumulative report (?policy=)
 *   /api/dosimetry/patients/:patientId/ledger.csv    dose ledger CSV (?policy=)
 * Only opaque global IDs appear in the URLs; file names carry no PHI.
 */
import express, { type Request, type Response, type Router } from "express";
import { GraphQLError } from "graphql";
import { eq, inArray } from "drizzle-orm";
import { appUser, dosimetryRecord, lesion, patient, therapyCourse, therapyCycle } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { UserInputProblem } from "../../shared/errors";
import { loadInScope } from "../../shared/records";
import type { Logger } from "../../shared/logger";
import { DosimetryService } from "./dosimetry.service";
import { resultsOf } from "./dosimetry.ledger";
import { cumulativeReportPdf, cycleReportPdf, ledgerCsv } from "./dosimetry.report";

export function dosimetryRouter(deps: { contextFor: (req: Request, res: Response) => Promise<RequestContext>; logger: Logger }): Router {
  const r = express.Router();
  const handle = (fn: (ctx: RequestContext, req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    let ctx: RequestContext | null = null;
    try {
      ctx = await deps.contextFor(req, res);
      await fn(ctx, req, res);
    } catch (e) {
      await ctx?.flushAudit().catch(() => undefined);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof UserInputProblem) {
        const nf = e.errors.some((x) => x.code === "NOT_FOUND");
        res.status(nf ? 404 : 400).json({ error: nf ? "not found" : e.message, code: nf ? "NOT_FOUND" : "BAD_USER_INPUT" });
        return;
      }
      if (e instanceof GraphQLError) {
        const code = e.extensions.code;
        res.status(code === "UNAUTHENTICATED" ? 401 : code === "FORBIDDEN" ? 403 : 400).json({ error: e.message, code });
        return;
      }
      deps.logger.error({ err: e instanceof Error ? { message: e.message, stack: e.stack } : String(e) }, "dosimetry export error");
      res.status(500).json({ error: "Internal error" });
    }
  };
  const audit = async (ctx: RequestContext, action: string, entityType: string, entityId: string, patientId: string) => {
    await appendAudit(ctx.db, [ctx.writeEntry(action, entityType, entityId, patientId)]);
    await ctx.flushAudit();
  };
  const send = (res: Response, type: string, name: string, body: Buffer | string) => {
    res.status(200).set({ "Content-Type": type, "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" }).send(body);
  };
  const policyOf = (req: Request) => (typeof req.query.policy === "string" ? req.query.policy : null);

  r.get(
    "/records/:id/report.pdf",
    handle(async (ctx, req, res) => {
      ctx.authorize("patient:read");
      const rec = await loadInScope(ctx, dosimetryRecord, "DosimetryRecord", String(req.params.id), ["id"]);
      ctx.recordRead("DosimetryRecord", rec.id, rec.patientId);
      const [p] = await ctx.db.select().from(patient).where(eq(patient.id, rec.patientId));
      const ledger = await DosimetryService.ledgerForPatientId(ctx, rec.patientId, policyOf(req));
      const cyc = ledger.cycles.find((c) => c.cycleId === rec.cycleId);
      const [signer] = rec.signedBy ? await ctx.db.select({ name: appUser.displayName }).from(appUser).where(eq(appUser.id, rec.signedBy)) : [];
      const lesionIds = rec.vois.map((v) => v.lesionId).filter((x): x is string => !!x);
      const labels = lesionIds.length ? await ctx.db.select({ id: lesion.id, label: lesion.label }).from(lesion).where(inArray(lesion.id, lesionIds)) : [];
      const [cycle] = await ctx.db.select({ number: therapyCycle.number }).from(therapyCycle).where(eq(therapyCycle.id, rec.cycleId));
      const pdf = await cycleReportPdf({
        patient: p!, record: rec, results: resultsOf(rec), cycleNumber: cycle?.number ?? 0, courseOrdinal: cyc?.courseOrdinal ?? 1,
        signedByName: signer?.name ?? null, ledger, lesionLabels: Object.fromEntries(labels.map((l) => [l.id, l.label])),
      });
      await audit(ctx, "dosimetry.export.pdf", "DosimetryRecord", rec.id, rec.patientId);
      send(res, "application/pdf", `dosimetry-cycle-${cycle?.number ?? 0}-r${rec.revision}.pdf`, pdf);
    }),
  );
  r.get(
    "/patients/:id/report.pdf",
    handle(async (ctx, req, res) => {
      ctx.authorize("patient:read");
      const { patient: p, ledger } = await DosimetryService.ledger(ctx, String(req.params.id), policyOf(req));
      const pdf = await cumulativeReportPdf({ patient: p, ledger });
      await audit(ctx, "dosimetry.export.cumulative_pdf", "Patient", p.id, p.id);
      send(res, "application/pdf", "dosimetry-cumulative.pdf", pdf);
    }),
  );
  r.get(
    "/patients/:id/ledger.csv",
    handle(async (ctx, req, res) => {
      ctx.authorize("patient:read");
      const { patient: p, ledger } = await DosimetryService.ledger(ctx, String(req.params.id), policyOf(req));
      const courseIds = [...new Set(ledger.cycles.map((c) => c.courseId))];
      const courses = courseIds.length ? await ctx.db.select({ id: therapyCourse.id, intent: therapyCourse.intent }).from(therapyCourse).where(inArray(therapyCourse.id, courseIds)) : [];
      const csv = ledgerCsv(ledger, (id) => courses.find((c) => c.id === id)?.intent ?? "");
      await audit(ctx, "dosimetry.export.csv", "Patient", p.id, p.id);
      send(res, "text/csv; charset=utf-8", "dose-ledger.csv", csv);
    }),
  );
  return r;
}
