"use client";

import Link from "next/link";
import { WorklistView } from "@/components/pathway/WorklistView";

export default function WorklistPage() {
  return (
    <div className="stack">
      <div className="row">
        <h1>Care pathway worklist</h1>
        <span className="spacer" />
        <Link href="/calendar">Calendar</Link>
      </div>
      <WorklistView />
    </div>
  );
}
