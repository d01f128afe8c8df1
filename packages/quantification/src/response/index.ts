/** Public API of the response-criteria module (RECIST 1.1, PERCIST 1.0, EORTC, SWOG/Kwekkeboom, Choi, Krenning, NETPET). */
export * from "./types";
export * from "./recist";
export * from "./percist";
export * from "./eortc";
export * from "./swog";
export * from "./sstr";
export * from "./netpet";
export * from "./change";
