import { z } from "zod";

/** Shared input vocabulary for mutations (messages say what is expected; the value is added). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "must be a real calendar date");

export const todayUtc = () => new Date().toISOString().slice(0, 10);

/**
 * The latest calendar date that is "today" somewhere (UTC+14): a date-only value the user enters
 * as today in a site east of UTC must not be refused as future because UTC is still on
 * yesterday. Site-exact windows (worklists, cyclesDue) use the site's time zone instead.
 */
export const latestTodayAnywhere = () => new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);

export const pastOrTodayDate = isoDate.refine((s) => s <= latestTodayAnywhere(), "must not be in the future");

export const instant = z.date({ message: "must be a date-time" });
export const pastInstant = instant.refine((d) => d.getTime() <= Date.now() + 60_000, "must not be in the future");

export const nonEmpty = (max = 200) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

export const reason = nonEmpty(500);

export const version = z.number().int("must be an integer").min(1, "must be ≥ 1");

/** Body weight plausibility, kg (issue 2: 1–400 kg). */
export const weightKg = z.number().min(1, "must be between 1 and 400 kg").max(400, "must be between 1 and 400 kg");

export const VoidInput = z.object({ id: z.string(), version, reason });
