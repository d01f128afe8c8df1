"use client";

import { useQuery } from "@apollo/client/react";
import { CyclesDueDocument, type CycleStatus, type DueCycleFieldsFragment } from "@/graphql/generated";

/** Page size kept under the API's query-cost limit (see the report on the cost estimator). */
export const CYCLES_PAGE = 18;

export function useCyclesDue(from: string, to: string, status: CycleStatus[]) {
  const q = useQuery(CyclesDueDocument, {
    variables: { first: CYCLES_PAGE, filter: { from, to, status } },
  });
  const cycles: DueCycleFieldsFragment[] = (q.data?.cyclesDue.edges ?? [])
    .map((e) => e.node)
    .sort((a, b) => a.plannedDate.localeCompare(b.plannedDate));
  return { ...q, cycles, totalCount: q.data?.cyclesDue.totalCount ?? 0 };
}
