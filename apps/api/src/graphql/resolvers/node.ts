import type { Resolvers } from "../generated/resolvers-types";
import type { RequestContext } from "../context";
import { fromGlobalId } from "../../shared/ids";
import { pathwayLoaders } from "../../modules/pathway/pathway.loaders";
import { resolveImagingNode } from "./dicom";
import { ResponseService } from "../../modules/response/response.service";
import { BoardService } from "../../modules/boards/boards.service";

async function resolveNode(ctx: RequestContext, globalId: string) {
  const ref = fromGlobalId(globalId);
  if (!ref) return null;
  const L = ctx.loaders;
  const load = async (): Promise<object | null> => {
    switch (ref.type) {
      case "Patient":
        ctx.authorize("patient:read");
        return L.patient.load(ref.id);
      case "TherapyCourse":
        ctx.authorize("patient:read");
        return L.course.load(ref.id);
      case "TherapyCycle":
        ctx.authorize("patient:read");
        return L.cycle.load(ref.id);
      case "ImagingStudy":
        ctx.authorize("patient:read");
        return L.study.load(ref.id);
      case "Lesion":
        ctx.authorize("patient:read");
        return L.lesion.load(ref.id);
      case "BodyWeight":
        ctx.authorize("patient:read");
        return L.bodyWeight.load(ref.id);
      case "Diagnosis":
        ctx.authorize("patient:read");
        return L.diagnosis.load(ref.id);
      case "LabResult":
        ctx.authorize("patient:read");
        return L.labResult.load(ref.id);
      case "LesionMeasurement":
        ctx.authorize("patient:read");
        return L.measurement.load(ref.id);
      case "CareEvent":
        ctx.authorize("patient:read");
        return pathwayLoaders(ctx).event.load(ref.id);
      case "CycleDecision":
        ctx.authorize("patient:read");
        return pathwayLoaders(ctx).decision.load(ref.id);
      case "ProtocolTemplate":
        ctx.requireActor();
        return pathwayLoaders(ctx).template.load(ref.id);
      case "Radiopharmaceutical":
        ctx.requireActor();
        return L.radiopharmaceutical.load(ref.id);
      case "ResponseAssessment":
        return ResponseService.byId(ctx, ref.id);
      case "BoardMeeting":
        ctx.authorize("patient:read");
        return BoardService.meetingById(ctx, ref.id);
      case "BoardCase":
        ctx.authorize("patient:read");
        return BoardService.caseById(ctx, ref.id);
      case "BoardDecision":
        ctx.authorize("patient:read");
        return BoardService.decisionById(ctx, ref.id);
      case "DicomStudy":
      case "DicomSeries":
      case "QuantificationJob":
      case "LesionCandidate":
        return resolveImagingNode(ctx, ref.type, ref.id, globalId);
      default:
        ctx.requireActor();
        return null;
    }
  };
  const row = await load();
  if (!row) {
    ctx.recordOutOfScope(ref.type, ref.id, `${ref.type}.access`);
    return null;
  }
  return { ...row, __typename: ref.type };
}

export const nodeResolvers: Resolvers = {
  Query: {
    node: (_p, { id }, ctx) => resolveNode(ctx, id) as never,
    nodes: (_p, { ids }, ctx) => Promise.all(ids.map((id) => resolveNode(ctx, id))) as never,
  },
  Node: {
    __resolveType: (obj) => (obj as unknown as { __typename: string }).__typename as never,
  },
};
