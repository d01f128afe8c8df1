/** A quality finding shared by the volume assembler and the PET QA gate. */
export interface Finding {
  /** Stable machine-readable code, e.g. `WEIGHT_MISSING`. */
  code: string;
  /** `BLOCKING`: quantitative use must be refused unless overridden; `WARNING`: proceed, but show it. */
  severity: "BLOCKING" | "WARNING";
  /** Human-readable sentence naming the file(s), attribute and value. No patient names. */
  message: string;
  /** Attribute keyword and tag, e.g. `PatientWeight (0010,1030)`, or a derived quantity name. */
  attribute: string;
  /** The offending value as read (string, number, list) or `null` when absent. */
  value: unknown;
}
