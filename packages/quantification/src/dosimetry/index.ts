/** Public API of the dosimetry module (MIRD, STP, BED, ledger, uncertainty). */
export * from "./tac";
export * from "./stp";
export * from "./tac-curves";
export * from "./dose";
export * from "./bed";
export * from "./ledger";
export * from "./uncertainty";
export { LU177_PHANTOM_MASS_G } from "./phantom-masses";
export {
  LU177_S_MGY_PER_MBQ_S,
  type Lu177SourceOrgan,
  type Lu177TargetOrgan,
  type PhantomSex,
} from "./lu177-svalues.data";
