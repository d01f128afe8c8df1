"use client";

import { useParams } from "next/navigation";
import { Suspense } from "react";
import { Loading } from "@/components/States";
import { MeetingPage } from "@/features/boards/MeetingPage";

export default function BoardMeetingRoute() {
  const params = useParams<{ id: string }>();
  return (
    <Suspense fallback={<Loading />}>
      <MeetingPage id={decodeURIComponent(params.id)} />
    </Suspense>
  );
}
