import { mulberry32 } from "@lutetia/dicom";

/** Deterministic pseudo-random source (mulberry32): the same dataset on every machine and run. */
export class Prng {
  /** Uniform in [0, 1): @lutetia/dicom's mulberry32 (the same generator as the synthetic series). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform in [lo, hi), rounded to `decimals`. */
  real(lo: number, hi: number, decimals = 1): number {
    const f = 10 ** decimals;
    return Math.round((lo + this.next() * (hi - lo)) * f) / f;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.next() * xs.length)];
    if (x === undefined) throw new RangeError("pick from an empty list");
    return x;
  }

  /** A version-4-shaped UUID drawn from this stream (deterministic, unlike crypto.randomUUID). */
  uuid(): string {
    const h = () => (Math.floor(this.next() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, "0");
    const s = h() + h() + h() + h();
    const variant = ((parseInt(s[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
  }
}
