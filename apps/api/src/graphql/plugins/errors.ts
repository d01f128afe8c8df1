import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import type { RequestContext } from "../context";
import { UserInputProblem } from "../../shared/errors";

/** Codes whose message is safe to show (they never contain record data). */
const PUBLIC_CODES = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "BAD_USER_INPUT",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_PARSE_FAILED",
  "QUERY_TOO_DEEP",
  "QUERY_TOO_COSTLY",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * Masks internal errors: the client gets "Internal server error" (+ request id, added below).
 * A UserInputProblem raised by a query (bad cursor, page size, filter) is the caller's to fix:
 * it is shown as BAD_USER_INPUT naming the argument (its message names only what was sent).
 */
export function formatError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof UserInputProblem) {
    return {
      message: original.message,
      path: formatted.path,
      extensions: { code: "BAD_USER_INPUT", fields: original.errors.map((e) => e.field) },
    };
  }
  // Apollo re-codes every validation error GRAPHQL_VALIDATION_FAILED; keep the depth limit's own code.
  const innerCode = (error as { originalError?: { extensions?: Record<string, unknown> } } | undefined)?.originalError?.extensions?.code;
  if (innerCode === "QUERY_TOO_DEEP") return { ...formatted, extensions: { ...formatted.extensions, code: innerCode } };
  const code = formatted.extensions?.code as string | undefined;
  if (code && PUBLIC_CODES.has(code)) return formatted;
  return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

/**
 * Logs unexpected errors with the request id (class, message, stack; never variables, which may
 * hold PHI) and stamps the request id on every error and on the `x-request-id` header.
 */
export function errorReporting(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const e of errors) {
            const code = e.extensions?.code as string | undefined;
            if (code && PUBLIC_CODES.has(code)) continue;
            const original = unwrapResolverError(e);
            if (original instanceof UserInputProblem) continue;
            contextValue.logger.error(
              {
                requestId: contextValue.requestId,
                path: e.path,
                err: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original),
              },
              "unhandled GraphQL error",
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          response.http.headers.set("x-request-id", contextValue.requestId);
          if (response.body.kind === "single" && response.body.singleResult.errors) {
            response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
              ...e,
              extensions: { ...e.extensions, requestId: contextValue.requestId },
            }));
          }
        },
      };
    },
  };
}
