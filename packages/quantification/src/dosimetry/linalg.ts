/** Small dense linear-algebra helpers for 2×2 / 3×3 normal equations (internal). */

/** Inverse of a square matrix by Gauss–Jordan with partial pivoting; `null` if singular. */
export function invert(m: readonly (readonly number[])[]): number[][] | null {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(1e-300, ...m.flat().map(Math.abs));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) {
      if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[p] as number[])[c] as number))
        p = r;
    }
    const pr = a[p] as number[];
    const pv = pr[c] as number;
    if (Math.abs(pv) <= 1e-14 * scale) return null;
    [a[c], a[p]] = [pr, a[c] as number[]];
    const row = a[c] as number[];
    for (let j = 0; j < 2 * n; j++) row[j] = (row[j] as number) / pv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const rr = a[r] as number[];
      const f = rr[c] as number;
      if (f === 0) continue;
      for (let j = 0; j < 2 * n; j++) rr[j] = (rr[j] as number) - f * (row[j] as number);
    }
  }
  return a.map((row) => row.slice(n));
}

/** Covariance s²·(JᵀWJ)⁻¹ from a Jacobian (rows = points), weights and residual variance. */
export function covarianceFromJacobian(
  jac: readonly (readonly number[])[],
  weights: readonly number[],
  residualVariance: number,
): number[][] | null {
  const p = jac[0]?.length ?? 0;
  const jtj = Array.from({ length: p }, () => Array.from({ length: p }, () => 0));
  jac.forEach((row, i) => {
    const w = weights[i] ?? 1;
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        (jtj[a] as number[])[b] =
          ((jtj[a] as number[])[b] as number) + w * (row[a] as number) * (row[b] as number);
      }
    }
  });
  const inv = invert(jtj);
  return inv ? inv.map((r) => r.map((v) => v * residualVariance)) : null;
}
