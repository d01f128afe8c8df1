import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { freshMrn, login, snap } from "./helpers";

/** GraphQL through the web app's /graphql proxy with the signed-in browser session. */
async function gql<T>(page: Page, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await page.request.post("/graphql", { data: { query, variables }, headers: { "content-type": "application/json" } });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors ?? body));
  return body.data;
}
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

test.describe.serial("response assessment: physician confirms and signs", () => {
  const mrn = freshMrn();
  let patientId = "";

  test("a physician opens a patient, accepts the suggested studies, confirms and signs; CSV and waterfall", async ({ page }, testInfo) => {
    await login(page, "PHYSICIAN");
    // Synthetic patient with a baseline and a follow-up CT and two target lesions (RECIST worked example: SoD 100 → 60 mm).
    const p = await gql<{ patientCreate: { patient: { id: string } } }>(page, `mutation($i: PatientCreateInput!){ patientCreate(input:$i){ patient { id } userErrors { message } } }`, {
      i: { mrn, familyName: "Waterfall-Demo", givenName: "Response Journey", birthDate: "1960-02-02", sex: "MALE", heightCm: 178 },
    });
    patientId = p.patientCreate.patient.id;
    const study = async (d: number) =>
      (await gql<{ imagingStudyCreate: { study: { id: string } } }>(page, `mutation($i: ImagingStudyCreateInput!){ imagingStudyCreate(input:$i){ study { id } userErrors { message } } }`, {
        i: { patientId, modality: "CT", performedAt: daysAgo(d), purpose: d > 100 ? "BASELINE" : "RESTAGING" },
      })).imagingStudyCreate.study.id;
    const [b, f] = [await study(200), await study(20)];
    for (const [label, organ, before, after] of [["T1", "liver", 60, 36], ["T2", "lung", 40, 24]] as const) {
      const l = await gql<{ lesionCreate: { lesion: { id: string } } }>(page, `mutation($i: LesionCreateInput!){ lesionCreate(input:$i){ lesion { id } userErrors { message } } }`, {
        i: { patientId, label, organ, firstSeenOn: daysAgo(210).slice(0, 10) },
      });
      for (const [s, mm, target] of [[b, before, true], [f, after, false]] as const) {
        await gql(page, `mutation($i: LesionMeasurementRecordInput!){ lesionMeasurementRecord(input:$i){ measurement { id } userErrors { message } } }`, {
          i: { lesionId: l.lesionCreate.lesion.id, studyId: s, longAxisMm: mm, isTarget: target, method: "MANUAL" },
        });
      }
    }

    await page.goto(`/patients/${encodeURIComponent(patientId)}?tab=response`);
    await expect(page.getByRole("tab", { name: "Response" })).toHaveAttribute("aria-selected", "true");
    await expect(page.getByText("No response assessment yet.")).toBeVisible();
    await page.getByRole("button", { name: "New assessment" }).click();
    const note = page.getByRole("note");
    await expect(note).toContainText("baseline is the earliest study with lesion measurements");
    await expect(note).toContainText("Follow-up:");
    await expect(page.getByRole("status", { name: "Comparability of the chosen studies" })).toContainText("Chosen studies are comparable");
    await page.getByRole("button", { name: "Create assessment" }).click();

    // Lesion table and criteria results.
    const table = page.getByTestId("response-lesion-table");
    await expect(table).toContainText("T1");
    await expect(table).toContainText("T2");
    await expect(table.getByRole("row", { name: /T1/ })).toContainText("-40.0 %");
    await expect(page.getByTestId("result-RECIST_1_1")).toContainText("PR");
    await expect(page.getByTestId("result-RECIST_1_1")).toContainText("SoD 60 mm");
    await expect(page.getByTestId("result-PERCIST_1_0")).toContainText("PERCIST 1.0 needs PET at both time points; baseline is CT");
    await snap(page, testInfo, "response-draft");

    // Override without a reason is refused inline; then confirm the computed PR.
    const confirm = page.getByRole("form", { name: "Confirm or override" });
    await confirm.getByLabel("Category").selectOption({ label: "Override: SD" });
    await confirm.getByRole("button", { name: "Override" }).click();
    await expect(confirm.getByRole("alert").first()).toContainText("is required to override the computed RECIST_1_1 category PR with SD");
    await confirm.getByLabel("Category").selectOption({ label: "Confirm computed: PR" });
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByTestId("response-conclusion")).toContainText("confirmed");
    await page.getByRole("button", { name: "Sign assessment" }).click();
    await expect(page.getByRole("heading", { name: /Assessment revision 1/ })).toContainText("Signed");
    await expect(page.getByText(/Stored at signing/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Amend (new version)" })).toBeVisible();
    await snap(page, testInfo, "response-signed");

    // CSV with the lesion numbers.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toContain("baseline_long_axis_mm");
    expect(lines.find((l) => l.startsWith("T1,"))).toBe("T1,liver,MATCHED,yes,60,,,,,,36,,,,,,-40,,,");
    expect(lines.find((l) => l.startsWith("T2,"))).toBe("T2,lung,MATCHED,yes,40,,,,,,24,,,,,,-40,,,");

    // The site waterfall shows the patient with −40 %.
    await page.getByRole("link", { name: "Response", exact: true }).click();
    await expect(page.getByRole("heading", { name: /best response across the site/ })).toBeVisible();
    const row = page.getByTestId("waterfall-table").getByRole("row", { name: new RegExp(mrn) });
    await expect(row).toContainText("-40.0 %");
    await expect(row).toContainText("Signed");
    await expect(page.getByRole("figure", { name: "Waterfall plot of best response" })).toBeVisible();
    await snap(page, testInfo, "response-waterfall");
    // Filter by criterion: the CT-only patient has no SSTR-PET result; the seeded SSTR PET drafts do.
    await page.getByLabel("Criterion").selectOption("SSTR_PET");
    await expect(page.getByTestId("waterfall-table")).toContainText("DEMO-");
    await expect(page.getByTestId("waterfall-table").getByRole("row", { name: new RegExp(mrn) })).toHaveCount(0);

    // Physician home lists the seeded drafts awaiting signature.
    await page.goto("/");
    await expect(page.getByRole("heading", { name: /Response assessments awaiting signature/ })).toBeVisible();
    const drafts = page.getByRole("region", { name: /Response assessments awaiting signature/ });
    await expect(drafts.getByRole("link", { name: /, / }).first()).toBeVisible();
    // A seeded draft (SSTR PET before and after the course, liver reference entered) is assessable.
    await drafts.getByRole("link", { name: /, / }).first().click();
    await expect(page.getByTestId("result-SSTR_PET")).toBeVisible();
    await expect(page.getByTestId("result-SSTR_PET")).not.toContainText("Not evaluable");
    await expect(page.getByTestId("result-RECIST_1_1")).not.toContainText("Not evaluable");
    await expect(page.getByRole("figure", { name: "SUVmax (g/mL) per lesion" })).toBeVisible();
    await snap(page, testInfo, "response-seeded-draft");
  });
});
