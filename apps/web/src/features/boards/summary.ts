import { formatDate, humanize } from "../../lib/format";

export interface DecisionLike {
  outcome: string;
  regimen?: { plannedCycles?: number | null; activityPerCycleGBq?: number | null; radiopharmaceutical?: { name: string } | null; protocolTemplate?: { name: string } | null } | null;
  newActivityGBq?: number | null;
  delayUntil?: string | null;
  delayWeeks?: number | null;
  consensus: boolean;
  votesFor?: number | null;
  votesAgainst?: number | null;
  votesAbstain?: number | null;
}

/** One line describing a board decision: outcome, its details (GBq, dates, weeks) and the votes. */
export function decisionSummary(d: DecisionLike): string {
  const parts: string[] = [humanize(d.outcome)];
  if (d.regimen) {
    const agent = d.regimen.radiopharmaceutical?.name ?? "";
    const tpl = d.regimen.protocolTemplate ? ` (${d.regimen.protocolTemplate.name})` : "";
    parts.push(`${agent} ${d.regimen.plannedCycles ?? "?"} × ${d.regimen.activityPerCycleGBq ?? "?"} GBq${tpl}`.trim());
  }
  if (d.newActivityGBq !== null && d.newActivityGBq !== undefined) parts.push(`new activity ${d.newActivityGBq} GBq`);
  if (d.delayUntil) parts.push(`until ${formatDate(d.delayUntil)}`);
  if (d.delayWeeks) parts.push(`${d.delayWeeks} weeks`);
  parts.push(d.consensus ? "consensus" : `votes ${d.votesFor ?? 0} for / ${d.votesAgainst ?? 0} against / ${d.votesAbstain ?? 0} abstain`);
  return parts.join(" · ");
}
