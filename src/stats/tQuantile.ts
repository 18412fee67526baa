// The 0.975 quantile of Student's t distribution: the multiplier of a two-sided 95 % t-interval.
// df 1–30 from a table (4 decimals, standard printed values); beyond 30 the Cornish–Fisher expansion
// of t around the normal quantile, whose error at df > 30 is below 1e-4 — far smaller than what the
// lab's seed counts can resolve.

const TABLE: readonly number[] = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281,
  2.201, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086,
  2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];

/** Φ⁻¹(0.975), the normal quantile the expansion starts from. */
const Z975 = 1.959963984540054;

/** t_{0.975, df} for a whole number of degrees of freedom df ≥ 1. */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`tQuantile975: degrees of freedom must be a whole number ≥ 1, got ${df}`);
  if (df <= TABLE.length) return TABLE[df - 1];
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  // Cornish–Fisher terms in 1/df (Abramowitz & Stegun 26.7.5).
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}
