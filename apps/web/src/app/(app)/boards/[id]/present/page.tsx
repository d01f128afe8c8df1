"use client";

import { useParams } from "next/navigation";
import { Suspense } from "react";
import { Loading } from "@/components/States";
import { Presentation } from "@/features/boards/Presentation";

export default function BoardPresentationRoute() {
  const params = useParams<{ id: string }>();
  return (
    <Suspense fallback={<Loading />}>
      <Presentation meetingId={decodeURIComponent(params.id)} />
    </Suspense>
  );
}
