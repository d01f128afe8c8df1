import { readFileSync } from "node:fs";

/** Linux USER_HZ: /proc/<pid>/stat reports CPU time in ticks of 1/100 s. */
const MS_PER_TICK = 10;

/**
 * CPU time (user + system, ms) of local processes by pid, read from /proc/<pid>/stat — used for
 * the PostgreSQL backends serving the app when the server runs on this host. Pids that have
 * exited are left out; returns null when /proc is not readable (not Linux, other host).
 */
export function processCpuMs(pids: readonly number[]): Map<number, number> | null {
  const out = new Map<number, number>();
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      return null;
    }
    // Fields after "(comm)": state is field 3, utime field 14, stime field 15 (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    out.set(pid, (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK);
  }
  return out;
}

/** CPU spent between two snapshots by the processes of the second (new pids count from zero). */
export function cpuDeltaMs(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}
