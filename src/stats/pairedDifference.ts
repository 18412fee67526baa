// The paired difference of two arms measured on the same seeds (STATISTICS.md: pair by seed). Seed s
// of arm A and seed s of arm B share the base checkpoint, prompt stream and evaluation prompts, so
// d_s = A(s) − B(s) cancels that shared noise; the verdict judges the n differences, not two means.
// The verdict follows the t-interval (STATISTICS.md: with n ≤ 5 the bootstrap is coarse; it is
// reported beside it).
import { bootstrapInterval, type BootstrapInterval, type BootstrapOptions } from './bootstrap';
import { tInterval, type MeanInterval } from './tInterval';

export type PairedVerdict = 'excludes zero: A > B' | 'excludes zero: A < B' | 'includes zero' | 'undefined: fewer than 2 paired seeds';

export interface PairedDifference {
  /** Seeds both arms have, ascending. */
  seeds: number[];
  /** A(s) − B(s) for each of `seeds`. */
  differences: number[];
  /** Seeds only one arm has: left out of the pairing, listed so a report can say so. */
  onlyInA: number[];
  onlyInB: number[];
  t: MeanInterval;
  bootstrap: BootstrapInterval;
  verdict: PairedVerdict;
}

function seedsOf(values: Record<number, number>, arm: string): number[] {
  return Object.keys(values).map((key) => {
    const seed = Number(key);
    if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`pairedDifference: arm ${arm} has a seed that is not a whole number ≥ 0: ${JSON.stringify(key)}`);
    if (!Number.isFinite(values[seed])) throw new RangeError(`pairedDifference: arm ${arm}, seed ${seed}: value is not a finite number (${values[seed]})`);
    return seed;
  });
}

export function verdictOf(t: MeanInterval): PairedVerdict {
  if (t.low === null || t.high === null) return 'undefined: fewer than 2 paired seeds';
  if (t.low > 0) return 'excludes zero: A > B';
  if (t.high < 0) return 'excludes zero: A < B';
  return 'includes zero';
}

export function pairedDifference(a: Record<number, number>, b: Record<number, number>, bootstrap: BootstrapOptions = {}): PairedDifference {
  const seedsA = seedsOf(a, 'A');
  const seedsB = new Set(seedsOf(b, 'B'));
  const setA = new Set(seedsA);
  const seeds = seedsA.filter((s) => seedsB.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) throw new RangeError(`pairedDifference: the two arms share no seed (A: ${[...setA].join(', ') || 'none'}; B: ${[...seedsB].join(', ') || 'none'})`);
  const differences = seeds.map((s) => a[s] - b[s]);
  const t = tInterval(differences);
  return {
    seeds,
    differences,
    onlyInA: seedsA.filter((s) => !seedsB.has(s)).sort((x, y) => x - y),
    onlyInB: [...seedsB].filter((s) => !setA.has(s)).sort((x, y) => x - y),
    t,
    bootstrap: bootstrapInterval(differences, bootstrap),
    verdict: verdictOf(t),
  };
}
