"use client";

import { MeetingList } from "@/features/boards/MeetingList";

export default function BoardsPage() {
  return <MeetingList />;
}
