/**
 * Deterministic pseudo-random numbers for synthetic data (mulberry32, public-domain algorithm by
 * Tommy Ettinger). Same seed → same sequence on every platform.
 */

/** A deterministic generator of uniform numbers in [0, 1). */
export type Prng = () => number;

/**
 * Creates a mulberry32 generator.
 *
 * @param seed - any integer (taken modulo 2^32).
 * @returns a function returning uniform floats in [0, 1).
 * @throws never.
 */
export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Deterministic DICOM UID under the UUID-derived root `2.25` (PS3.5 §B.2) from a string key:
 * two 64-bit FNV-1a hashes give a 128-bit integer, written in decimal (≤ 64 characters).
 * @throws never.
 */
export function uidFromKey(key: string): string {
  let h1 = 0xcbf29ce484222325n;
  let h2 = 0x84222325cbf29ce4n;
  const p = 0x100000001b3n;
  const m = 0xffffffffffffffffn;
  for (let i = 0; i < key.length; i++) {
    const c = BigInt(key.charCodeAt(i));
    h1 = ((h1 ^ c) * p) & m;
    h2 = ((h2 ^ (c + 0x9en)) * p) & m;
  }
  return `2.25.${((h1 << 64n) | h2).toString()}`;
}
