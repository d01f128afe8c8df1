/**
 * Locates the project's shared test data (`shared/data`, see each folder's PROVENANCE.md).
 * In CI the checkout has `shared/` beside the repository (`<repo>/../shared`); in a local git
 * worktree it may sit further up. Walks up from this file until a `shared/data` folder appears;
 * `LUTETIA_SHARED_DATA` overrides the search.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function findSharedData(): string {
  const env = process.env.LUTETIA_SHARED_DATA;
  if (env !== undefined && env !== "") return resolve(env);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "shared", "data");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(
        `shared/data not found above ${fileURLToPath(import.meta.url)}; set LUTETIA_SHARED_DATA`,
      );
    dir = parent;
  }
}

/** Absolute path of the shared data folder. */
export const SHARED_DATA = findSharedData();

/** Absolute path of a file under shared/data. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

/** Reads a file under shared/data as a Uint8Array. */
export function readShared(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(sharedPath(...parts)));
}
