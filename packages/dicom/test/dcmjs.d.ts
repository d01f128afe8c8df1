// Minimal typing of the part of dcmjs the tests use as an independent reader.
declare module "dcmjs" {
  interface DicomDict {
    dict: Record<string, unknown>;
  }
  const dcmjs: {
    data: {
      DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDict };
      DicomMetaDictionary: {
        naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown>;
      };
    };
  };
  export default dcmjs;
}
