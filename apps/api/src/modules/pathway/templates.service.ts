import { z } from "zod";
import { protocolTemplate, type ProtocolTemplateRow } from "@lutetia/db";
import { copyTemplate, validateTemplate, type EventRule, type Offset, type ProtocolTemplate } from "@lutetia/protocols";
import type { RequestContext } from "../../graphql/context";
import { appendAudit } from "../../audit/audit.service";
import { UserInputProblem, type UserError } from "../../shared/errors";
import { idOf } from "../../shared/ids";
import { parseInput } from "../../shared/validation";
import { nonEmpty } from "../../shared/zod";
import { latestTemplateVersion, siteOf, templateInScope, templateOf, templatesOfSite } from "./pathway.repo";

const KINDS = ["CYCLE", "LABS", "SSA_WASHOUT", "AMINO_ACIDS", "SSA_INJECTION", "POST_THERAPY_SCAN", "NADIR_LABS", "INTERIM_IMAGING", "RESTAGING", "FOLLOW_UP"] as const;
const OffsetIn = z
  .object({ months: z.number().int().nullish(), weeks: z.number().int().nullish(), days: z.number().int().nullish(), hours: z.number().int().nullish(), minutes: z.number().int().nullish() })
  .strict();
type OffsetInput = z.infer<typeof OffsetIn>;

const EventIn = z.object({
  key: z.string(),
  kind: z.enum(KINDS),
  label: z.string(),
  anchor: z.enum(["ADMINISTRATION", "FIRST_ADMINISTRATION", "LAST_ADMINISTRATION"]),
  offset: OffsetIn,
  windowBefore: OffsetIn.nullish(),
  windowAfter: OffsetIn.nullish(),
  cycles: z.enum(["ALL", "FIRST", "NOT_FIRST", "NOT_LAST"]).nullish(),
  repeatEvery: OffsetIn.nullish(),
  repeatCount: z.number().int().nullish(),
  source: z.string(),
});

const CopyIn = z.object({
  templateId: z.string(),
  name: nonEmpty(200),
  key: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be 1–64 letters, digits, - or _")
    .nullish(),
});

const UpdateIn = z.object({
  id: z.string(),
  name: z.string().nullish(),
  cycles: z.number().nullish(),
  maxCycles: z.number().nullish(),
  activityPerCycleGBq: z.number().nullish(),
  reducedActivityGBq: z.number().nullish(),
  intervalDays: z.number().nullish(),
  intervalToleranceDays: z.number().nullish(),
  dosimetryGuided: z.boolean().nullish(),
  events: z.array(EventIn).nullish(),
  source: z.string().nullish(),
  caveats: z.array(z.string()).nullish(),
});

/** Drops null/undefined units so @lutetia/protocols sees a plain Offset. */
function offset(o: OffsetInput): Offset {
  const out: Offset = {};
  for (const k of ["months", "weeks", "days", "hours", "minutes"] as const) {
    const v = o[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out;
}

function eventRule(e: z.infer<typeof EventIn>): EventRule {
  const rule: EventRule = {
    key: e.key,
    kind: e.kind,
    label: e.label,
    anchor: e.anchor,
    offset: offset(e.offset),
    window: { before: e.windowBefore ? offset(e.windowBefore) : null, after: e.windowAfter ? offset(e.windowAfter) : null },
    source: e.source,
  };
  if (e.cycles) rule.cycles = e.cycles;
  if (e.repeatEvery || e.repeatCount) rule.repeat = { every: e.repeatEvery ? offset(e.repeatEvery) : {}, count: e.repeatCount ?? 1 };
  return rule;
}

/**
 * validateTemplate path → GraphQL input path: `interval.days` → intervalDays,
 * `events[3].window.before.days` → events.3.windowBefore.days, `events[1].repeat.count` → events.1.repeatCount.
 */
export function templatePathToField(path: string): string[] {
  const p = path
    .replace(/^interval\.days/, "intervalDays")
    .replace(/^interval\.toleranceDays/, "intervalToleranceDays")
    .replace(/\.window\.before/, ".windowBefore")
    .replace(/\.window\.after/, ".windowAfter")
    .replace(/\.repeat\.every/, ".repeatEvery")
    .replace(/\.repeat\.count/, ".repeatCount");
  return ["input", ...p.split(/[.[\]]+/).filter((s) => s !== "")];
}

function assertValid(t: ProtocolTemplate): void {
  const errs = validateTemplate(t);
  if (errs.length === 0) return;
  const errors: UserError[] = errs.map((e) => ({ field: templatePathToField(e.path), message: `${e.path || "template"} ${e.message}`, code: "INVALID" }));
  throw new UserInputProblem(errors);
}

/** The site's prefix for template ids (`<prefix>/<key>`): the site code when it is a plain slug. */
const sitePrefix = (s: { code: string; id: string }) => (/^[A-Za-z0-9_-]+$/.test(s.code) ? s.code : s.id);

async function loadTemplate(ctx: RequestContext, globalId: string, field: string[]): Promise<ProtocolTemplateRow> {
  const actor = ctx.requireActor();
  const id = idOf(globalId, "ProtocolTemplate");
  const row = id ? await templateInScope(ctx.db, actor.siteId, id) : null;
  if (!row) {
    if (id) ctx.recordOutOfScope("ProtocolTemplate", id, "protocol_template.access");
    throw UserInputProblem.of(field, `ProtocolTemplate not found (got ${JSON.stringify(globalId)})`, "NOT_FOUND");
  }
  return row;
}

export const TemplateService = {
  loadTemplate,

  /** Shipped templates and the site's own; latest version of each key unless `allVersions`. */
  async list(ctx: RequestContext, allVersions: boolean): Promise<ProtocolTemplateRow[]> {
    const actor = ctx.authorize("patient:read");
    const rows = await templatesOfSite(ctx.db, actor.siteId);
    if (allVersions) return rows;
    const seen = new Set<string>();
    return rows.filter((r) => {
      const k = `${r.siteId ?? ""}|${r.templateKey}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  },

  /** Copies a shipped (or own) template to the site as version 1 of `<site>/<key>` (copyTemplate). */
  async copy(ctx: RequestContext, input: unknown): Promise<ProtocolTemplateRow> {
    const actor = ctx.authorize("protocol:admin");
    const v = parseInput(CopyIn, input);
    const src = await loadTemplate(ctx, v.templateId, ["input", "templateId"]);
    const s = await siteOf(ctx.db, actor.siteId);
    const prefix = sitePrefix(s);
    const copy = copyTemplate(templateOf(src), { siteId: prefix, name: v.name });
    const baseKey = copy.id.slice(prefix.length + 1);
    copy.id = `${prefix}/${v.key ?? baseKey}`;
    copy.version = 1;
    assertValid(copy);
    if ((await latestTemplateVersion(ctx.db, actor.siteId, copy.id)) > 0) {
      throw UserInputProblem.of(["input", "key"], `the site already has template ${JSON.stringify(copy.id)}; edit it with protocolTemplateUpdate or give another key`, "DUPLICATE");
    }
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(protocolTemplate)
        .values({ siteId: actor.siteId, templateKey: copy.id, templateVersion: 1, name: copy.name, definition: copy as unknown as Record<string, unknown>, derivedFrom: copy.derivedFrom ?? null, createdBy: actor.userId })
        .returning();
      await appendAudit(tx, [ctx.writeEntry("protocol_template.copy", "ProtocolTemplate", row!.id, null, { key: copy.id, derivedFrom: copy.derivedFrom })]);
      return row!;
    });
  },

  /**
   * Edits a site template by inserting version + 1 (versions are immutable; courses keep theirs).
   * The id must be the latest version (else CONFLICT); the result is checked with validateTemplate
   * and every problem is a field-level error naming the value.
   */
  async update(ctx: RequestContext, input: unknown): Promise<ProtocolTemplateRow> {
    const actor = ctx.authorize("protocol:admin");
    const v = parseInput(UpdateIn, input);
    const cur = await loadTemplate(ctx, v.id, ["input", "id"]);
    if (cur.siteId === null) throw UserInputProblem.of(["input", "id"], "shipped templates cannot be edited; copy it with protocolTemplateCopy first");
    const latest = await latestTemplateVersion(ctx.db, actor.siteId, cur.templateKey);
    if (latest !== cur.templateVersion) {
      throw UserInputProblem.of(["input", "id"], `template ${cur.templateKey} was changed (you edited version ${cur.templateVersion}, latest is ${latest}); reload`, "CONFLICT");
    }
    const next = structuredClone(templateOf(cur));
    if (v.name !== undefined && v.name !== null) next.name = v.name;
    if (v.cycles !== undefined && v.cycles !== null) next.cycles = v.cycles;
    if (v.maxCycles !== undefined) {
      if (v.maxCycles === null) delete next.maxCycles;
      else next.maxCycles = v.maxCycles;
    }
    if (v.activityPerCycleGBq !== undefined && v.activityPerCycleGBq !== null) next.activityPerCycleGBq = v.activityPerCycleGBq;
    if (v.reducedActivityGBq !== undefined) next.reducedActivityGBq = v.reducedActivityGBq;
    if (v.intervalDays !== undefined && v.intervalDays !== null) next.interval = { ...next.interval, days: v.intervalDays };
    if (v.intervalToleranceDays !== undefined && v.intervalToleranceDays !== null) next.interval = { ...next.interval, toleranceDays: v.intervalToleranceDays };
    if (v.dosimetryGuided !== undefined && v.dosimetryGuided !== null) next.dosimetryGuided = v.dosimetryGuided;
    if (v.events) next.events = v.events.map(eventRule);
    if (v.source !== undefined && v.source !== null) next.source = v.source;
    if (v.caveats) next.caveats = v.caveats;
    next.version = cur.templateVersion + 1;
    next.derivedFrom = `${cur.templateKey}@${cur.templateVersion}`;
    assertValid(next);
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(protocolTemplate)
        .values({ siteId: actor.siteId, templateKey: cur.templateKey, templateVersion: next.version, name: next.name, definition: next as unknown as Record<string, unknown>, derivedFrom: next.derivedFrom ?? null, createdBy: actor.userId })
        .onConflictDoNothing()
        .returning();
      if (!row) throw UserInputProblem.of(["input", "id"], `template ${cur.templateKey} was changed concurrently; reload`, "CONFLICT");
      await appendAudit(tx, [ctx.writeEntry("protocol_template.update", "ProtocolTemplate", row.id, null, { key: cur.templateKey, version: next.version })]);
      return row;
    });
  },
};
