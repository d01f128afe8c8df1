import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../context";

/** Writes the request's buffered audit rows (reads, denials) once, before the response leaves. */
export function auditFlush(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue }) {
          await contextValue.flushAudit();
        },
      };
    },
  };
}
