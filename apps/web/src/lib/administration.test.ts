import { describe, expect, it } from "vitest";
import { computePreview, previewHalfLifeS } from "./administration";

function form(values: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  return fd;
}

// reference/radionuclides.md §3 Example R1: 150 MBq 68Ga at 09:00, injected 09:20,
// residue 5.0 MBq at 09:25 → 116.966 MBq (T½ 68Ga = 67.71 min).
describe("computePreview", () => {
  const t12 = previewHalfLifeS({ radiopharmaceutical: { nuclide: "68Ga", halfLifeS: 0 } });
  it("reproduces Example R1 within 0.01 MBq", () => {
    const p = computePreview(
      form({
        calibratedActivityMBq: "150",
        calibrationTime: "2026-03-02T09:00",
        infusionStart: "2026-03-02T09:20",
        residualActivityMBq: "5,0",
        residualTime: "2026-03-02T09:25",
      }),
      t12,
    );
    expect(p?.ok).toBe(true);
    if (p?.ok) expect(Math.abs(p.result.netMBq - 116.966)).toBeLessThan(0.01);
  });
  it("is null until every needed field is filled", () => {
    expect(computePreview(form({ calibratedActivityMBq: "150" }), t12)).toBeNull();
  });
  it("reports the package's error for a residue taken before the infusion", () => {
    const p = computePreview(
      form({
        calibratedActivityMBq: "7400",
        calibrationTime: "2026-03-02T09:00",
        infusionStart: "2026-03-02T10:00",
        residualActivityMBq: "50",
        residualTime: "2026-03-02T09:30",
      }),
      t12,
    );
    expect(p).toMatchObject({ ok: false });
    if (p && !p.ok) expect(p.message).toMatch(/residualTime must not precede administrationTime/);
  });
  it("falls back to the API's half-life for a nuclide the table does not know", () => {
    expect(previewHalfLifeS({ radiopharmaceutical: { nuclide: "Xx-999", halfLifeS: 1234 } })).toBe(1234);
  });
});
