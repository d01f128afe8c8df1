import { assertIntegerInRange, assertPositive, show } from "../common/assert.js";
import { SRC, UNVERIFIED } from "../common/sources.js";
import type { CtcaeGrade } from "../ctcae/grade.js";
import {
  gradeAnaemia,
  gradeLymphocyteCountDecreased,
  gradeNeutrophilCountDecreased,
  gradePlateletCountDecreased,
} from "../ctcae/grade.js";
import type { PolicyValue } from "../schedule/constraints.js";

export type GoNoGoAction = "GO" | "DELAY" | "REDUCE" | "STOP";
export type ToxicityCategory =
  | "THROMBOCYTOPENIA"
  | "NEUTROPENIA"
  | "ANAEMIA"
  | "RENAL"
  | "HEPATIC"
  | "OTHER"
  | "HYPERSENSITIVITY";

/** A haematology value: either an already assigned CTCAE grade or a raw value with the lab's LLN (counts ×10⁹/L, Hb g/dL). */
export type LabEntry = { grade: CtcaeGrade } | { value: number; lln: number };

export interface GoNoGoInput {
  /** The cycle about to be given (1-based). */
  cycleNumber: number;
  /** Activity planned for this cycle, GBq. */
  plannedActivityGBq: number;
  labs: {
    platelets?: LabEntry | null;
    neutrophils?: LabEntry | null;
    haemoglobin?: LabEntry | null;
    lymphocytes?: LabEntry | null;
    creatinineClearanceMLPerMin?: number | null;
    baselineCreatinineClearanceMLPerMin?: number | null;
    /** Serum creatinine now and at baseline, same unit. */
    serumCreatinine?: { value: number; baseline: number } | null;
    /** Total bilirubin and ULN, same unit. */
    bilirubin?: { value: number; uln: number } | null;
    albuminGPerDL?: number | null;
    inr?: number | null;
  };
  /** Other adverse events recorded since the last cycle (CTCAE term + grade). */
  toxicities?: Array<{ term: string; grade: CtcaeGrade | 5; relatedToPrrt?: boolean }>;
  /** Earlier decisions of this course, any order. */
  previousDecisions?: Array<{
    cycleNumber: number;
    action: GoNoGoAction;
    triggers: ToxicityCategory[];
  }>;
  /** Days this cycle is already delayed beyond its planned date (0 = on time). */
  delayDays?: number;
}

export interface GoNoGoPolicy {
  reducedActivityGBq: PolicyValue<number>;
  plateletHoldMinGrade: PolicyValue<number>;
  neutrophilHoldMinGrade: PolicyValue<number>;
  anaemiaHoldMinGrade: PolicyValue<number>;
  otherHoldMinGrade: PolicyValue<number>;
  renalMinCrClMLPerMin: PolicyValue<number>;
  renalCreatinineRisePercent: PolicyValue<number>;
  renalCrClFallPercent: PolicyValue<number>;
  hepaticMaxBilirubinXUln: PolicyValue<number>;
  hepaticMinAlbuminGPerDL: PolicyValue<number>;
  hepaticMaxInr: PolicyValue<number>;
  maxDelayDays: PolicyValue<number>;
  /** After a tolerated reduced cycle, return to the planned activity (label wording; the reference pseudo-code keeps the reduced activity). */
  returnToPlannedActivityAfterToleratedReduction: PolicyValue<boolean>;
  /** Discontinue on a renal CTCAE grade ≥ this ("Creatinine increased", "Chronic kidney disease", "Acute kidney injury"); null = rule off (not in the reference). */
  discontinueOnRenalCtcaeGradeAtLeast: PolicyValue<number | null>;
}

/** Default dose-modification policy (prrt-protocols.md §5, label logic via AJR 2023). */
export const DEFAULT_GO_NO_GO_POLICY: GoNoGoPolicy = {
  reducedActivityGBq: { value: 3.7, source: SRC.DOSE_MOD_REDUCED },
  plateletHoldMinGrade: {
    value: 2,
    source: `${SRC.DOSE_MOD} – thrombocytopenia grade 2, 3 or 4: withhold until grade 0–1`,
  },
  neutrophilHoldMinGrade: {
    value: 3,
    source: `${SRC.DOSE_MOD} – neutropenia grade 3–4: withhold until grade 0–2`,
  },
  anaemiaHoldMinGrade: {
    value: 3,
    source: `${SRC.DOSE_MOD} – anaemia grade 3–4: withhold until grade 0–2`,
  },
  otherHoldMinGrade: {
    value: 3,
    source: `${SRC.DOSE_MOD} – any other related grade 3–4 AE: withhold until grade 0–2`,
  },
  renalMinCrClMLPerMin: { value: 40, source: SRC.DOSE_MOD_RENAL },
  renalCreatinineRisePercent: { value: 40, source: SRC.DOSE_MOD_RENAL },
  renalCrClFallPercent: { value: 40, source: SRC.DOSE_MOD_RENAL },
  hepaticMaxBilirubinXUln: { value: 3, source: SRC.DOSE_MOD_HEPATIC },
  hepaticMinAlbuminGPerDL: { value: 3.0, source: SRC.DOSE_MOD_HEPATIC },
  hepaticMaxInr: { value: 1.5, source: SRC.DOSE_MOD_HEPATIC },
  maxDelayDays: {
    value: 112,
    source: `${SRC.DOSE_MOD} – permanent discontinuation if delay ≥ 16 weeks`,
  },
  returnToPlannedActivityAfterToleratedReduction: {
    value: false,
    source: `prrt-protocols.md §5 pseudo-code nextCycleAction (keeps reduced activity); label may allow return to 7.4 GBq ${UNVERIFIED}`,
  },
  discontinueOnRenalCtcaeGradeAtLeast: {
    value: null,
    source:
      "Not in prrt-protocols.md §5 (renal toxicity: withhold, discontinue on recurrence); optional site policy",
  },
};

export interface GoNoGoReason {
  rule: string;
  message: string;
  value: number | string | null;
  source: string;
}

export interface GoNoGoResult {
  action: GoNoGoAction;
  /** GBq to give now (GO/REDUCE); null for DELAY/STOP. */
  recommendedActivityGBq: number | null;
  /** Toxicity categories that triggered DELAY/STOP (or that the REDUCE resumes from). */
  triggers: ToxicityCategory[];
  /** Conditions to resume (DELAY only). */
  resumeWhen: string[];
  reasons: GoNoGoReason[];
  /** Advisory: the physician decides and signs. */
  advisory: true;
}

const RESUME: Record<ToxicityCategory, string> = {
  THROMBOCYTOPENIA: "platelet count decreased grade 0–1",
  NEUTROPENIA: "neutrophil count decreased grade 0–2",
  ANAEMIA: "anaemia grade 0–2",
  RENAL: "renal function resolved / returned to baseline",
  HEPATIC: "hepatic function resolved / returned to baseline",
  OTHER: "other adverse event grade 0–2",
  HYPERSENSITIVITY: "not applicable (no rechallenge)",
};

const HAEM_TERMS =
  /^(platelet count decreased|neutrophil count decreased|anemia|anaemia|white blood cell decreased|lymphocyte count decreased|lymphopenia)$/i;
const LYMPH_TERMS = /^(lymphocyte count decreased|lymphopenia)$/i;
const HYPERSENSITIVITY_TERMS =
  /(hypersensitivity|anaphyla|allergic reaction|infusion related reaction)/i;
const RENAL_TERMS = /^(creatinine increased|chronic kidney disease|acute kidney injury)$/i;

function gradeOf(
  name: string,
  e: LabEntry | null | undefined,
  grader: (v: number, lln: number) => { grade: CtcaeGrade },
): CtcaeGrade | null {
  if (e === undefined || e === null) return null;
  if (typeof e !== "object")
    throw new TypeError(`${name} must be {grade} or {value, lln}, got ${show(e)}`);
  if ("grade" in e) {
    assertIntegerInRange(`${name}.grade`, e.grade, 0, 4);
    return e.grade;
  }
  try {
    return grader(e.value, e.lln).grade;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new (err instanceof TypeError ? TypeError : RangeError)(`${name}: ${msg}`);
  }
}

function optNum(name: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "number") throw new TypeError(`${name} must be a number, got ${show(v)}`);
  if (!Number.isFinite(v) || v < 0)
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${show(v)}`);
  return v;
}

/**
 * Pre-cycle go / delay / reduce / stop recommendation (advisory).
 *
 * Rules (prrt-protocols.md §5, Lutathera label as tabulated in AJR 2023;220:619):
 * - Withhold (DELAY) for: thrombocytopenia grade ≥ 2; neutropenia or anaemia grade ≥ 3; renal toxicity
 *   (CrCl < 40 mL/min, or serum creatinine rise ≥ 40 % or CrCl fall ≥ 40 % from baseline); hepatotoxicity
 *   (bilirubin > 3 × ULN, or albumin < 3.0 g/dL with INR > 1.5); any other related AE grade ≥ 3.
 *   Lymphopenia alone never modifies treatment.
 * - STOP: hypersensitivity grade 3–4 (no rechallenge, now or earlier in the course); a hold condition when
 *   the cycle is already delayed ≥ 16 weeks (112 days); recurrence of the same toxicity category after a
 *   reduction; optionally a renal CTCAE grade ≥ the policy value (off by default).
 * - REDUCE: no hold condition and the latest earlier decision was DELAY → resume at the reduced activity
 *   (3.7 GBq, unverified label value); also while continuing after an earlier reduction (unless policy returns
 *   to the planned activity after a tolerated reduced cycle).
 * - GO: no hold condition, no earlier reduction → planned activity.
 * - DELAY with rule LABS_MISSING when platelets, neutrophils, haemoglobin, a renal value or bilirubin is missing
 *   and no other rule decides (never a silent GO).
 * Haematology inputs may be CTCAE grades or raw values with LLN (counts ×10⁹/L, Hb g/dL).
 * @throws TypeError/RangeError naming the field for malformed input (e.g. plannedActivityGBq ≤ 0, grade 7).
 */
export function recommendGoNoGo(
  input: GoNoGoInput,
  policy: GoNoGoPolicy = DEFAULT_GO_NO_GO_POLICY,
): GoNoGoResult {
  if (typeof input !== "object" || input === null)
    throw new TypeError(`input must be an object, got ${show(input)}`);
  assertIntegerInRange("input.cycleNumber", input.cycleNumber, 1, 50);
  assertPositive("input.plannedActivityGBq", input.plannedActivityGBq);
  if (input.plannedActivityGBq > 15)
    throw new RangeError(
      `input.plannedActivityGBq must be ≤ 15 GBq, got ${input.plannedActivityGBq}`,
    );
  if (typeof input.labs !== "object" || input.labs === null)
    throw new TypeError(`input.labs must be an object, got ${show(input.labs)}`);
  const delay = input.delayDays ?? 0;
  if (typeof delay !== "number" || !Number.isFinite(delay) || delay < 0)
    throw new RangeError(`input.delayDays must be ≥ 0, got ${show(delay)}`);
  const L = input.labs;
  const reasons: GoNoGoReason[] = [];
  const triggers = new Set<ToxicityCategory>();
  const missing: string[] = [];
  const prev = [...(input.previousDecisions ?? [])].sort((a, b) => a.cycleNumber - b.cycleNumber);
  const tox = input.toxicities ?? [];
  tox.forEach((t, i) => {
    if (typeof t?.term !== "string" || t.term.trim() === "")
      throw new TypeError(
        `input.toxicities[${i}].term must be a non-empty string, got ${show(t?.term)}`,
      );
    assertIntegerInRange(`input.toxicities[${i}].grade`, t.grade, 0, 5);
  });
  const stop = (
    rule: string,
    message: string,
    value: number | string | null,
    source: string,
    cats: ToxicityCategory[],
  ): GoNoGoResult => ({
    action: "STOP",
    recommendedActivityGBq: null,
    triggers: cats,
    resumeWhen: [],
    reasons: [...reasons, { rule, message, value, source }],
    advisory: true,
  });

  // Hypersensitivity grade 3–4: no rechallenge.
  const hyper = tox.find((t) => HYPERSENSITIVITY_TERMS.test(t.term) && t.grade >= 3);
  if (hyper)
    return stop(
      "HYPERSENSITIVITY_G3_4",
      `${hyper.term} grade ${hyper.grade}: do not rechallenge`,
      hyper.grade,
      `${SRC.DOSE_MOD}; prrt-protocols.md §1.1 step 5`,
      ["HYPERSENSITIVITY"],
    );
  if (prev.some((d) => d.triggers.includes("HYPERSENSITIVITY")))
    return stop(
      "HYPERSENSITIVITY_G3_4",
      "grade 3–4 hypersensitivity earlier in the course: do not rechallenge",
      null,
      SRC.DOSE_MOD,
      ["HYPERSENSITIVITY"],
    );

  // Optional renal discontinuation rule.
  const renalStop = policy.discontinueOnRenalCtcaeGradeAtLeast.value;
  if (renalStop !== null) {
    const r = tox.find((t) => RENAL_TERMS.test(t.term) && t.grade >= renalStop);
    if (r)
      return stop(
        "RENAL_CTCAE_DISCONTINUE",
        `${r.term} grade ${r.grade} ≥ ${renalStop}`,
        r.grade,
        policy.discontinueOnRenalCtcaeGradeAtLeast.source,
        ["RENAL"],
      );
  }

  // Haematology.
  const haem: Array<
    [
      string,
      LabEntry | null | undefined,
      (v: number, l: number) => { grade: CtcaeGrade },
      PolicyValue<number>,
      ToxicityCategory,
    ]
  > = [
    [
      "input.labs.platelets",
      L.platelets,
      gradePlateletCountDecreased,
      policy.plateletHoldMinGrade,
      "THROMBOCYTOPENIA",
    ],
    [
      "input.labs.neutrophils",
      L.neutrophils,
      gradeNeutrophilCountDecreased,
      policy.neutrophilHoldMinGrade,
      "NEUTROPENIA",
    ],
    ["input.labs.haemoglobin", L.haemoglobin, gradeAnaemia, policy.anaemiaHoldMinGrade, "ANAEMIA"],
  ];
  for (const [name, entry, grader, hold, cat] of haem) {
    const g = gradeOf(name, entry, grader);
    if (g === null) missing.push(name);
    else if (g >= hold.value) {
      triggers.add(cat);
      reasons.push({
        rule: `${cat}_G${hold.value}_PLUS`,
        message: `${cat.toLowerCase()} grade ${g} ≥ ${hold.value}: withhold`,
        value: g,
        source: hold.source,
      });
    }
  }
  const lg = gradeOf("input.labs.lymphocytes", L.lymphocytes, gradeLymphocyteCountDecreased);
  const lymphTox = tox.find((t) => LYMPH_TERMS.test(t.term) && t.grade >= 1);
  if ((lg !== null && lg >= 1) || lymphTox) {
    reasons.push({
      rule: "LYMPHOPENIA_NO_MODIFICATION",
      message: `lymphopenia grade ${lg ?? lymphTox?.grade}: no dose modification`,
      value: lg ?? lymphTox?.grade ?? null,
      source: `${SRC.DOSE_MOD} – lymphopenia only: no modification`,
    });
  }

  // Renal.
  const crcl = optNum("input.labs.creatinineClearanceMLPerMin", L.creatinineClearanceMLPerMin);
  const crclBase = optNum(
    "input.labs.baselineCreatinineClearanceMLPerMin",
    L.baselineCreatinineClearanceMLPerMin,
  );
  const scr = L.serumCreatinine ?? null;
  if (scr !== null) {
    optNum("input.labs.serumCreatinine.value", scr.value);
    assertPositive("input.labs.serumCreatinine.baseline", scr.baseline);
  }
  if (crcl === null && scr === null)
    missing.push("renal (creatinineClearanceMLPerMin or serumCreatinine)");
  if (crcl !== null && crcl < policy.renalMinCrClMLPerMin.value) {
    triggers.add("RENAL");
    reasons.push({
      rule: "RENAL_CRCL_LOW",
      message: `CrCl ${crcl} mL/min < ${policy.renalMinCrClMLPerMin.value}: withhold`,
      value: crcl,
      source: policy.renalMinCrClMLPerMin.source,
    });
  }
  if (crcl !== null && crclBase !== null && crclBase > 0) {
    const fall = ((crclBase - crcl) / crclBase) * 100;
    if (fall >= policy.renalCrClFallPercent.value - 1e-9) {
      triggers.add("RENAL");
      reasons.push({
        rule: "RENAL_CRCL_FALL",
        message: `CrCl fell ${fall.toFixed(1)} % from baseline (≥ ${policy.renalCrClFallPercent.value} %): withhold`,
        value: fall,
        source: policy.renalCrClFallPercent.source,
      });
    }
  }
  if (scr !== null) {
    const rise = ((scr.value - scr.baseline) / scr.baseline) * 100;
    if (rise >= policy.renalCreatinineRisePercent.value - 1e-9) {
      triggers.add("RENAL");
      reasons.push({
        rule: "RENAL_CREATININE_RISE",
        message: `serum creatinine rose ${rise.toFixed(1)} % from baseline (≥ ${policy.renalCreatinineRisePercent.value} %): withhold`,
        value: rise,
        source: policy.renalCreatinineRisePercent.source,
      });
    }
  }

  // Hepatic.
  const bili = L.bilirubin ?? null;
  if (bili === null) missing.push("input.labs.bilirubin");
  else {
    optNum("input.labs.bilirubin.value", bili.value);
    assertPositive("input.labs.bilirubin.uln", bili.uln);
    const x = bili.value / bili.uln;
    if (bili.value > Math.round(policy.hepaticMaxBilirubinXUln.value * bili.uln * 1e10) / 1e10) {
      triggers.add("HEPATIC");
      reasons.push({
        rule: "HEPATIC_BILIRUBIN",
        message: `bilirubin ${x.toFixed(2)} × ULN > ${policy.hepaticMaxBilirubinXUln.value}: withhold`,
        value: x,
        source: policy.hepaticMaxBilirubinXUln.source,
      });
    }
  }
  const alb = optNum("input.labs.albuminGPerDL", L.albuminGPerDL);
  const inr = optNum("input.labs.inr", L.inr);
  if (alb !== null && alb < policy.hepaticMinAlbuminGPerDL.value) {
    if (inr === null) missing.push("input.labs.inr (albumin below threshold)");
    else if (inr > policy.hepaticMaxInr.value) {
      triggers.add("HEPATIC");
      reasons.push({
        rule: "HEPATIC_ALBUMIN_INR",
        message: `albumin ${alb} g/dL < ${policy.hepaticMinAlbuminGPerDL.value} with INR ${inr} > ${policy.hepaticMaxInr.value}: withhold`,
        value: alb,
        source: policy.hepaticMinAlbuminGPerDL.source,
      });
    }
  }

  // Other related AEs grade ≥ 3.
  for (const t of tox) {
    if (HAEM_TERMS.test(t.term) || HYPERSENSITIVITY_TERMS.test(t.term)) continue;
    if (t.grade >= policy.otherHoldMinGrade.value && t.relatedToPrrt !== false) {
      triggers.add("OTHER");
      reasons.push({
        rule: "OTHER_AE_G3_PLUS",
        message: `${t.term} grade ${t.grade}${t.relatedToPrrt === undefined ? " (relatedness not recorded – treated as related)" : ""}: withhold`,
        value: t.grade,
        source: policy.otherHoldMinGrade.source,
      });
    }
  }

  const trig = [...triggers];
  if (trig.length > 0) {
    if (delay >= policy.maxDelayDays.value)
      return stop(
        "DELAY_16_WEEKS",
        `toxicity unresolved after ${delay} days' delay (≥ ${policy.maxDelayDays.value})`,
        delay,
        policy.maxDelayDays.source,
        trig,
      );
    const reducedFor = new Set(
      prev.filter((d) => d.action === "REDUCE").flatMap((d) => d.triggers),
    );
    const recurred = trig.filter((c) => reducedFor.has(c));
    if (recurred.length > 0)
      return stop(
        "RECURRENCE_AFTER_REDUCTION",
        `${recurred.join(", ").toLowerCase()} recurred after dose reduction`,
        recurred.join(","),
        SRC.DOSE_MOD,
        trig,
      );
    return {
      action: "DELAY",
      recommendedActivityGBq: null,
      triggers: trig,
      resumeWhen: trig.map((c) => RESUME[c]),
      reasons,
      advisory: true,
    };
  }
  if (missing.length > 0) {
    return {
      action: "DELAY",
      recommendedActivityGBq: null,
      triggers: [],
      resumeWhen: [`results available: ${missing.join(", ")}`],
      reasons: [
        ...reasons,
        {
          rule: "LABS_MISSING",
          message: `cannot confirm fitness: missing ${missing.join(", ")}`,
          value: missing.join(", "),
          source: SRC.PRE_CYCLE_LABS,
        },
      ],
      advisory: true,
    };
  }
  const last = prev.at(-1);
  const reduced = policy.reducedActivityGBq.value;
  if (last?.action === "DELAY") {
    return {
      action: "REDUCE",
      recommendedActivityGBq: Math.min(reduced, input.plannedActivityGBq),
      triggers: last.triggers,
      resumeWhen: [],
      reasons: [
        ...reasons,
        {
          rule: "RESUME_AT_REDUCED_ACTIVITY",
          message: `toxicity resolved after withholding (${last.triggers.join(", ").toLowerCase() || "unspecified"}): resume at ${reduced} GBq`,
          value: reduced,
          source: policy.reducedActivityGBq.source,
        },
      ],
      advisory: true,
    };
  }
  if (prev.some((d) => d.action === "REDUCE")) {
    if (policy.returnToPlannedActivityAfterToleratedReduction.value && last?.action === "REDUCE") {
      return {
        action: "GO",
        recommendedActivityGBq: input.plannedActivityGBq,
        triggers: [],
        resumeWhen: [],
        reasons: [
          ...reasons,
          {
            rule: "RETURN_TO_PLANNED_ACTIVITY",
            message: `reduced cycle tolerated: return to ${input.plannedActivityGBq} GBq`,
            value: input.plannedActivityGBq,
            source: policy.returnToPlannedActivityAfterToleratedReduction.source,
          },
        ],
        advisory: true,
      };
    }
    return {
      action: "REDUCE",
      recommendedActivityGBq: Math.min(reduced, input.plannedActivityGBq),
      triggers: [],
      resumeWhen: [],
      reasons: [
        ...reasons,
        {
          rule: "CONTINUE_REDUCED_ACTIVITY",
          message: `continue at reduced activity ${reduced} GBq after earlier reduction`,
          value: reduced,
          source: policy.returnToPlannedActivityAfterToleratedReduction.source,
        },
      ],
      advisory: true,
    };
  }
  return {
    action: "GO",
    recommendedActivityGBq: input.plannedActivityGBq,
    triggers: [],
    resumeWhen: [],
    reasons: [
      ...reasons,
      {
        rule: "NO_HOLD_CONDITION",
        message: `no withhold condition: give ${input.plannedActivityGBq} GBq`,
        value: input.plannedActivityGBq,
        source: SRC.DOSE_MOD,
      },
    ],
    advisory: true,
  };
}
