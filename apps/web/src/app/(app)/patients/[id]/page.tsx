"use client";

import { useParams } from "next/navigation";
import { Suspense } from "react";
import { Loading } from "@/components/States";
import { PatientChart } from "@/features/chart/PatientChart";

export default function PatientPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params.id);
  return (
    <Suspense fallback={<Loading />}>
      <PatientChart id={id} />
    </Suspense>
  );
}
