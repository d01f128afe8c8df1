import { halfLifeS, netAdministeredActivity, type NetAdministeredActivity } from "@lutetia/quantification";
import { fromDateTimeLocal } from "./format";

/**
 * Physical half-life (s) for the live preview: @lutetia/quantification's nuclide table (the
 * same table the API's catalogue is built from), falling back to the API's value for a nuclide
 * the table does not know. The server recomputes and stores the value of record.
 */
export function previewHalfLifeS(course: { radiopharmaceutical: { nuclide: string; halfLifeS: number } }): number {
  try {
    return halfLifeS(course.radiopharmaceutical.nuclide);
  } catch {
    return course.radiopharmaceutical.halfLifeS;
  }
}

export type Preview = { ok: true; result: NetAdministeredActivity } | { ok: false; message: string } | null;

/**
 * Live net administered activity from the administration form's fields as typed so far
 * (datetime-local values, browser zone): null until every needed field has a value, else the
 * result of `netAdministeredActivity` or its error message (reference/radionuclides.md §3).
 */
export function computePreview(fd: FormData, halfLife: number): Preview {
  const text = (n: string) => {
    const v = fd.get(n);
    return typeof v === "string" ? v.trim() : "";
  };
  const cal = text("calibratedActivityMBq");
  const res = text("residualActivityMBq");
  const calT = fromDateTimeLocal(text("calibrationTime"));
  const resT = fromDateTimeLocal(text("residualTime"));
  const admT = fromDateTimeLocal(text("infusionStart"));
  if (!cal || !res || !calT || !resT || !admT) return null;
  try {
    const result = netAdministeredActivity({
      calibratedMBq: Number(cal.replace(",", ".")),
      calibrationTime: calT,
      residualMBq: Number(res.replace(",", ".")),
      residualTime: resT,
      administrationTime: admT,
      halfLifeS: halfLife,
    });
    return { ok: true, result };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
