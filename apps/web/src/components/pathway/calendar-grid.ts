/** Pure date arithmetic for the calendar grid (calendar days as YYYY-MM-DD strings, no zone). */

function toDate(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}

export function addDays(day: string, n: number): string {
  const d = toDate(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Monday of the week containing `day`. */
export function weekStart(day: string): string {
  const dow = (toDate(day).getUTCDay() + 6) % 7;
  return addDays(day, -dow);
}

/** Days shown for a week (7) or a month (whole weeks, Monday first). */
export function gridDays(anchor: string, view: "week" | "month"): string[] {
  if (view === "week") {
    const s = weekStart(anchor);
    return Array.from({ length: 7 }, (_, i) => addDays(s, i));
  }
  const first = `${anchor.slice(0, 7)}-01`;
  const start = weekStart(first);
  const nextMonth = addDays(first, 32).slice(0, 7);
  const days: string[] = [];
  for (let d = start; days.length < 42; d = addDays(d, 1)) {
    if (days.length % 7 === 0 && days.length > 0 && d.slice(0, 7) === nextMonth) break;
    days.push(d);
  }
  return days;
}

export function shift(anchor: string, view: "week" | "month", dir: 1 | -1): string {
  if (view === "week") return addDays(anchor, 7 * dir);
  const d = toDate(`${anchor.slice(0, 7)}-15`);
  d.setUTCMonth(d.getUTCMonth() + dir);
  return d.toISOString().slice(0, 10);
}
