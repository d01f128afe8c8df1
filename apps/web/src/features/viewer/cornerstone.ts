/**
 * Cornerstone3D set-up for the viewer (client only; loaded through next/dynamic with ssr:false).
 * Stack notes: tools are initialised before any element is enabled, once per page load (module
 * level guard — React StrictMode runs effects twice); images come from the same-origin
 * /dicomweb proxy with `wadors:` image ids listed by GraphQL (DicomSeries.imageIds).
 */
import {
  Enums,
  eventTarget,
  init as coreInit,
  metaData,
  volumeLoader,
  cache,
  type Types,
} from "@cornerstonejs/core";
import { init as dicomImageLoaderInit, wadors } from "@cornerstonejs/dicom-image-loader";
import {
  CircleROITool,
  EllipticalROITool,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  addTool,
  init as toolsInit,
  Enums as ToolEnums,
} from "@cornerstonejs/tools";
import { takeSeriesMetadata, type DicomJson } from "./metadata-prefetch";

let ready: Promise<void> | null = null;

/** Initialises core, the DICOM image loader and the tools exactly once. */
export function initCornerstone(): Promise<void> {
  ready ??= (async () => {
    coreInit();
    dicomImageLoaderInit({
      maxWebWorkers: Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)),
    });
    toolsInit();
    for (const t of [
      PanTool,
      ZoomTool,
      StackScrollTool,
      WindowLevelTool,
      CircleROITool,
      EllipticalROITool,
    ])
      addTool(t);
  })();
  return ready;
}

export type ViewerTool = "Crosshair" | "SphereROI" | "EllipseROI" | "WindowLevel";

const TOOL_NAME: Record<Exclude<ViewerTool, "Crosshair">, string> = {
  SphereROI: CircleROITool.toolName,
  EllipseROI: EllipticalROITool.toolName,
  WindowLevel: WindowLevelTool.toolName,
};

/** A tool group for the MPR viewports: wheel scrolls slices, right drag zooms, middle drag pans. */
export function createToolGroup(id: string, viewportIds: string[], renderingEngineId: string) {
  ToolGroupManager.destroyToolGroup(id);
  const g = ToolGroupManager.createToolGroup(id)!;
  for (const name of [
    PanTool.toolName,
    ZoomTool.toolName,
    StackScrollTool.toolName,
    WindowLevelTool.toolName,
    CircleROITool.toolName,
    EllipticalROITool.toolName,
  ])
    g.addTool(name);
  const B = ToolEnums.MouseBindings;
  g.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: B.Auxiliary }] });
  g.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: B.Secondary }] });
  g.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: B.Wheel }] });
  g.setToolPassive(CircleROITool.toolName);
  g.setToolPassive(EllipticalROITool.toolName);
  for (const v of viewportIds) g.addViewport(v, renderingEngineId);
  return g;
}

/** Makes `tool` the primary (left-button) tool; "Crosshair" leaves the left button to the viewer's own click handler. */
export function setPrimaryTool(groupId: string, tool: ViewerTool) {
  const g = ToolGroupManager.getToolGroup(groupId);
  if (!g) return;
  for (const name of Object.values(TOOL_NAME)) g.setToolPassive(name);
  if (tool !== "Crosshair")
    g.setToolActive(TOOL_NAME[tool], {
      bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }],
    });
}

export function destroyToolGroup(id: string) {
  ToolGroupManager.destroyToolGroup(id);
}



/**
 * Registers the WADO-RS metadata of a series for its image ids (one request: the series'
 * /metadata), so the loader knows geometry and rescale before the first frame arrives.
 * @returns DICOM Units (0054,1001) of the first instance, if any.
 */
export async function registerSeriesMetadata(
  seriesUrl: string,
  imageIds: readonly string[],
): Promise<{ units: string | null }> {
  const instances = await takeSeriesMetadata(seriesUrl);
  const bySop = new Map<string, DicomJson>();
  for (const inst of instances) {
    const sop = inst["00080018"]?.Value?.[0];
    if (typeof sop === "string") bySop.set(sop, inst);
  }
  let units: string | null = null;
  for (const imageId of imageIds) {
    const m = /\/instances\/([^/]+)\/frames\/\d+$/.exec(imageId);
    const inst = m ? bySop.get(m[1]!) : undefined;
    if (!inst) throw new Error("DICOMweb metadata does not list every image of the series");
    // The loader's metadata manager takes WADO-RS DICOM JSON as is.
    wadors.metaDataManager.add(
      imageId,
      inst as unknown as Parameters<typeof wadors.metaDataManager.add>[1],
    );
    const u = inst["00541001"]?.Value?.[0];
    if (units === null && typeof u === "string") units = u;
  }
  return { units };
}

/**
 * Registers the metadata of `imageId` under a distinct preview id (same frame URL with a
 * `?preview=1` suffix, ignored by the server) and returns that id.
 */
export async function registerPreviewImage(imageId: string): Promise<string> {
  const md = wadors.metaDataManager.get(imageId);
  if (!md) throw new Error("no metadata for the preview image");
  const previewId = `${imageId}?preview=1`;
  wadors.metaDataManager.add(previewId, md);
  return previewId;
}

export interface LoadedVolume {
  volume: Types.IImageVolume;
  volumeId: string;
}

/**
 * Creates the streaming volume (rescaled pixel units: Cornerstone applies Rescale Slope /
 * Intercept; the SUV factor is the server's and applied by the viewer) and starts loading it,
 * the slice at `firstSliceFraction` of the stack first so the viewed slice appears early.
 */
export async function createVolume(key: string, imageIds: string[]): Promise<LoadedVolume> {
  const volumeId = `cornerstoneStreamingImageVolume:${key}`;
  const cached = cache.getVolume(volumeId);
  if (cached) return { volume: cached, volumeId };
  const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds });
  return { volume, volumeId };
}

/** Loaded frame count of a streaming volume. */
export function framesLoaded(volume: Types.IImageVolume): { loaded: number; total: number } {
  const v = volume as unknown as { cachedFrames?: unknown[]; imageIds: string[] };
  const frames = v.cachedFrames ?? [];
  let loaded = 0;
  for (const f of frames) if (f) loaded++;
  return { loaded, total: v.imageIds.length };
}

export function onVolumeLoaded(volumeId: string, cb: () => void): () => void {
  const h = (e: Event) => {
    if ((e as CustomEvent<{ volumeId: string }>).detail?.volumeId === volumeId) cb();
  };
  eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_LOADING_COMPLETED, h);
  return () => eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_LOADING_COMPLETED, h);
}

export { metaData };
