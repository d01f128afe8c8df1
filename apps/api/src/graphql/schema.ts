import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { mergeResolvers } from "./resolvers/index";

const schemaDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "schema");

/** The SDL files are the contract (one per domain module). */
export function loadTypeDefs(): string {
  return readdirSync(schemaDir)
    .filter((f) => f.endsWith(".graphql"))
    .sort()
    .map((f) => readFileSync(path.join(schemaDir, f), "utf8"))
    .join("\n");
}

export function buildSchema() {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: mergeResolvers() as never });
}
