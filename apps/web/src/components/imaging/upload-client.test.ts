import { describe, expect, it } from "vitest";
import { batchFiles, mergeResults, quarantineReasonText } from "./upload-client";

describe("batchFiles", () => {
  it("splits by count and by bytes, a large file alone", () => {
    const f = (size: number) => ({ size });
    expect(batchFiles([f(1), f(1), f(1)], 2, 100).map((b) => b.length)).toEqual([2, 1]);
    expect(batchFiles([f(60), f(60), f(200), f(1)], 10, 100).map((b) => b.map((x) => x.size))).toEqual([[60], [60], [200], [1]]);
    expect(batchFiles([], 2, 100)).toEqual([]);
  });
});

describe("mergeResults", () => {
  it("sums the summaries and de-duplicates studies", () => {
    const r = mergeResults([
      { summary: { stored: 2, duplicates: 1, conflicts: 0, failed: 0 }, studies: [{ studyInstanceUid: "1.2", status: "ACTIVE" }], files: [{ name: "a", outcome: "STORED" }] },
      { summary: { stored: 1, duplicates: 0, conflicts: 1, failed: 1 }, studies: [{ studyInstanceUid: "1.2", status: "ACTIVE" }, { studyInstanceUid: "1.3", status: "QUARANTINED", quarantineReason: "NO_MATCHING_MRN" }], files: [{ name: "b", outcome: "CONFLICT" }] },
    ]);
    expect(r.summary).toEqual({ stored: 3, duplicates: 1, conflicts: 1, failed: 1 });
    expect(r.studies.map((s) => s.studyInstanceUid)).toEqual(["1.2", "1.3"]);
    expect(r.files).toHaveLength(2);
  });
});

describe("quarantineReasonText", () => {
  it("explains the API codes and passes unknown ones through", () => {
    expect(quarantineReasonText("NO_MATCHING_MRN")).toMatch(/no MRN/);
    expect(quarantineReasonText("SOMETHING")).toBe("SOMETHING");
    expect(quarantineReasonText(null)).toBe("—");
  });
});
