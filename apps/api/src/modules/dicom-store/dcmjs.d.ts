// Minimal declarations for the part of dcmjs used here (dcmjs ships no TypeScript types).
declare module "dcmjs" {
  interface DcmjsElement {
    vr: string;
    Value?: unknown[];
    InlineBinary?: string;
    _rawValue?: unknown;
  }
  interface DicomDict {
    meta: Record<string, DcmjsElement>;
    dict: Record<string, DcmjsElement>;
  }
  const dcmjs: {
    data: {
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { untilTag?: string; includeUntilTagValue?: boolean; ignoreErrors?: boolean }): DicomDict;
      };
    };
  };
  export default dcmjs;
}
