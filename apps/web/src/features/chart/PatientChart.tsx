"use client";

import { useQuery } from "@apollo/client/react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useRef, type KeyboardEvent } from "react";
import { EmptyState, ErrorState, Loading } from "@/components/States";
import { DosimetryTab } from "@/features/dosimetry/DosimetryTab";
import { PatientChartDocument } from "@/graphql/generated";
import { ChartHeader } from "./ChartHeader";
import { CoursesTab } from "./CoursesTab";
import { DiagnosisTab } from "./DiagnosisTab";
import { ImagingTab } from "./ImagingTab";
import { LabsTab } from "./LabsTab";
import { LesionsTab } from "./LesionsTab";
import { ResponseTab } from "../response/ResponseTab";
import { Timeline } from "./Timeline";
import { TABS, isTab, type ChartIntent, type TabId } from "./types";

function TabList({ current, onSelect }: { current: TabId; onSelect: (t: TabId) => void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const i = TABS.findIndex((t) => t.id === current);
    let next: number | null = null;
    if (e.key === "ArrowRight") next = (i + 1) % TABS.length;
    if (e.key === "ArrowLeft") next = (i - 1 + TABS.length) % TABS.length;
    if (e.key === "Home") next = 0;
    if (e.key === "End") next = TABS.length - 1;
    if (next === null) return;
    e.preventDefault();
    const id = TABS[next]!.id;
    onSelect(id);
    refs.current[id]?.focus();
  }
  return (
    <div className="tabs" role="tablist" aria-label="Chart sections" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[t.id] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={current === t.id}
          aria-controls={`panel-${t.id}`}
          tabIndex={current === t.id ? 0 : -1}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** The patient chart. The URL carries only the opaque patient ID, the tab and opaque intents. */
export function PatientChart({ id }: { id: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const rawTab = params.get("tab");
  const tab: TabId = isTab(rawTab) ? rawTab : "timeline";
  const intent: ChartIntent = { action: params.get("action"), cycleId: params.get("cycle") };
  const q = useQuery(PatientChartDocument, { variables: { id } });
  const node = q.data?.node;

  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading label="Loading chart…" />;
  if (!node || node.__typename !== "Patient") {
    return (
      <EmptyState title="Patient not found.">
        It may belong to another site. <Link href="/patients">Back to the patient list</Link>
      </EmptyState>
    );
  }
  const onSaved = () => q.refetch();
  const select = (t: TabId) => router.replace(`${pathname}?tab=${t}`, { scroll: false });
  const key = `${tab}:${intent.action ?? ""}:${intent.cycleId ?? ""}`; // the Response tab keeps its own ?assessment=

  return (
    <div>
      <p>
        <Link href="/patients">← Patients</Link>
      </p>
      <ChartHeader patient={node} />
      <TabList current={tab} onSelect={select} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} key={key}>
        {tab === "timeline" ? <Timeline patient={node} /> : null}
        {tab === "diagnosis" ? <DiagnosisTab patient={node} intent={intent} onSaved={onSaved} /> : null}
        {tab === "courses" ? <CoursesTab patient={node} intent={intent} onSaved={onSaved} /> : null}
        {tab === "labs" ? <LabsTab patient={node} intent={intent} onSaved={onSaved} /> : null}
        {tab === "imaging" ? <ImagingTab patient={node} intent={intent} onSaved={onSaved} /> : null}
        {tab === "lesions" ? <LesionsTab patient={node} /> : null}
        {tab === "dosimetry" ? <DosimetryTab patientId={node.id} cycleId={intent.cycleId} /> : null}
        {tab === "response" ? <ResponseTab patientId={node.id} /> : null}
      </div>
    </div>
  );
}
