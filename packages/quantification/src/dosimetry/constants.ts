/** Internal unit constants of the dosimetry module (not re-exported, to avoid clashing with a units module). */

/** Seconds per hour. */
export const SECONDS_PER_HOUR = 3600;
/** Joules per MeV (exact: elementary charge 1.602176634e−19 C × 1e6, SI 2019). */
export const JOULES_PER_MEV = 1.602176634e-13;
