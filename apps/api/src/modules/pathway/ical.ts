/**
 * A small RFC 5545 (iCalendar) serializer for the care-pathway feed. No dependency: the
 * maintained `ical-generator` 11 needs Node 22 and the feed needs only VEVENTs in UTC.
 *
 * - TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11);
 * - content lines are folded at 75 octets (UTF-8) with CRLF + one space, never inside a
 *   multi-byte character (§3.1);
 * - DATE-TIME values are UTC, form #2 `YYYYMMDDTHHMMSSZ` (§3.3.5);
 * - lines end with CRLF.
 */

export interface IcsEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  status?: "TENTATIVE" | "CONFIRMED" | "CANCELLED";
  categories?: string[];
  lastModified?: Date;
}

/** Escapes a TEXT property value (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

/** UTC DATE-TIME, e.g. 20260320T080000Z. @throws RangeError for an invalid date. */
export function formatUtc(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError("formatUtc: invalid date");
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** Folds one content line to ≤ 75 octets per physical line (continuations start with a space). */
export function foldLine(line: string): string {
  const enc = new TextEncoder();
  const out: string[] = [];
  let cur = "";
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    if (bytes + n > limit) {
      out.push(cur);
      cur = "";
      bytes = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join("\r\n ");
}

/** Serializes a VCALENDAR with the given events. */
export function buildCalendar(opts: { name: string; timeZoneHint?: string; events: readonly IcsEvent[]; now?: Date }): string {
  const stamp = formatUtc(opts.now ?? new Date());
  const lines: string[] = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Lutetia//Care pathway//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(opts.name)}`,
  ];
  if (opts.timeZoneHint) lines.push(`X-WR-TIMEZONE:${escapeText(opts.timeZoneHint)}`);
  for (const e of opts.events) {
    lines.push("BEGIN:VEVENT", `UID:${escapeText(e.uid)}`, `DTSTAMP:${stamp}`, `DTSTART:${formatUtc(e.start)}`, `DTEND:${formatUtc(e.end)}`, `SUMMARY:${escapeText(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.status) lines.push(`STATUS:${e.status}`);
    if (e.categories?.length) lines.push(`CATEGORIES:${e.categories.map(escapeText).join(",")}`);
    if (e.lastModified) lines.push(`LAST-MODIFIED:${formatUtc(e.lastModified)}`);
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
