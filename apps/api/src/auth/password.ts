import argon2 from "argon2";

/** argon2id with the library's OWASP-aligned defaults (m=64 MiB, t=3, p=4). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** A valid hash of a random string, verified when the user does not exist (equal timing). */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword(`no-user-${Math.random()}`);
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Minimum password policy for accounts created through the API. */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return `must be at least 12 characters, got ${password.length}`;
  return null;
}
