import pino from "pino";

/**
 * Structured logger. Redacts anything that could carry PHI or secrets; the app never logs
 * record contents, only ids, codes and request ids.
 */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: "lutetia-api" },
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        "*.password",
        "*.familyName",
        "*.givenName",
        "*.birthDate",
        "*.mrn",
        "variables",
        "*.variables",
      ],
      censor: "[redacted]",
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
