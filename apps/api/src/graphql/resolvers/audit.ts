import type { Resolvers } from "../generated/resolvers-types";
import { AuditLogService } from "../../modules/audit/audit-log.service";
import { toGlobalId, type NodeType } from "../../shared/ids";
import { gid } from "./util";

const NODE_TYPES = new Set(["Patient", "BodyWeight", "Diagnosis", "Radiopharmaceutical", "TherapyCourse", "TherapyCycle", "LabResult", "ImagingStudy", "Lesion", "LesionMeasurement", "User", "Site"]);

export const auditResolvers: Resolvers = {
  Query: {
    auditEvents: (_p, args, ctx) => AuditLogService.list(ctx, args),
  },
  AuditEvent: {
    id: gid("AuditEvent"),
    actorUserId: (e) => (e.actorUserId ? toGlobalId("User", e.actorUserId) : null),
    entityId: (e) =>
      e.entityId && e.entityType && NODE_TYPES.has(e.entityType) ? toGlobalId(e.entityType as NodeType, e.entityId) : e.entityId,
    patientId: (e) => (e.patientId ? toGlobalId("Patient", e.patientId) : null),
    detail: (e) => e.detail ?? null,
  },
};
