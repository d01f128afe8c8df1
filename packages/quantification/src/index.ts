export * from "./units/nuclides";
export * from "./units/decay";
export * from "./units/convert";
export * from "./units/time";
