/** Relay global IDs: base64url("Type:uuid"). Opaque to clients; no PHI. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NodeType =
  | "Site"
  | "User"
  | "Patient"
  | "BodyWeight"
  | "Diagnosis"
  | "Radiopharmaceutical"
  | "TherapyCourse"
  | "TherapyCycle"
  | "LabResult"
  | "ImagingStudy"
  | "Lesion"
  | "LesionMeasurement"
  | "AuditEvent"
  | "ProtocolTemplate"
  | "CareEvent"
  | "CycleDecision"
  | "CalendarFeed"
  | "DicomStudy"
  | "DicomSeries"
  | "SeriesQaOverride"
  | "QuantificationJob"
  | "LesionCandidate"
  | "ReferenceValue"
  | "DosimetryRecord"
  | "ResponseAssessment"
  | "BoardMeeting"
  | "BoardCase"
  | "BoardCaseSnapshot"
  | "BoardDecision";

export function toGlobalId(type: NodeType, id: string | number): string {
  return Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
}

/** Decodes a global ID; null when malformed (callers report it as a field error). */
export function fromGlobalId(globalId: string): { type: NodeType; id: string } | null {
  let decoded: string;
  try {
    decoded = Buffer.from(globalId, "base64url").toString("utf8");
  } catch {
    return null;
  }
  const i = decoded.indexOf(":");
  if (i <= 0) return null;
  const type = decoded.slice(0, i) as NodeType;
  const id = decoded.slice(i + 1);
  if (type === "AuditEvent") return /^\d+$/.test(id) ? { type, id } : null;
  return UUID.test(id) ? { type, id } : null;
}

/** Decodes a global ID of an expected type, or returns null. */
export function idOf(globalId: string, type: NodeType): string | null {
  const d = fromGlobalId(globalId);
  return d && d.type === type ? d.id : null;
}
