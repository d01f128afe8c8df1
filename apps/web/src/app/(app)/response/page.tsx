"use client";

import { ResponseWaterfall } from "@/features/response/Waterfall";

export default function ResponsePage() {
  return <ResponseWaterfall />;
}
