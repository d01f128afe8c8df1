import { projectDataDir } from "@lutetia/db";
import { z } from "zod";

/** Environment, parsed and validated once. Nothing else reads process.env. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Unset or pglite://<dir> → embedded PGlite; postgres://… → PostgreSQL. */
  DATABASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Idle timeout of a session, minutes. */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** Absolute lifetime of a session, hours, whatever the activity. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(12),
  /** Cookie `Secure` flag; defaults to true in production. */
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  /** Max JSON body of a GraphQL request. */
  GRAPHQL_BODY_LIMIT: z.string().default("1mb"),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(10),
  GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(10000),
  /** Seed demo data on first start when the database is empty (never in production). */
  SEED_DEMO: z.enum(["true", "false"]).default("true"),
  /** Local content-addressed DICOM storage directory. */
  /** Defaults to `<repository root>/.data/dicom`. */
  DICOM_STORAGE_DIR: z.string().optional(),
  /** Max bytes of one STOW-RS / upload request (all files together). */
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(4 * 1024 ** 3),
  /** Max number of files (DICOM parts or zip entries) in one request. */
  UPLOAD_MAX_FILES: z.coerce.number().int().positive().default(10000),
  /** Max bytes of one DICOM file. */
  UPLOAD_MAX_FILE_BYTES: z.coerce.number().int().positive().default(1024 ** 3),
  /** Run the in-process quantification job worker. */
  JOB_WORKER: z.enum(["true", "false"]).default("true"),
  /** Worker poll interval, ms. */
  JOB_POLL_MS: z.coerce.number().int().positive().default(1000),
  /** A RUNNING job whose heartbeat is older than this is re-queued, s. */
  JOB_STALE_SECONDS: z.coerce.number().int().positive().default(60),
  /** Dosimetry ledger limit policy (README "Dosimetry workspace"): a named policy of @lutetia/quantification. */
  DOSIMETRY_LIMIT_POLICY: z.enum(["kidney-23Gy-BED28Gy-marrow-2Gy", "kidney-23Gy-BED40Gy-marrow-2Gy", "kidney-27Gy-marrow-2Gy"]).default("kidney-23Gy-BED28Gy-marrow-2Gy"),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join(".")}: ${i.message}`)
      .join("; ");
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  return {
    env: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.API_PORT,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    session: {
      idleMs: e.SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
      cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === "true" : production,
    },
    graphql: {
      bodyLimit: e.GRAPHQL_BODY_LIMIT,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxCost: e.GRAPHQL_MAX_COST,
      introspection: !production,
    },
    seedDemo: e.SEED_DEMO === "true" && !production,
    imaging: {
      storageDir: e.DICOM_STORAGE_DIR ?? projectDataDir("dicom"),
      maxRequestBytes: e.UPLOAD_MAX_BYTES,
      maxFiles: e.UPLOAD_MAX_FILES,
      maxFileBytes: e.UPLOAD_MAX_FILE_BYTES,
    },
    dosimetry: { limitPolicy: e.DOSIMETRY_LIMIT_POLICY },
    jobs: {
      worker: e.JOB_WORKER === "true",
      pollMs: e.JOB_POLL_MS,
      staleMs: e.JOB_STALE_SECONDS * 1000,
    },
  };
}
