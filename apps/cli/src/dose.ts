import { UsageError } from "./quantify";

/** `lutetia dose`: wired when the dosimetry module lands (see issue 3). */
export async function runDose(_argv: string[]): Promise<number> {
  throw new UsageError("dose: not available yet");
}
