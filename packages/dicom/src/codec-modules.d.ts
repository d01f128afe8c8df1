// Ambient declarations for the Emscripten codec packages and jpeg-lossless-decoder-js, which
// ship no TypeScript declarations (the latter's "types" field points to a missing file).

/** Frame information reported by the Cornerstone Emscripten codecs. */
interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** Decoder object shared by the charls / openjpeg / libjpeg-turbo builds. */
interface CodecDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): CodecFrameInfo;
  delete(): void;
}

/** Encoder object of the charls / openjpeg builds (used only by tests). */
interface CodecEncoder {
  getDecodedBuffer(frameInfo: CodecFrameInfo): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  setNearLossless?(v: number): void;
  setQuality?(lossless: boolean, quality: number): void;
  delete(): void;
}

declare module "@cornerstonejs/codec-charls" {
  const factory: () => Promise<{
    JpegLSDecoder: new () => CodecDecoder;
    JpegLSEncoder: new () => CodecEncoder;
  }>;
  export default factory;
}
declare module "@cornerstonejs/codec-openjpeg" {
  const factory: () => Promise<{
    J2KDecoder: new () => CodecDecoder;
    J2KEncoder: new () => CodecEncoder;
  }>;
  export default factory;
}
declare module "@cornerstonejs/codec-libjpeg-turbo-8bit" {
  const factory: () => Promise<{ JPEGDecoder: new () => CodecDecoder }>;
  export default factory;
}
declare module "jpeg-lossless-decoder-js" {
  export class Decoder {
    decode(
      buffer: ArrayBufferLike,
      offset: number,
      length: number,
      numBytes?: number,
    ): Uint8Array | Uint16Array | Int16Array;
  }
}
declare module "pako" {
  export function inflateRaw(data: Uint8Array): Uint8Array;
  export function deflateRaw(data: Uint8Array, options?: { level?: number }): Uint8Array;
}
