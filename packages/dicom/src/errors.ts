/**
 * Error type thrown by every function of `@lutetia/dicom` that rejects its input.
 *
 * Messages name the source (file name or caller-supplied label), the attribute (keyword and
 * tag) and the offending value where there is one; they never contain patient names.
 */

/** Machine-readable reason a DICOM object was refused. */
export type DicomErrorCode =
  | "NOT_DICOM"
  | "PARSE_FAILED"
  | "UNSUPPORTED_TRANSFER_SYNTAX"
  | "CODEC_FAILED"
  | "MISSING_ATTRIBUTE"
  | "INVALID_ATTRIBUTE"
  | "PIXEL_DATA_INVALID"
  | "EMPTY_SERIES"
  | "MULTIPLE_SERIES"
  | "INCONSISTENT_SERIES"
  | "INVALID_ARGUMENT";

/** Details attached to a {@link DicomParseError}. */
export interface DicomParseErrorDetails {
  /** Name of the file or buffer the error concerns (as passed by the caller). */
  sourceName?: string;
  /** Transfer Syntax UID (0002,0010) of the object, when known. */
  transferSyntaxUid?: string;
  /** Attribute keyword and tag, e.g. `"PixelSpacing (0028,0030)"`. */
  attribute?: string;
  /** Offending value, as read. */
  value?: unknown;
  /** Underlying error, when wrapping one from a library. */
  cause?: unknown;
}

/**
 * Thrown when a DICOM object or series cannot be read or assembled.
 * `code` is stable for programmatic handling; `message` is for people.
 */
export class DicomParseError extends Error {
  override readonly name = "DicomParseError";
  readonly code: DicomErrorCode;
  readonly sourceName: string | undefined;
  readonly transferSyntaxUid: string | undefined;
  readonly attribute: string | undefined;
  readonly value: unknown;

  constructor(code: DicomErrorCode, message: string, details: DicomParseErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.sourceName = details.sourceName;
    this.transferSyntaxUid = details.transferSyntaxUid;
    this.attribute = details.attribute;
    this.value = details.value;
  }
}
