"use client";

import { ImagingHome } from "@/components/imaging/ImagingHome";

export default function ImagingPage() {
  return <ImagingHome />;
}
