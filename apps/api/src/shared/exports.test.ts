import { describe, expect, it } from "vitest";
import { csvField, pdfText } from "./exports";

describe("export building blocks", () => {
  it("csvField quotes per RFC 4180 and formats numbers", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
    expect(csvField(true)).toBe("true");
    expect(csvField(12.345678)).toBe("12.345678");
    expect(csvField(12.345678, 4)).toBe("12.3457");
    expect(csvField(2.5, 4)).toBe("2.5");
  });

  it("pdfText spells out what WinAnsi cannot draw and never passes other symbols through", () => {
    expect(pdfText("SUV ≥ 2.5, λ₁ = 0.01 h⁻¹, Ã → Σ")).toBe("SUV >= 2.5, lambda1 = 0.01 h^-1, TIA -> Sum ");
    expect(pdfText("Müller – 7.4 GBq · ±5 %")).toBe("Müller – 7.4 GBq · ±5 %");
    expect(pdfText("漢")).toBe("?");
  });
});
