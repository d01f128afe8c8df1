export * from "./client";
export * as schema from "./schema/index";
export * from "./schema/index";
export * from "./catalogue";
export * from "./reference-data";
export * from "./seed";
