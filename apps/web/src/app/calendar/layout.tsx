"use client";

import type { ReactNode } from "react";
import AppLayout from "../(app)/layout";

/** Same signed-in shell as the (app) group. */
export default function Layout({ children }: { children: ReactNode }) {
  return <AppLayout>{children}</AppLayout>;
}
