"use client";

/**
 * PET/SPECT viewer (Cornerstone3D 5.14): axial, coronal and sagittal MPR with the PET (or
 * quantitative SPECT) fused over CT when the study has one, a static or rotating MIP, SUV
 * readout with the server's factor, SUV window presets and colour maps, crosshair linking,
 * sphere/ellipse ROIs whose statistics @lutetia/quantification computes in a Web Worker.
 */
import {
  Enums,
  RenderingEngine,
  cache,
  eventTarget,
  setVolumesForViewports,
  type Types,
} from "@cornerstonejs/core";
import { annotation as csAnnotation, Enums as ToolEnums } from "@cornerstonejs/tools";
import type { VolumeGeometry } from "@lutetia/quantification";
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from "react";
import {
  createToolGroup,
  createVolume,
  destroyToolGroup,
  framesLoaded,
  initCornerstone,
  onVolumeLoaded,
  registerPreviewImage,
  registerSeriesMetadata,
  setPrimaryTool,
  type ViewerTool,
} from "./cornerstone";
import type { RoiStats } from "./roi-protocol";
import { RoiWorkerClient } from "./roi-client";
import {
  SUV_MODE_LABEL,
  SUV_WINDOW_PRESETS,
  cameraThrough,
  displayScale,
  ellipsoidFromEllipse,
  formatReadout,
  geometryFromCornerstone,
  nearestVoxel,
  pointOntoPlane,
  rawUnitLabel,
  sphereFromCircle,
  stepVoxel,
  voxelCentreMm,
  windowToPixelRange,
  pixelRangeToWindow,
  middleOutOrder,
  type DisplayScale,
  type RoiShape,
  type ServerSuv,
  type SuvMode,
  type Vec3,
} from "./viewer-math";

export interface ViewerSeries {
  id: string;
  modality: string | null;
  seriesInstanceUid: string;
  imageIds: readonly string[];
  seriesUrl: string;
  suv: ServerSuv | null;
}

export interface Marker {
  id: string;
  kind: "candidate" | "lesion";
  label: string;
  centreMm: Vec3;
}

export const PET_COLORMAPS: readonly { name: string; label: string }[] = [
  { name: "Black-Body Radiation", label: "Hot (black-body)" },
  { name: "hsv", label: "Rainbow (HSV)" },
  { name: "Inferno (matplotlib)", label: "Inferno" },
  { name: "X Ray", label: "Inverted grey" },
  { name: "Grayscale", label: "Grey" },
];

const VIEWS = [
  { key: "axial", label: "Axial", orientation: Enums.OrientationAxis.AXIAL },
  { key: "coronal", label: "Coronal", orientation: Enums.OrientationAxis.CORONAL },
  { key: "sagittal", label: "Sagittal", orientation: Enums.OrientationAxis.SAGITTAL },
] as const;
const MIP_KEY = "mip";
const PREVIEW_KEY = "preview";

let instanceCounter = 0;

export interface RoiResult {
  roi: RoiShape;
  /** Statistics in the displayed unit. */
  stats: RoiStats;
  scale: DisplayScale;
  /** SUVbw factor used (null when SUV is not available). */
  suvbwFactor: number | null;
  mode: SuvMode;
}

export function PetViewer({
  pet,
  ct,
  markers,
  selectedMarker,
  onRoi,
  onSelectMarker,
}: {
  pet: ViewerSeries;
  ct: ViewerSeries | null;
  markers: readonly Marker[];
  selectedMarker: string | null;
  onRoi: (r: RoiResult | null) => void;
  onSelectMarker: (id: string | null) => void;
}) {
  const ids = useMemo(() => {
    const n = ++instanceCounter;
    return { engine: `lutetia-viewer-${n}`, toolGroup: `lutetia-tools-${n}` };
  }, []);
  const elements = useRef<Record<string, HTMLDivElement | null>>({});
  const engineRef = useRef<RenderingEngine | null>(null);
  const volumeRef = useRef<{
    volume: Types.IImageVolume;
    volumeId: string;
    geometry: VolumeGeometry;
    ctVolumeId: string | null;
  } | null>(null);
  const workerRef = useRef<RoiWorkerClient | null>(null);
  const [status, setStatus] = useState<"init" | "loading" | "ready" | "error">("init");
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState({ loaded: 0, total: pet.imageIds.length });
  const [rawUnit, setRawUnit] = useState("pixel units");
  const [mode, setMode] = useState<SuvMode>("SUVBW");
  const scale = useMemo(() => displayScale(pet.suv, mode, rawUnit), [pet.suv, mode, rawUnit]);
  const [windowRange, setWindowRange] = useState<{ lower: number; upper: number } | null>(null);
  const [colormap, setColormap] = useState<string>(PET_COLORMAPS[0]!.name);
  const [petOpacity, setPetOpacity] = useState(0.6);
  const [tool, setTool] = useState<ViewerTool>("Crosshair");
  const [point, setPoint] = useState<Vec3 | null>(null);
  const [mipRotating, setMipRotating] = useState(false);
  const [mipReady, setMipReady] = useState(false);
  /** The one-frame preview over the axial view (first image fast), until the volume shows that slice. */
  const [previewOn, setPreviewOn] = useState(false);
  const previewRef = useRef(false);
  useEffect(() => {
    previewRef.current = previewOn;
  }, [previewOn]);
  const applyPreviewWindow = useRef<(() => void) | null>(null);
  const [tick, setTick] = useState(0);
  /** First PET image visible: ms since the viewer started loading, and since navigation start (bench:web). */
  const [firstImageMs, setFirstImageMs] = useState<number | null>(null);
  const [firstImageAt, setFirstImageAt] = useState<number | null>(null);
  const [roi, setRoi] = useState<RoiShape | null>(null);
  const [roiStats, setRoiStats] = useState<{
    stats: RoiStats | null;
    error: string | null;
    busy: boolean;
  }>({ stats: null, error: null, busy: false });
  const [sphereRadius, setSphereRadius] = useState("10");
  const [gotoText, setGotoText] = useState({ x: "", y: "", z: "" });
  const [announce, setAnnounce] = useState("");
  const pointRef = useRef<Vec3 | null>(null);
  useEffect(() => {
    pointRef.current = point;
  }, [point]);
  /** The loaded volume for rendering (state, not a ref: the readout and overlays render from it). */
  const [vol, setVol] = useState<{
    volume: Types.IImageVolume;
    volumeId: string;
    geometry: VolumeGeometry;
    engine: RenderingEngine;
  } | null>(null);
  // Jump to the candidate / lesion selected in the lists (derived state, adjusted during render).
  const [jumped, setJumped] = useState<string | null>(null);
  if (selectedMarker !== jumped) {
    setJumped(selectedMarker);
    const m = markers.find((x) => x.id === selectedMarker);
    if (m) setPoint(m.centreMm);
  }

  // ---- set-up: init once, metadata, volumes, viewports, tools
  useEffect(() => {
    let cancelled = false;
    const cleanups: (() => void)[] = [];
    (async () => {
      try {
        await initCornerstone();
        const petMeta = await registerSeriesMetadata(pet.seriesUrl, pet.imageIds);
        if (ct) await registerSeriesMetadata(ct.seriesUrl, ct.imageIds);
        if (cancelled) return;
        setRawUnit(rawUnitLabel(petMeta.units));
        const petVol = await createVolume(pet.id, [...pet.imageIds]);
        const ctVol = ct ? await createVolume(ct.id, [...ct.imageIds]) : null;
        if (cancelled) return;
        const engine = new RenderingEngine(ids.engine);
        engineRef.current = engine;
        const inputs: Types.PublicViewportInput[] = [
          ...VIEWS.map((v) => ({
            viewportId: v.key,
            element: elements.current[v.key]!,
            type: Enums.ViewportType.ORTHOGRAPHIC,
            defaultOptions: { orientation: v.orientation, background: [0, 0, 0] as Types.Point3 },
          })),
          {
            viewportId: MIP_KEY,
            element: elements.current[MIP_KEY]!,
            type: Enums.ViewportType.ORTHOGRAPHIC,
            defaultOptions: {
              orientation: Enums.OrientationAxis.CORONAL,
              background: [0, 0, 0] as Types.Point3,
            },
          },
          {
            viewportId: PREVIEW_KEY,
            element: elements.current[PREVIEW_KEY]!,
            type: Enums.ViewportType.STACK,
            defaultOptions: { background: [0, 0, 0] as Types.Point3 },
          },
        ];
        engine.setViewports(inputs);
        createToolGroup(
          ids.toolGroup,
          VIEWS.map((v) => v.key),
          ids.engine,
        );
        const geometry = geometryFromCornerstone(petVol.volume);
        volumeRef.current = {
          volume: petVol.volume,
          volumeId: petVol.volumeId,
          geometry,
          ctVolumeId: ctVol?.volumeId ?? null,
        };
        setVol({ volume: petVol.volume, volumeId: petVol.volumeId, geometry, engine });
        // The viewed slice first: load order from the middle of the stack outwards (bench:web).
        prioritiseMiddle(petVol.volume);
        // Cornerstone re-renders every viewport at each 2 % of frames loaded; with software WebGL
        // (SwiftShader) and a MIP that starves the main thread (bench:web). Instead: the MPR views
        // are rendered at most every 250 ms while loading, the axial slice as soon as it arrives,
        // and the MIP is attached once the whole volume is there.
        for (const lv of [petVol.volume, ctVol?.volume])
          if (lv) (lv as unknown as { autoRenderOnLoad: boolean }).autoRenderOnLoad = false;
        const mprIds = VIEWS.map((x) => x.key);
        const d = petVol.volume.dimensions;
        const sp = petVol.volume.spacing;
        const kMid = Math.floor(d[2] / 2);
        const cachedFrames = () =>
          (petVol.volume as unknown as { cachedFrames?: unknown[] }).cachedFrames ?? [];
        let mprReady = false;
        let handedOver = false;
        const t0 = performance.now();
        const attachMip = async () => {
          const diag = Math.hypot(d[0] * sp[0], d[1] * sp[1], d[2] * sp[2]);
          await setVolumesForViewports(
            engine,
            [
              {
                volumeId: petVol.volumeId,
                blendMode: Enums.BlendModes.MAXIMUM_INTENSITY_BLEND,
                slabThickness: diag,
              },
            ],
            [MIP_KEY],
          );
          if (!cancelled) setMipReady(true);
        };
        // Loaded: hand a copy of the volume (rescaled pixel units) to the ROI worker once, show the MIP.
        const whenLoaded = () => {
          if (handedOver || cancelled || !mprReady) return;
          const data = volumeScalarData(petVol.volume);
          if (!data) return; // a slice is not in the image cache yet: the poll below retries
          handedOver = true;
          setProgress(framesLoaded(petVol.volume));
          workerRef.current?.setVolume(petVol.volumeId, data, geometry);
          engine.renderViewports(mprIds);
          setStatus("ready");
          void attachMip();
        };
        cleanups.push(onVolumeLoaded(petVol.volumeId, whenLoaded));
        let lastRendered = -1;
        const poll = window.setInterval(() => {
          const fl = framesLoaded(petVol.volume);
          const ctLoaded = ctVol ? framesLoaded(ctVol.volume).loaded : 0;
          setProgress(fl);
          if (mprReady && fl.loaded + ctLoaded !== lastRendered) {
            lastRendered = fl.loaded + ctLoaded;
            engine.renderViewports(mprIds);
          }
          if (fl.total > 0 && fl.loaded === fl.total) whenLoaded();
        }, 250);
        cleanups.push(() => window.clearInterval(poll));
        // First image: render the axial view the moment its slice has arrived.
        const axialEl = elements.current.axial!;
        let firstShown = false;
        const axialShown = () => !previewRef.current && firstShown;
        const onRendered = () => {
          if (!cachedFrames()[kMid]) return;
          setPreviewOn(false);
          axialEl.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
          if (firstShown) return;
          firstShown = true;
          const now = performance.now();
          setFirstImageMs(Math.round(now - t0));
          setFirstImageAt(Math.round(now));
        };
        axialEl.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
        cleanups.push(() => axialEl.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered));
        const onModified = (e: Event) => {
          if (
            axialShown() ||
            !mprReady ||
            (e as CustomEvent<{ volumeId: string }>).detail?.volumeId !== petVol.volumeId ||
            !cachedFrames()[kMid]
          )
            return;
          engine.renderViewports(["axial"]);
        };
        eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, onModified);
        cleanups.push(() =>
          eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, onModified),
        );
        // The first image: the middle slice alone as a 2D stack image over the axial view (one
        // frame, a small texture), under its own image id so its cached image never stands in for
        // a volume slice; hidden once the axial volume view shows that slice.
        const previewEl = elements.current[PREVIEW_KEY]!;
        const onPreviewRendered = () => {
          if (firstShown) return;
          firstShown = true;
          const now = performance.now();
          setFirstImageMs(Math.round(now - t0));
          setFirstImageAt(Math.round(now));
        };
        previewEl.addEventListener(Enums.Events.IMAGE_RENDERED, onPreviewRendered, { once: true });
        cleanups.push(() =>
          previewEl.removeEventListener(Enums.Events.IMAGE_RENDERED, onPreviewRendered),
        );
        const midId = petVol.volume.imageIds[kMid];
        const previewReady = midId
          ? registerPreviewImage(midId)
              .then(async (previewId) => {
                const pv = engine.getViewport(PREVIEW_KEY) as Types.IStackViewport;
                await pv.setStack([previewId]);
                if (cancelled) return;
                previewRef.current = true;
                setPreviewOn(true);
                applyPreviewWindow.current?.();
                pv.render();
              })
              .catch(() => undefined)
          : Promise.resolve();
        // The preview frame goes first: the volume's 400 requests would otherwise queue it behind
        // them in the browser's six connections per host (bench:web); at most 1.5 s head start.
        await Promise.race([previewReady, new Promise((r) => window.setTimeout(r, 1500))]);
        if (cancelled) return;
        petVol.volume.load(() => undefined);
        ctVol?.volume.load(() => undefined);
        const mprVolumes = ctVol
          ? [{ volumeId: ctVol.volumeId }, { volumeId: petVol.volumeId }]
          : [{ volumeId: petVol.volumeId }];
        await setVolumesForViewports(engine, mprVolumes, mprIds);
        if (cancelled) return;
        mprReady = true;
        setStatus((st) => (st === "ready" ? st : "loading"));
        const centre = voxelCentreMm(geometry, [Math.floor(d[0] / 2), Math.floor(d[1] / 2), kMid]);
        setPoint(centre);
        engine.renderViewports(mprIds);
        if (framesLoaded(petVol.volume).loaded === framesLoaded(petVol.volume).total) whenLoaded();
      } catch (e) {
        if (!cancelled) {
          setError(e instanceof Error ? e.message : String(e));
          setStatus("error");
        }
      }
    })();
    return () => {
      cancelled = true;
      for (const c of cleanups) c();
      destroyToolGroup(ids.toolGroup);
      engineRef.current?.destroy();
      engineRef.current = null;
      const v = volumeRef.current;
      if (v) {
        cache.removeVolumeLoadObject(v.volumeId);
        if (v.ctVolumeId) cache.removeVolumeLoadObject(v.ctVolumeId);
      }
      volumeRef.current = null;
      setVol(null);
    };
  }, [pet, ct, ids]);

  // ---- ROI worker
  useEffect(() => {
    const w = new RoiWorkerClient();
    workerRef.current = w;
    return () => {
      w.terminate();
      workerRef.current = null;
    };
  }, []);

  // ---- window (displayed units → pixel units), colour map, fusion opacity
  useEffect(() => {
    const engine = engineRef.current;
    const v = volumeRef.current;
    if (!engine || !v || status === "init") return;
    let range = windowRange;
    if (!range) {
      if (scale.isSuv) range = { lower: 0, upper: 10 };
      else {
        const vp = engine.getViewport("axial") as Types.IVolumeViewport;
        const voi = vp.getProperties(v.volumeId)?.voiRange;
        range = voi
          ? pixelRangeToWindow(voi.lower, voi.upper, scale.perUnit)
          : { lower: 0, upper: 1 };
      }
      setWindowRange(range);
      return;
    }
    const px = windowToPixelRange(range.lower, range.upper, scale.perUnit);
    const previewWindow = () => {
      const pv = engine.getViewport(PREVIEW_KEY) as Types.IStackViewport | undefined;
      if (!pv || !previewRef.current) return;
      pv.setProperties({ voiRange: px, colormap: { name: colormap } });
      pv.render();
    };
    applyPreviewWindow.current = previewWindow;
    previewWindow();
    for (const key of [...VIEWS.map((x) => x.key), ...(mipReady ? [MIP_KEY] : [])]) {
      const vp = engine.getViewport(key) as Types.IVolumeViewport | undefined;
      if (!vp) continue;
      const fused = key !== MIP_KEY && v.ctVolumeId !== null;
      vp.setProperties(
        { voiRange: px, colormap: { name: colormap, opacity: fused ? petOpacity : 1 } },
        v.volumeId,
      );
      if (fused && v.ctVolumeId)
        vp.setProperties({ voiRange: { lower: -160, upper: 240 } }, v.ctVolumeId);
      vp.render();
    }
  }, [status, windowRange, scale, colormap, petOpacity, mipReady]);

  // ---- primary tool
  useEffect(() => {
    if (status !== "init") setPrimaryTool(ids.toolGroup, tool);
  }, [tool, status, ids]);

  // ---- crosshair linking: every MPR view shows the slice through the shared point
  useEffect(() => {
    const engine = engineRef.current;
    if (!engine || !point) return;
    for (const v of VIEWS) {
      const vp = engine.getViewport(v.key) as Types.IVolumeViewport | undefined;
      if (!vp) continue;
      const cam = vp.getCamera();
      const moved = cameraThrough(
        cam as { focalPoint: number[]; position: number[]; viewPlaneNormal: number[] },
        point,
      );
      const fp = cam.focalPoint!;
      if (
        Math.hypot(
          moved.focalPoint[0] - fp[0],
          moved.focalPoint[1] - fp[1],
          moved.focalPoint[2] - fp[2],
        ) > 1e-3
      ) {
        vp.setCamera({ focalPoint: moved.focalPoint, position: moved.position });
        vp.render();
      }
    }
    setTick((t) => t + 1);
  }, [point]);

  // After a view scrolls (wheel), the shared point follows along that view's normal; redraw overlays on zoom/pan.
  useEffect(() => {
    if (status === "init") return;
    const handlers: [HTMLElement, EventListener][] = [];
    let raf = 0;
    for (const v of VIEWS) {
      const el = elements.current[v.key];
      if (!el) continue;
      const h = () => {
        const engine = engineRef.current;
        const vp = engine?.getViewport(v.key) as Types.IVolumeViewport | undefined;
        const p = pointRef.current;
        if (vp && p) {
          const cam = vp.getCamera();
          const q = pointOntoPlane(p, cam.focalPoint!, cam.viewPlaneNormal!);
          if (Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]) > 1e-3) setPoint(q);
        }
        cancelAnimationFrame(raf);
        raf = requestAnimationFrame(() => setTick((t) => t + 1));
      };
      el.addEventListener(Enums.Events.CAMERA_MODIFIED, h);
      handlers.push([el, h]);
    }
    return () => {
      cancelAnimationFrame(raf);
      for (const [el, h] of handlers) el.removeEventListener(Enums.Events.CAMERA_MODIFIED, h);
    };
  }, [status]);

  // ---- MIP rotation (about the patient's head–foot axis)
  useEffect(() => {
    const engine = engineRef.current;
    const v = volumeRef.current;
    if (!engine || !v || !mipReady) return;
    const vp = engine.getViewport(MIP_KEY) as Types.IVolumeViewport | undefined;
    if (!vp) return;
    const cam0 = vp.getCamera();
    const focal = cam0.focalPoint!;
    const dist = Math.hypot(
      cam0.position![0] - focal[0],
      cam0.position![1] - focal[1],
      cam0.position![2] - focal[2],
    );
    const setAngle = (deg: number) => {
      const a = (deg * Math.PI) / 180;
      // Coronal (anterior view): normal [0, -1, 0] at 0°; rotate about z (LPS superior).
      const n: Vec3 = [Math.sin(a), -Math.cos(a), 0];
      vp.setCamera({
        viewPlaneNormal: n,
        viewUp: [0, 0, 1],
        focalPoint: focal,
        position: [
          focal[0] - n[0] * dist,
          focal[1] - n[1] * dist,
          focal[2] - n[2] * dist,
        ] as Types.Point3,
      });
      vp.render();
    };
    if (!mipRotating) {
      setAngle(0);
      return;
    }
    let angle = 0;
    const t = window.setInterval(() => {
      angle = (angle + 10) % 360;
      setAngle(angle);
    }, 120);
    return () => window.clearInterval(t);
  }, [mipRotating, mipReady]);

  // ---- ROIs drawn with the circle / ellipse tools
  const runStats = useCallback(
    async (shape: RoiShape) => {
      const v = volumeRef.current;
      const w = workerRef.current;
      setRoi(shape);
      if (!v || !w) return;
      setRoiStats({ stats: null, error: null, busy: true });
      try {
        const stats = await w.stats(v.volumeId, shape, scale.perUnit);
        setRoiStats({ stats, error: null, busy: false });
        setAnnounce(
          `ROI: max ${stats.max.toFixed(2)} ${scale.unit}, volume ${stats.volumeMl.toFixed(2)} mL`,
        );
      } catch (e) {
        setRoiStats({
          stats: null,
          error: e instanceof Error ? e.message : String(e),
          busy: false,
        });
      }
    },
    [scale],
  );

  useEffect(() => {
    if (!roi || status !== "ready") return;
    // Recompute when the unit or the load state changes (the worker answers asynchronously).
    const t = window.setTimeout(() => void runStats(roi), 0);
    return () => window.clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- not on every new ROI (runStats is called for those)
  }, [scale, status]);

  useEffect(() => {
    onRoi(
      roi && roiStats.stats
        ? {
            roi,
            stats: roiStats.stats,
            scale,
            suvbwFactor: scale.isSuv && pet.suv?.factor ? pet.suv.factor : null,
            mode,
          }
        : null,
    );
  }, [roi, roiStats.stats, scale, mode, pet.suv, onRoi]);

  useEffect(() => {
    if (status === "init") return;
    const h = (e: Event) => {
      const a = (
        e as CustomEvent<{
          annotation: {
            annotationUID?: string;
            metadata: { toolName: string; viewPlaneNormal?: number[] };
            data: { handles: { points: number[][] } };
          };
        }>
      ).detail.annotation;
      const v = volumeRef.current;
      if (!v) return;
      try {
        let shape: RoiShape;
        if (a.metadata.toolName === "CircleROI") shape = sphereFromCircle(a.data.handles.points);
        else if (a.metadata.toolName === "EllipticalROI") {
          const d = v.volume.direction;
          shape = ellipsoidFromEllipse(
            a.data.handles.points,
            a.metadata.viewPlaneNormal ?? [0, 0, 1],
            [
              [d[0], d[1], d[2]],
              [d[3], d[4], d[5]],
              [d[6], d[7], d[8]],
            ],
          );
        } else return;
        // One ROI at a time: earlier drawings are removed.
        for (const other of csAnnotation.state.getAllAnnotations()) {
          if (other.annotationUID && other.annotationUID !== a.annotationUID)
            csAnnotation.state.removeAnnotation(other.annotationUID);
        }
        void runStats(shape);
      } catch (err) {
        setRoiStats({
          stats: null,
          error: err instanceof Error ? err.message : String(err),
          busy: false,
        });
      }
    };
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, h);
    return () => eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, h);
  }, [status, runStats]);

  // ---- readout at the shared point
  const v = vol;
  const voxel = v && point ? nearestVoxel(v.geometry, point) : null;
  let readout: number | null = null;
  let readoutState: "ok" | "loading" | "outside" = "outside";
  if (v && voxel) {
    const cf = (v.volume as unknown as { cachedFrames?: unknown[] }).cachedFrames;
    if (cf?.[voxel[2]]) {
      readout =
        Number(v.volume.voxelManager?.getAtIJK(voxel[0], voxel[1], voxel[2])) * scale.perUnit;
      readoutState = "ok";
    } else readoutState = "loading";
  }

  function moveVoxel(delta: Vec3) {
    const vv = volumeRef.current;
    if (!vv || !point) return;
    const idx = nearestVoxel(vv.geometry, point) ?? [0, 0, 0];
    setPoint(voxelCentreMm(vv.geometry, stepVoxel(vv.geometry, idx, delta)));
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (
      e.target instanceof HTMLInputElement ||
      e.target instanceof HTMLSelectElement ||
      e.target instanceof HTMLTextAreaElement ||
      e.altKey ||
      e.ctrlKey ||
      e.metaKey
    )
      return;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => moveVoxel([-1, 0, 0]),
      ArrowRight: () => moveVoxel([1, 0, 0]),
      ArrowUp: () => moveVoxel([0, -1, 0]),
      ArrowDown: () => moveVoxel([0, 1, 0]),
      PageUp: () => moveVoxel([0, 0, 1]),
      PageDown: () => moveVoxel([0, 0, -1]),
      c: () => setTool("Crosshair"),
      s: () => setTool("SphereROI"),
      e: () => setTool("EllipseROI"),
      w: () => setTool("WindowLevel"),
      m: () => setMipRotating((r) => !r),
      u: () => setMode((m) => (m === "SUVBW" ? "SUL_JANMA" : "SUVBW")),
      "1": () => setWindowRange(SUV_WINDOW_PRESETS[0]!),
      "2": () => setWindowRange(SUV_WINDOW_PRESETS[1]!),
      "3": () => setWindowRange(SUV_WINDOW_PRESETS[2]!),
    };
    const f = keys[e.key];
    if (f) {
      e.preventDefault();
      f();
    }
  }

  function onViewPointer(key: string, e: PointerEvent<HTMLDivElement>) {
    if (tool !== "Crosshair" || e.button !== 0) return;
    const vp = engineRef.current?.getViewport(key) as Types.IVolumeViewport | undefined;
    if (!vp) return;
    const rect = (e.currentTarget as HTMLDivElement).getBoundingClientRect();
    const w = vp.canvasToWorld([e.clientX - rect.left, e.clientY - rect.top]);
    setPoint([w[0], w[1], w[2]]);
  }

  function goTo(e: React.FormEvent) {
    e.preventDefault();
    const p = [gotoText.x, gotoText.y, gotoText.z].map((s) => Number(s.trim().replace(",", ".")));
    if (
      p.some((x) => !Number.isFinite(x)) ||
      [gotoText.x, gotoText.y, gotoText.z].some((s) => s.trim() === "")
    ) {
      setAnnounce("Go to: x, y and z must be numbers in mm");
      return;
    }
    setPoint(p as Vec3);
  }

  function sphereAtPoint(e: React.FormEvent) {
    e.preventDefault();
    const r = Number(sphereRadius.replace(",", "."));
    if (!point || !(r > 0) || r > 200) {
      setRoiStats({
        stats: null,
        error: `Radius must be a number of mm between 0 and 200, got “${sphereRadius}”`,
        busy: false,
      });
      return;
    }
    void runStats({ kind: "sphere", centreMm: point, radiusMm: r });
  }

  const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? "—" : x.toFixed(2));
  const loadedPct = progress.total ? Math.round((100 * progress.loaded) / progress.total) : 0;
  void tick;

  return (
    <div
      className="viewer stack"
      onKeyDown={onKeyDown}
      data-status={status}
      data-first-image-ms={firstImageMs ?? undefined}
      data-first-image-at={firstImageAt ?? undefined}
    >
      <div className="viewer-toolbar row" role="toolbar" aria-label="Viewer tools">
        <fieldset className="row">
          <legend className="sr-only">Tool</legend>
          {(
            [
              ["Crosshair", "Crosshair (C)"],
              ["SphereROI", "Sphere ROI (S)"],
              ["EllipseROI", "Ellipse ROI (E)"],
              ["WindowLevel", "Window (W)"],
            ] as const
          ).map(([t, label]) => (
            <button
              key={t}
              type="button"
              className={`btn btn-small${tool === t ? " btn-primary" : ""}`}
              aria-pressed={tool === t}
              onClick={() => setTool(t)}
            >
              {label}
            </button>
          ))}
        </fieldset>
        <label>
          Unit{" "}
          <select
            aria-label="SUV unit"
            value={mode}
            onChange={(e) => setMode(e.currentTarget.value as SuvMode)}
            disabled={!pet.suv?.ok}
          >
            {(Object.keys(SUV_MODE_LABEL) as SuvMode[]).map((m) => (
              <option key={m} value={m}>
                {SUV_MODE_LABEL[m]}
              </option>
            ))}
          </select>
        </label>
        <span role="group" aria-label="SUV window presets" className="row">
          {SUV_WINDOW_PRESETS.map((p, i) => (
            <button
              key={p.id}
              type="button"
              className="btn btn-small"
              disabled={!scale.isSuv}
              aria-pressed={windowRange?.lower === p.lower && windowRange?.upper === p.upper}
              onClick={() => setWindowRange(p)}
              title={`Key ${i + 1}`}
            >
              {scale.unit.startsWith("SUL") ? "SUL" : "SUV"} {p.label}
            </button>
          ))}
        </span>
        <label>
          Colour map{" "}
          <select
            aria-label="Colour map"
            value={colormap}
            onChange={(e) => setColormap(e.currentTarget.value)}
          >
            {PET_COLORMAPS.map((c) => (
              <option key={c.name} value={c.name}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {ct ? (
          <label>
            PET opacity over CT{" "}
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={petOpacity}
              onChange={(e) => setPetOpacity(Number(e.currentTarget.value))}
              aria-valuetext={`${Math.round(petOpacity * 100)} %`}
            />
          </label>
        ) : null}
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={mipRotating}
          onClick={() => setMipRotating((r) => !r)}
        >
          {mipRotating ? "Stop MIP rotation (M)" : "Rotate MIP (M)"}
        </button>
      </div>

      {scale.note ? (
        <p className="alert alert-info" role="note" data-testid="viewer-unit-note">
          {scale.note}
        </p>
      ) : null}
      {error ? (
        <div className="alert alert-error" role="alert">
          <strong>The images could not be loaded.</strong> {error}
        </div>
      ) : null}
      <p className="muted" role="status" aria-live="polite" data-testid="viewer-progress">
        {status === "ready"
          ? `All ${progress.total} images loaded`
          : status === "error"
            ? "Loading failed"
            : `Loading images… ${progress.loaded}/${progress.total} (${loadedPct} %)`}
        {firstImageMs !== null ? ` · first image in ${firstImageMs} ms` : ""}
      </p>

      <div
        className="viewer-grid"
        tabIndex={0}
        aria-label="Image views. Arrow keys move the crosshair by one voxel, PageUp/PageDown change slice."
        aria-describedby="viewer-shortcuts"
      >
        {[
          ...VIEWS.map((x) => ({ key: x.key, label: x.label })),
          { key: MIP_KEY, label: mipRotating ? "MIP (rotating)" : "MIP (anterior)" },
        ].map((view) => (
          <figure key={view.key} className="viewer-cell" aria-label={`${view.label} view`}>
            <div
              ref={(el) => {
                elements.current[view.key] = el;
              }}
              className="viewer-element"
              data-view={view.key}
              onPointerDown={(e) => onViewPointer(view.key, e)}
              onContextMenu={(e) => e.preventDefault()}
            />
            {view.key === "axial" ? (
              <div
                ref={(el) => {
                  elements.current[PREVIEW_KEY] = el;
                }}
                className="viewer-element viewer-preview"
                aria-hidden="true"
                style={{ visibility: previewOn ? "visible" : "hidden" }}
              />
            ) : null}
            {view.key !== MIP_KEY ? (
              <Overlay
                engine={vol?.engine ?? null}
                viewKey={view.key}
                point={point}
                markers={markers}
                selected={selectedMarker}
                spacing={v?.geometry.spacingMm ?? [1, 1, 1]}
                onSelect={onSelectMarker}
              />
            ) : null}
            <figcaption>{view.label}</figcaption>
          </figure>
        ))}
      </div>

      <div className="viewer-panels">
        <section className="card" aria-labelledby="h-readout">
          <h3 id="h-readout">Readout</h3>
          <dl className="kv" data-testid="viewer-readout" data-state={readoutState}>
            <dt>Value</dt>
            <dd data-testid="readout-value" data-value={readout ?? ""}>
              {readoutState === "loading" ? "loading slice…" : formatReadout(readout, scale)}
            </dd>
            <dt>Voxel (i, j, k)</dt>
            <dd data-testid="readout-voxel">{voxel ? voxel.join(", ") : "outside the volume"}</dd>
            <dt>Position (mm, LPS)</dt>
            <dd data-testid="readout-position">
              {point ? point.map((x) => x.toFixed(1)).join(", ") : "—"}
            </dd>
            <dt>Unit</dt>
            <dd data-testid="readout-unit">{scale.unit}</dd>
          </dl>
          <form className="row" onSubmit={goTo} aria-label="Go to position">
            {(["x", "y", "z"] as const).map((a) => (
              <label key={a}>
                {a} (mm){" "}
                <input
                  size={6}
                  inputMode="decimal"
                  value={gotoText[a]}
                  onChange={(e) => setGotoText({ ...gotoText, [a]: e.currentTarget.value })}
                />
              </label>
            ))}
            <button type="submit" className="btn btn-small">
              Go to
            </button>
          </form>
          <p className="sr-only" role="status" aria-live="polite">
            {announce}
          </p>
        </section>

        <section className="card" aria-labelledby="h-roi">
          <h3 id="h-roi">ROI</h3>
          <p className="muted">
            Draw with the Sphere (S) or Ellipse (E) tool, or place a sphere at the crosshair.
          </p>
          <form className="row" onSubmit={sphereAtPoint} aria-label="Sphere at crosshair">
            <label>
              Radius (mm){" "}
              <input
                size={5}
                inputMode="decimal"
                value={sphereRadius}
                onChange={(e) => setSphereRadius(e.currentTarget.value)}
              />
            </label>
            <button type="submit" className="btn btn-small" disabled={status !== "ready"}>
              Sphere at crosshair
            </button>
          </form>
          {status !== "ready" && roi ? (
            <p className="muted">ROI statistics follow when all images are loaded.</p>
          ) : null}
          {roiStats.error ? (
            <p className="alert alert-error" role="alert">
              {roiStats.error}
            </p>
          ) : null}
          {roiStats.busy ? <p className="muted">Computing…</p> : null}
          {roi && roiStats.stats ? (
            <dl className="kv" data-testid="roi-stats" aria-label="ROI statistics">
              <dt>Shape</dt>
              <dd>
                {roi.kind === "sphere"
                  ? `sphere r ${roi.radiusMm.toFixed(1)} mm`
                  : `ellipsoid ${roi.semiAxesMm.map((x) => x.toFixed(1)).join(" × ")} mm (semi-axes i, j, k)`}
              </dd>
              <dt>{scale.isSuv ? `${scale.unit} max` : `max (${scale.unit})`}</dt>
              <dd data-testid="roi-max">{fmt(roiStats.stats.max)}</dd>
              <dt>{scale.isSuv ? `${scale.unit} mean` : `mean (${scale.unit})`}</dt>
              <dd data-testid="roi-mean">{fmt(roiStats.stats.mean)}</dd>
              <dt>{scale.isSuv ? `${scale.unit} peak (1 cm³)` : `peak (${scale.unit})`}</dt>
              <dd data-testid="roi-peak">{fmt(roiStats.stats.peak)}</dd>
              <dt>Volume (mL)</dt>
              <dd data-testid="roi-volume">{roiStats.stats.volumeMl.toFixed(2)}</dd>
              <dt>Voxels</dt>
              <dd>{roiStats.stats.voxelCount}</dd>
            </dl>
          ) : null}
        </section>
      </div>

      <details id="viewer-shortcuts">
        <summary>Keyboard shortcuts</summary>
        <ul>
          <li>C crosshair · S sphere ROI · E ellipse ROI · W window/level (mouse)</li>
          <li>← → ↑ ↓ move the crosshair by one voxel; PageUp / PageDown next / previous slice</li>
          <li>1 / 2 / 3 SUV window 0–5 / 0–10 / 0–20 · U SUVbw ↔ SUL · M rotate the MIP</li>
          <li>Mouse: wheel scrolls slices, right drag zooms, middle drag pans</li>
        </ul>
      </details>
    </div>
  );
}

/** Crosshair lines and candidate/lesion markers drawn over one MPR view (SVG, canvas coordinates). */
function Overlay({
  engine,
  viewKey,
  point,
  markers,
  selected,
  spacing,
  onSelect,
}: {
  engine: RenderingEngine | null;
  viewKey: string;
  point: Vec3 | null;
  markers: readonly Marker[];
  selected: string | null;
  spacing: readonly number[];
  onSelect: (id: string | null) => void;
}) {
  const vp = engine?.getViewport(viewKey) as Types.IVolumeViewport | undefined;
  if (!vp || !point) return null;
  let p: Types.Point2;
  let cam: Types.ICamera;
  try {
    p = vp.worldToCanvas(point as Types.Point3);
    cam = vp.getCamera();
  } catch {
    return null;
  }
  const n = cam.viewPlaneNormal!;
  const f = cam.focalPoint!;
  const half = Math.max(...spacing) * 1.5;
  const shown = markers.filter(
    (m) =>
      Math.abs(
        (m.centreMm[0] - f[0]) * n[0] +
          (m.centreMm[1] - f[1]) * n[1] +
          (m.centreMm[2] - f[2]) * n[2],
      ) <=
      half * 4,
  );
  return (
    <svg className="viewer-overlay" aria-hidden="true">
      <line x1={0} x2="100%" y1={p[1]} y2={p[1]} className="crosshair" />
      <line y1={0} y2="100%" x1={p[0]} x2={p[0]} className="crosshair" />
      {shown.map((m) => {
        const c = vp.worldToCanvas(m.centreMm as Types.Point3);
        return (
          <g
            key={m.id}
            className={`marker marker-${m.kind}${m.id === selected ? " marker-selected" : ""}`}
            onClick={() => onSelect(m.id)}
          >
            <circle cx={c[0]} cy={c[1]} r={m.id === selected ? 12 : 8} />
            <text x={c[0] + 12} y={c[1] - 10}>
              {m.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Load order for the streaming volume: the middle slice (the one the views open on) first, then
 * outwards, so the first image appears after a few frames instead of half the stack. Cornerstone
 * 5.14's StreamingImageVolume.loadImages() queues getImageLoadRequests() reversed (FIFO pool), so
 * the requests are handed over in reverse middle-out order.
 */
function prioritiseMiddle(volume: Types.IImageVolume) {
  const vol = volume as unknown as { getImageLoadRequests?: (priority: number) => unknown[] };
  const original = vol.getImageLoadRequests?.bind(volume);
  if (!original) return;
  vol.getImageLoadRequests = (priority: number) => middleOutOrder(original(priority)).reverse();
}

/**
 * A copy of the whole volume (rescaled pixel units, x fastest, slices in the volume's k order)
 * read slice by slice from the image cache, or null while a slice is missing.
 */
function volumeScalarData(volume: Types.IImageVolume): Float32Array | null {
  const [nx, ny, nz] = volume.dimensions;
  const ids = volume.imageIds;
  if (ids.length !== nz) return null;
  const out = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) {
    const image = cache.getImage(ids[k]!);
    const px = image?.getPixelData();
    if (!px || px.length !== nx * ny) return null;
    out.set(px as ArrayLike<number>, k * nx * ny);
  }
  return out;
}
