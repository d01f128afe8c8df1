import { GraphQLError } from "graphql";

export type UserErrorCode =
  | "INVALID"
  | "CONFLICT"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "DUPLICATE"
  | "NO_GO_DECISION";

/** A field-level problem reported in a mutation payload (`userErrors`). */
export interface UserError {
  field: string[];
  message: string;
  code: UserErrorCode;
}

/**
 * Thrown by services for a problem the caller can fix; resolvers turn it into `userErrors`.
 * Never carries PHI: messages name fields and values the caller sent, not stored records.
 */
export class UserInputProblem extends Error {
  constructor(public readonly errors: UserError[]) {
    super(errors.map((e) => `${e.field.join(".")}: ${e.message}`).join("; "));
  }
  static of(field: string[], message: string, code: UserErrorCode = "INVALID") {
    return new UserInputProblem([{ field, message, code }]);
  }
}

export const unauthenticated = () =>
  new GraphQLError("Authentication required", { extensions: { code: "UNAUTHENTICATED" } });

export const forbidden = (action: string) =>
  new GraphQLError(`Not allowed: ${action}`, { extensions: { code: "FORBIDDEN", action } });

export const notFound = (what: string) =>
  new GraphQLError(`${what} not found`, { extensions: { code: "NOT_FOUND" } });
