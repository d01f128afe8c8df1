"use client";

import { UploadScreen } from "@/components/imaging/UploadScreen";

export default function ImagingUploadPage() {
  return <UploadScreen />;
}
