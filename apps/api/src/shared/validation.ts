import type { z } from "zod";
import { UserInputProblem, type UserError } from "./errors";

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v instanceof Date) return v.toISOString();
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Parses a mutation input with a zod schema; on failure throws UserInputProblem with one
 * field-level error per issue, each naming the field and the value received.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: string[] = ["input"],
): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const errors: UserError[] = r.error.issues.map((issue) => {
    const path = issue.path.map(String);
    return {
      field: [...prefix, ...path],
      message: `${path.join(".") || "input"} ${issue.message} (got ${show(valueAt(input, issue.path))})`,
      code: "INVALID",
    };
  });
  throw new UserInputProblem(errors);
}

/**
 * The fields an update input actually sets: GraphQL sends omitted optional fields as
 * undefined and explicit nulls as null; neither changes a stored value (clearing a field is
 * an explicit mutation, never an accident of a partial form).
 */
export function setFields<T>(input: Record<string, unknown>): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, x]) => x !== undefined && x !== null)) as Partial<T>;
}
