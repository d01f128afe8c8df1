"use client";

import { CalendarFeedSection } from "@/components/pathway/CalendarFeedSection";
import { CalendarView } from "@/components/pathway/CalendarView";

export default function CalendarPage() {
  return (
    <div className="stack">
      <h1>Calendar</h1>
      <CalendarView />
      <CalendarFeedSection />
    </div>
  );
}
