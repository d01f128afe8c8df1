import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/lib/apollo";
import "./globals.css";

export const metadata: Metadata = {
  title: "Lutetia",
  description: "Theranostics (PRRT) case management",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
