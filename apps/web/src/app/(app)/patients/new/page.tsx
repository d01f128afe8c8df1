"use client";

import { useRouter } from "next/navigation";
import { EmptyState } from "@/components/States";
import { PatientForm } from "@/features/patients/PatientForm";
import { useCan } from "@/lib/viewer";

export default function NewPatientPage() {
  const router = useRouter();
  const can = useCan();
  if (!can("patient:write")) return <EmptyState title="Your role cannot register patients." />;
  return (
    <div className="stack">
      <h1>New patient</h1>
      <section className="form-panel">
        <PatientForm
          onDone={(id) => router.push(`/patients/${encodeURIComponent(id)}?tab=diagnosis`)}
          onCancel={() => router.push("/patients")}
        />
      </section>
    </div>
  );
}
