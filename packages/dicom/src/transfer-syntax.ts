/**
 * Transfer syntaxes known to the reader (DICOM PS3.5 §10 and Annex A; UIDs from PS3.6 Annex A).
 */

/** How the pixel data of a transfer syntax is encoded. */
export type PixelEncoding =
  | "native"
  | "deflated"
  | "rle"
  | "jpeg-ls"
  | "jpeg-2000"
  | "jpeg-lossless"
  | "jpeg-baseline"
  | "unsupported";

/** Description of one transfer syntax. */
export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  /** True for Explicit VR Big Endian (retired, PS3.5 A.3). */
  bigEndian: boolean;
}

const TABLE: readonly TransferSyntaxInfo[] = [
  {
    uid: "1.2.840.10008.1.2",
    name: "Implicit VR Little Endian",
    encoding: "native",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.1",
    name: "Explicit VR Little Endian",
    encoding: "native",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.1.99",
    name: "Deflated Explicit VR Little Endian",
    encoding: "deflated",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.2",
    name: "Explicit VR Big Endian (retired)",
    encoding: "native",
    bigEndian: true,
  },
  { uid: "1.2.840.10008.1.2.5", name: "RLE Lossless", encoding: "rle", bigEndian: false },
  {
    uid: "1.2.840.10008.1.2.4.80",
    name: "JPEG-LS Lossless",
    encoding: "jpeg-ls",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.81",
    name: "JPEG-LS Near-Lossless",
    encoding: "jpeg-ls",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.90",
    name: "JPEG 2000 Image Compression (Lossless Only)",
    encoding: "jpeg-2000",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.91",
    name: "JPEG 2000 Image Compression",
    encoding: "jpeg-2000",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.57",
    name: "JPEG Lossless, Non-Hierarchical (Process 14)",
    encoding: "jpeg-lossless",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.70",
    name: "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
    encoding: "jpeg-lossless",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.50",
    name: "JPEG Baseline (Process 1)",
    encoding: "jpeg-baseline",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.51",
    name: "JPEG Extended (Process 2 & 4)",
    encoding: "unsupported",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.201",
    name: "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
    encoding: "unsupported",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.202",
    name: "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
    encoding: "unsupported",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.203",
    name: "High-Throughput JPEG 2000 Image Compression",
    encoding: "unsupported",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.100",
    name: "MPEG2 Main Profile / Main Level",
    encoding: "unsupported",
    bigEndian: false,
  },
  {
    uid: "1.2.840.10008.1.2.4.102",
    name: "MPEG-4 AVC/H.264 High Profile / Level 4.1",
    encoding: "unsupported",
    bigEndian: false,
  },
];

const BY_UID = new Map(TABLE.map((t) => [t.uid, t]));

/**
 * Looks up a Transfer Syntax UID (0002,0010).
 *
 * @param uid - the UID, trailing NUL/space padding tolerated.
 * @returns the table entry, or an `unsupported` entry named "unknown transfer syntax".
 * @throws never.
 */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo {
  const clean = uid.replace(/[\0\s]+$/, "").trim();
  return (
    BY_UID.get(clean) ?? {
      uid: clean,
      name: "unknown transfer syntax",
      encoding: "unsupported",
      bigEndian: false,
    }
  );
}

/** Well-known UIDs used by the writer and the tests. */
export const TransferSyntaxUids = {
  implicitVrLittleEndian: "1.2.840.10008.1.2",
  explicitVrLittleEndian: "1.2.840.10008.1.2.1",
  deflatedExplicitVrLittleEndian: "1.2.840.10008.1.2.1.99",
  explicitVrBigEndian: "1.2.840.10008.1.2.2",
  rleLossless: "1.2.840.10008.1.2.5",
  jpegLsLossless: "1.2.840.10008.1.2.4.80",
  jpeg2000Lossless: "1.2.840.10008.1.2.4.90",
} as const;
