"use client";

import { QuarantineScreen } from "@/components/imaging/QuarantineScreen";

export default function ImagingQuarantinePage() {
  return <QuarantineScreen />;
}
