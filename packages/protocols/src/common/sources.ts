/**
 * Citation strings used by every rule in this package. Each names the section of the
 * project reference (`shared/reference/*.md`) and the original publication or guideline.
 * Values that the reference marks "(unverified here)" are flagged with `UNVERIFIED` so a
 * reviewer can find them.
 */
export const UNVERIFIED = "(unverified here – confirm before clinical use)";

export const SRC = {
  LABEL_DOSE:
    "prrt-protocols.md §1 – Lutathera US prescribing information (Novartis, rev. 04/2024) §2.2; NETTER-1 (Strosberg, N Engl J Med 2017;376:125)",
  LABEL_INTERVAL:
    "prrt-protocols.md §1 – Lutathera US prescribing information (rev. 04/2024) §2.2: every 8 weeks (± 1 week)",
  LABEL_SSA_BEFORE_FIRST:
    "prrt-protocols.md §1.2 – Lutathera US prescribing information (rev. 04/2024) §2.3: stop long-acting SSA ≥ 4 weeks, short-acting ≥ 24 h before",
  LABEL_SSA_DURING:
    "prrt-protocols.md §1.1 step 6 / §1.2 – Lutathera label summary (empr.com); NETTER-2 HCP summary: long-acting octreotide 30 mg 4–24 h after each dose, none within 4 weeks before the next",
  LABEL_AMINO_ACIDS:
    "prrt-protocols.md §1.1 step 3 – Lutathera US prescribing information (rev. 04/2024): start L-lysine/L-arginine infusion 30 min before, continue ≥ 3 h after",
  POST_SCAN_24H:
    "prrt-protocols.md §6 – post-therapy 177Lu planar/SPECT/CT commonly ~24 h (NANETS/SNMMI procedure standard, Hope TA et al., J Nucl Med 2019;60:937)",
  POST_SCAN_LUTATE:
    "prrt-protocols.md §6 – dosimetry SPECT/CT at 4, 24, 96–120 h (Lutate study, EJNMMI Phys 2018, doi:10.1186/s40658-018-0232-9)",
  POST_SCAN_STAANUM:
    "prrt-protocols.md §6 – dosimetry SPECT/CT at 1, 4, 7 days (Staanum PF et al., EJNMMI Phys 2021;8:78)",
  POST_SCAN_STP:
    "prrt-protocols.md §6 – single time-point dosimetry at ~96 h (Sundlöv, EJNMMI Phys 2018, doi:10.1186/s40658-018-0210-2) or ~72 h (J Nucl Med, PMC8882881)",
  PRE_CYCLE_LABS: `prrt-protocols.md §4 Monitoring cadence – labs within a configurable window before each cycle, commonly ≤ 2 weeks ${UNVERIFIED}`,
  NADIR_LABS:
    "prrt-protocols.md §4 Monitoring cadence – CBC at ~4–6 weeks post-cycle (median platelet nadir 5.1 weeks, NETTER-1 / label §5; Cancers 2023;15:4836)",
  INTERIM_IMAGING:
    "prrt-protocols.md §2, §6 – interim CT/MRI every 12 weeks (NETTER-1, Strosberg 2017); weeks 16 and 24 (NETTER-2, Singh 2024)",
  RESTAGING:
    "prrt-protocols.md §6 / README §6 – end-of-treatment SSTR PET/CT + CT/MRI about 2–3 months after the last cycle (Alipour et al., Eur J Nucl Med Mol Imaging 2023;50:2997)",
  FOLLOW_UP_IMAGING: `prrt-protocols.md §6 – follow-up CT/MRI every 3–6 months (interval by grade/tempo ${UNVERIFIED})`,
  FOLLOW_UP_LABS:
    "prrt-protocols.md §4, §6 – blood tests 1, 3, 6 and 12 months after the last cycle, then yearly (Cancers 2023;15:4836, citing Zaknun 2013)",
  DOSIMETRY_GUIDED:
    "prrt-protocols.md §1.3 – individualised 177Lu-DOTATATE 7.4 GBq every 10 ± 2 weeks until a kidney absorbed-dose limit; median 5 cycles, range 1–9 (Sundlöv A et al., Eur J Nucl Med Mol Imaging 2022, ILUMINET)",
  Y90_DOTATOC: `prrt-protocols.md §1.3 – 90Y-DOTATOC Basel dose escalation: median 2.4 / 3.3 / 6.7 GBq per cycle (Marincek N et al., J Transl Med 2013;11:17); cycle count and interval not given in the reference ${UNVERIFIED}`,
  ACTIVITY_TOLERANCE:
    "prrt-protocols.md §1 – administer within ±10 % of intended activity (EANM position paper, Eur J Nucl Med Mol Imaging 2021;48:67)",
  ELIG_TABLE:
    "prrt-protocols.md §3 Eligibility – NETTER-style exclusion wording (University of Chicago IRB19-1485 listing); LUTIA (Trials 2019, doi:10.1186/s13063-019-3888-0); NCT01842165",
  ELIG_KRENNING:
    "prrt-protocols.md §3 SSTR expression; response-criteria.md §6.1 – uptake in all target lesions ≥ normal liver (Krenning ≥ 2; NETTER-3 listing wording; Kwekkeboom & Krenning, Semin Nucl Med 2002;32:84)",
  ELIG_DISCORDANCE:
    "response-criteria.md §7.3 (FDG+/SSTR− discordance rule); §7.2 Zidan grade 4 / NETPET P5 'not suitable' (Cancer Imaging 2022, doi:10.1186/s40644-022-00465-3)",
  ELIG_KI67:
    "prrt-protocols.md §3 Grade/Ki-67 – G1–G2 (Ki-67 ≤ 20 %) NETTER-1; WHO grading G1 < 3 %, G2 3–20 %, G3 > 20 % (Faggiano et al., Oncotarget 2016;7:5538)",
  ELIG_FDG_INDICATED: `prrt-protocols.md §6 Baseline – FDG PET/CT when indicated (G2 with higher Ki-67, G3, rapid progression); the Ki-67 cut-off is a site policy ${UNVERIFIED}`,
  ELIG_HB:
    "prrt-protocols.md §3 Haemoglobin – exclude if < 8.0 g/dL (< 5.0 mmol/L), NETTER-style listing",
  ELIG_WBC:
    "prrt-protocols.md §3 White cells – exclude if WBC < 2 × 10⁹/L (2000/mm³), NETTER-style listing",
  ELIG_PLT: "prrt-protocols.md §3 Platelets – exclude if < 75 × 10⁹/L, NETTER-style listing",
  ELIG_RENAL:
    "prrt-protocols.md §3 Renal – exclude if creatinine clearance < 50 mL/min (Cockcroft–Gault), NETTER-style listing; LUTIA GFR < 50 mL/min",
  ELIG_BILI: `prrt-protocols.md §3 Liver – exclude if total bilirubin > 3 × ULN (×ULN per NETTER-1 ${UNVERIFIED})`,
  ELIG_ALB:
    "prrt-protocols.md §3 Liver – exclude if albumin < 3.0 g/dL unless prothrombin time is within the normal range (NETTER-style listing)",
  ELIG_INR: "prrt-protocols.md §3 Liver – INR > 1.5 excluded (NETTER-style listing)",
  ELIG_PS: `prrt-protocols.md §3 Performance – Karnofsky ≥ 60 ${UNVERIFIED} (≈ ECOG ≤ 2); LUTIA and NCT01842165 use ECOG ≤ 1`,
  ELIG_PRIOR_PRRT:
    "prrt-protocols.md §3 Disease status (NETTER-2: no prior PRRT) and §7 Retreatment (Rotterdam PFS ≥ 18 months, van der Zwan 2019); kidney limits dosimetry.md §6 (23 Gy, Emami 1991 / Konijnenberg 2003; 27 Gy, Garske 2010)",
  ELIG_LAB_AGE: `prrt-protocols.md §3 eligibility pseudo-code (labsAgeDays ≤ maxLabAgeDays) and §4 (≤ 2 weeks ${UNVERIFIED})`,
  CG: `prrt-protocols.md §3 Helper formulas – Cockcroft–Gault CrCl = (140 − age) × weight / (72 × SCr[mg/dL]) × 0.85 if female; SCr mg/dL = µmol/L / 88.4 (textbook ${UNVERIFIED})`,
  CTCAE_TABLE:
    "prrt-protocols.md §4 – CTCAE v5.0 (NCI, 27 Nov 2017) as encoded in PharmaForest/ctcae5_grader; boundary convention '< 75 000 – 50 000' means 50 000 ≤ x < 75 000",
  CTCAE_NOT_IN_REFERENCE:
    "CTCAE v5.0 (NCI, 2017) as encoded in PharmaForest/ctcae5_grader (ctcae5_alt.sas / ctcae5_ast.sas); not tabulated in prrt-protocols.md §4",
  CTCAE_CKD: `CTCAE v5.0 (NCI, 2017) 'Chronic kidney disease' eGFR bands (G2 59–30, G3 29–15, G4 < 15 mL/min/1.73 m²); not tabulated in prrt-protocols.md §4 ${UNVERIFIED}`,
  DOSE_MOD:
    "prrt-protocols.md §5 – Lutathera label dose-modification logic as tabulated in AJR 2023;220:619–629 (doi:10.2214/AJR.22.28237)",
  DOSE_MOD_REDUCED: `prrt-protocols.md §5 – resume at reduced dose (label: 3.7 GBq ${UNVERIFIED})`,
  DOSE_MOD_RENAL: `prrt-protocols.md §5 – renal toxicity (label definition: CrCl < 40 mL/min, or ≥ 40 % rise in serum creatinine, or ≥ 40 % fall in CrCl from baseline ${UNVERIFIED})`,
  DOSE_MOD_HEPATIC: `prrt-protocols.md §5 – hepatotoxicity (label: bilirubin > 3 × ULN, or albumin < 30 g/L with INR > 1.5 ${UNVERIFIED})`,
  SAME_DAY_PET:
    "Site scheduling policy (not stated in the reference); response-criteria.md §7.3 pairs FDG and SSTR PET as separate, co-registered studies",
  DOSIMETRY_SIGNED:
    "README §4 (Dosimetry: the medical physicist proposes the next cycle's activity) and prrt-protocols.md §1.3 (dosimetry-guided regimen) – site policy",
} as const;
