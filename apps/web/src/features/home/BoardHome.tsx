import Link from "next/link";
import { ComingSoon } from "@/components/States";

export function BoardHome() {
  return (
    <div className="grid">
      <ComingSoon title="Next tumour-board meeting" issue="Tumour board">
        The cases listed for the next meeting, with their eligibility checklist, will appear here.
      </ComingSoon>
      <section className="card">
        <h2>Patients</h2>
        <p>
          Until then, browse cases read-only in the <Link href="/patients">patient list</Link>.
        </p>
      </section>
    </div>
  );
}
