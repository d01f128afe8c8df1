"use client";

import { useMutation, useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { CheckboxField, SelectField, TextField, enumOptions } from "@/components/Field";
import { ErrorSummary, FormActions, FormPanel } from "@/components/FormParts";
import {
  BoardDecisionAmendDocument,
  BoardDecisionRecordDocument,
  BoardDecisionUpdateDocument,
  PathwayProtocolTemplatesDocument,
  RadiopharmaceuticalsDocument,
  type BoardDecisionFieldsFragment,
  type BoardOutcome,
} from "@/graphql/generated";
import { FormReader, useForm } from "@/lib/forms";

const OUTCOMES: BoardOutcome[] = ["START_PRRT", "CONTINUE", "MODIFY_ACTIVITY", "DELAY", "STOP", "RETREATMENT", "OTHER"];

export type DecisionMode = { kind: "record"; caseId: string } | { kind: "update"; decision: BoardDecisionFieldsFragment } | { kind: "amend"; decision: BoardDecisionFieldsFragment };

/**
 * The board's decision as structured data: outcome and the fields it needs (regimen for
 * START_PRRT / RETREATMENT, new activity for MODIFY_ACTIVITY, date or weeks for DELAY), the
 * rationale, and votes or consensus. The server checks every rule; its field errors show inline.
 */
export function DecisionForm({ mode, onSaved, onClose }: { mode: DecisionMode; onSaved: () => void | Promise<void>; onClose: () => void }) {
  const form = useForm();
  const seed = mode.kind === "record" ? null : mode.decision;
  const [outcome, setOutcome] = useState<BoardOutcome | "">(mode.kind === "update" ? mode.decision.outcome : "");
  const [consensus, setConsensus] = useState(seed?.consensus ?? false);
  const agents = useQuery(RadiopharmaceuticalsDocument, { variables: { use: "THERAPY" } });
  const templates = useQuery(PathwayProtocolTemplatesDocument);
  const [record] = useMutation(BoardDecisionRecordDocument);
  const [update] = useMutation(BoardDecisionUpdateDocument);
  const [amend] = useMutation(BoardDecisionAmendDocument);
  const rationaleId = useId();
  const regimen = outcome === "START_PRRT" || outcome === "RETREATMENT";

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const r = new FormReader(new FormData(e.currentTarget));
    const num = (name: string, label: string) => r.number(name, label) ?? null;
    const fields = {
      outcome: r.requiredText("outcome", "Outcome") as BoardOutcome,
      protocolTemplateId: regimen ? (r.text("protocolTemplateId") ?? null) : null,
      radiopharmaceuticalId: regimen ? (r.text("radiopharmaceuticalId") ?? null) : null,
      plannedCycles: regimen ? num("plannedCycles", "Planned cycles") : null,
      activityPerCycleGBq: regimen ? num("activityPerCycleGBq", "Activity per cycle") : null,
      newActivityGBq: outcome === "MODIFY_ACTIVITY" ? num("newActivityGBq", "New activity") : null,
      delayUntil: outcome === "DELAY" ? (r.text("delayUntil") ?? null) : null,
      delayWeeks: outcome === "DELAY" ? num("delayWeeks", "Delay (weeks)") : null,
      rationale: r.text("rationale") ?? "",
      consensus,
      votesFor: consensus ? null : num("votesFor", "Votes for"),
      votesAgainst: consensus ? null : num("votesAgainst", "Votes against"),
      votesAbstain: consensus ? null : num("votesAbstain", "Abstentions"),
    };
    const ok = await form.submit(e.currentTarget, async () => {
      if (r.problems.length) return r.problems;
      if (mode.kind === "record") return (await record({ variables: { input: { caseId: mode.caseId, ...fields } } })).data?.boardDecisionRecord.userErrors ?? [];
      if (mode.kind === "update") return (await update({ variables: { input: { id: mode.decision.id, version: mode.decision.version, ...fields } } })).data?.boardDecisionUpdate.userErrors ?? [];
      return (await amend({ variables: { input: { amendsId: mode.decision.id, ...fields } } })).data?.boardDecisionAmend.userErrors ?? [];
    });
    if (ok) await onSaved();
  }
  const err = form.errors.fields;
  const title = mode.kind === "record" ? "Record the board's decision" : mode.kind === "update" ? "Edit the draft decision" : "Amend the signed decision";
  return (
    <FormPanel title={title}>
      <form onSubmit={onSubmit} noValidate aria-label={title}>
        <ErrorSummary errors={form.errors} />
        <div className="form-grid">
          <SelectField name="outcome" label="Outcome" required placeholder="Choose…" options={enumOptions(OUTCOMES)} value={outcome} onChange={(e) => setOutcome(e.target.value as BoardOutcome)} error={err.outcome} />
          {regimen ? (
            <>
              <SelectField
                name="radiopharmaceuticalId"
                label="Radiopharmaceutical"
                required
                placeholder="Choose…"
                options={(agents.data?.radiopharmaceuticals ?? []).filter((a) => a.active).map((a) => ({ value: a.id, label: a.name }))}
                defaultValue={seed?.regimen?.radiopharmaceutical?.id}
                error={err.radiopharmaceuticalId}
              />
              <SelectField
                name="protocolTemplateId"
                label="Protocol template"
                placeholder="None (plan by hand)"
                options={(templates.data?.protocolTemplates ?? []).map((t) => ({ value: t.id, label: `${t.name} v${t.templateVersion}` }))}
                defaultValue={seed?.regimen?.protocolTemplate?.id}
                error={err.protocolTemplateId}
              />
              <TextField name="plannedCycles" label="Planned cycles" inputMode="numeric" required defaultValue={seed?.regimen?.plannedCycles ?? 4} error={err.plannedCycles} />
              <TextField name="activityPerCycleGBq" label="Activity per cycle (GBq)" inputMode="decimal" required defaultValue={seed?.regimen?.activityPerCycleGBq ?? 7.4} error={err.activityPerCycleGBq} />
            </>
          ) : null}
          {outcome === "MODIFY_ACTIVITY" ? <TextField name="newActivityGBq" label="New activity per cycle (GBq)" inputMode="decimal" required defaultValue={seed?.newActivityGBq ?? undefined} error={err.newActivityGBq} /> : null}
          {outcome === "DELAY" ? (
            <>
              <TextField name="delayUntil" label="Delay until" type="date" defaultValue={seed?.delayUntil ?? undefined} error={err.delayUntil} hint="Or give a number of weeks." />
              <TextField name="delayWeeks" label="Delay (weeks)" inputMode="numeric" defaultValue={seed?.delayWeeks ?? undefined} error={err.delayWeeks} />
            </>
          ) : null}
        </div>
        <div className={err.rationale ? "field field-invalid" : "field"}>
          <label htmlFor={rationaleId}>
            Rationale<span aria-hidden="true" className="req"> *</span>
          </label>
          <textarea id={rationaleId} name="rationale" rows={3} required aria-required aria-invalid={err.rationale ? true : undefined} aria-describedby={err.rationale ? `${rationaleId}-error` : undefined} defaultValue={seed?.rationale ?? ""} />
          {err.rationale ? (
            <div className="field-error" id={`${rationaleId}-error`} role="alert">
              {err.rationale}
            </div>
          ) : null}
        </div>
        <CheckboxField name="consensus" label="Consensus (no vote)" checked={consensus} onChange={(e) => setConsensus(e.target.checked)} error={err.consensus} />
        {!consensus ? (
          <div className="form-grid">
            <TextField name="votesFor" label="Votes for" inputMode="numeric" defaultValue={seed?.votesFor ?? undefined} error={err.votesFor} />
            <TextField name="votesAgainst" label="Votes against" inputMode="numeric" defaultValue={seed?.votesAgainst ?? undefined} error={err.votesAgainst} />
            <TextField name="votesAbstain" label="Abstentions" inputMode="numeric" defaultValue={seed?.votesAbstain ?? undefined} error={err.votesAbstain} />
          </div>
        ) : null}
        <FormActions submitting={form.submitting} submitLabel={mode.kind === "amend" ? "Save amendment (draft)" : "Save decision (draft)"} onCancel={onClose} />
      </form>
    </FormPanel>
  );
}
