import { randomUUID } from "node:crypto";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import express, { type Express } from "express";
import type { Db } from "@lutetia/db";
import type { Config } from "./config";
import { SESSION_COOKIE, SessionService } from "./auth/session.service";
import { RequestContext } from "./graphql/context";
import { auditFlush } from "./graphql/plugins/audit";
import { errorReporting, formatError } from "./graphql/plugins/errors";
import { costLimit, depthLimit } from "./graphql/plugins/limits";
import { buildSchema } from "./graphql/schema";
import { calendarRoute } from "./modules/pathway/calendar.service";
import { dosimetryRouter } from "./modules/dosimetry/dosimetry.routes";
import { responseCsvRoute } from "./modules/response/response.csv";
import type { Logger } from "./shared/logger";
import { dicomwebRouter } from "./dicomweb/router";
import { boardsRouter } from "./modules/boards/boards.routes";
import { configureBoardImaging } from "./modules/boards/mip";
import { LocalFileStorage } from "./storage/storage";

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/**
 * Composition of the HTTP app: /graphql (Apollo, CSRF prevention, limits, masked errors,
 * audit), /healthz. The caller owns the database and the listening socket.
 */
export async function createApp(deps: { config: Config; db: Db; logger: Logger }): Promise<{ app: Express; stop: () => Promise<void>; storage: LocalFileStorage }> {
  const { config, db, logger } = deps;
  const sessions = new SessionService(db, config.session);
  const schema = buildSchema();
  const apollo = new ApolloServer<RequestContext>({
    schema,
    csrfPrevention: true,
    introspection: config.graphql.introspection,
    includeStacktraceInErrorResponses: false,
    validationRules: [depthLimit(config.graphql.maxDepth)],
    formatError,
    plugins: [
      costLimit(schema, config.graphql.maxCost),
      auditFlush(),
      errorReporting(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });
  app.get("/calendar/:file", calendarRoute(db));
  // DICOMweb (STOW/QIDO/WADO-RS) and the web upload endpoint: same session, scope and audit.
  const storage = await new LocalFileStorage(config.imaging.storageDir).init();
  await storage.cleanTemp();
  const contextFor = async (req: express.Request, res: express.Response) =>
    new RequestContext(randomUUID(), await sessions.resolve(readCookie(req.headers.cookie, SESSION_COOKIE)), db, sessions, config, logger, res);
  const dicomweb = dicomwebRouter({
    storage,
    limits: { maxRequestBytes: config.imaging.maxRequestBytes, maxFiles: config.imaging.maxFiles, maxFileBytes: config.imaging.maxFileBytes },
    tmpDir: `${storage.root}/tmp`,
    logger,
    contextFor,
  });
  app.use("/dicomweb", dicomweb.dicomweb);
  app.use("/api/uploads", dicomweb.uploads);
  app.use("/api/dosimetry", dosimetryRouter({ contextFor, logger }));
  app.get("/api/response/:id/lesions.csv", responseCsvRoute(contextFor));
  // Tumour boards: the one-pager PDF export, and the object store for server-side MIP key images.
  configureBoardImaging(storage);
  app.use("/api/boards", boardsRouter({ contextFor, logger }));
  app.use(
    "/graphql",
    express.json({ limit: config.graphql.bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = randomUUID();
        const actor = await sessions.resolve(readCookie(req.headers.cookie, SESSION_COOKIE));
        return new RequestContext(requestId, actor, db, sessions, config, logger, res);
      },
    }),
  );
  // Body too large / malformed JSON: a clear 4xx, no stack.
  app.use((err: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (err.status && err.status < 500) {
      res.status(err.status).json({ errors: [{ message: err.type === "entity.too.large" ? "Request body too large" : "Bad request", extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    next(err);
  });
  return {
    app,
    storage,
    stop: async () => {
      await apollo.stop();
      await storage.close();
    },
  };
}
