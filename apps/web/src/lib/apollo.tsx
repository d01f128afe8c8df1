"use client";

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { ErrorLink } from "@apollo/client/link/error";
import { ApolloProvider } from "@apollo/client/react";
import { useState, type ReactNode } from "react";
import { loginUrl } from "./next-path";

/** True when the error (from a hook or the link) carries the API's UNAUTHENTICATED code. */
export function isUnauthenticated(error: unknown): boolean {
  return (
    CombinedGraphQLErrors.is(error) &&
    error.errors.some((e) => (e.extensions as { code?: unknown } | undefined)?.code === "UNAUTHENTICATED")
  );
}

function redirectToLogin(): void {
  if (typeof window === "undefined") return;
  if (window.location.pathname === "/login") return;
  window.location.assign(loginUrl(window.location.pathname + window.location.search));
}

function makeClient(): ApolloClient {
  const errorLink = new ErrorLink(({ error }) => {
    // Session expired or revoked: go to the login page and come back here afterwards.
    if (isUnauthenticated(error)) redirectToLogin();
  });
  const http = new HttpLink({ uri: "/graphql", credentials: "same-origin" });
  return new ApolloClient({
    link: ApolloLink.from([errorLink, http]),
    cache: new InMemoryCache({
      possibleTypes: {},
      typePolicies: {
        // Lists on a patient are always fetched whole; replace rather than merge.
        Patient: { fields: { labResults: { merge: false }, studies: { merge: false }, lesions: { merge: false } } },
      },
    }),
    defaultOptions: {
      watchQuery: { fetchPolicy: "cache-and-network" },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeClient);
  return <ApolloProvider client={client}>{children}</ApolloProvider>;
}
