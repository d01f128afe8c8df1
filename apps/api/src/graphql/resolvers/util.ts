import { UserInputProblem } from "../../shared/errors";
import { toGlobalId, type NodeType } from "../../shared/ids";

/**
 * Runs a service call for a mutation and shapes its payload: `{ [key]: result, userErrors: [] }`,
 * or `{ [key]: null, userErrors }` when the service refused the input (nothing was changed).
 */
export async function payload<K extends string, T>(
  key: K,
  run: () => Promise<T>,
): Promise<{ [P in K]: T | null } & { userErrors: UserInputProblem["errors"] }> {
  try {
    const value = await run();
    return { [key]: value, userErrors: [] } as never;
  } catch (e) {
    if (e instanceof UserInputProblem) return { [key]: null, userErrors: e.errors } as never;
    throw e;
  }
}

/** `id` field resolver producing the global ID of a row. */
export const gid = (type: NodeType) => (row: { id: string | number }) => toGlobalId(type, row.id);
