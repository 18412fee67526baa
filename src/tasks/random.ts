// A small seeded PRNG for problem generation. mulberry32 (Tommy Ettinger's 32-bit generator): one
// u32 of state, fast, good enough for drawing toy problems, and trivially reproducible in any
// language — an experiment URL carries a seed and must give the same problems everywhere.
import { mulberry32Uint } from '../engine/random';

/** A seeded stream of pseudo-random numbers. Not for cryptography. */
export interface Rng {
  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform float in [0, 1). */
  nextFloat(): number;
  /** Uniform integer in [lo, hi], both ends inclusive. */
  nextInt(lo: number, hi: number): number;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new array with the items in a uniformly random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

export function createRng(seed: number): Rng {
  const nextUint32 = mulberry32Uint(seed);
  const nextFloat = (): number => nextUint32() / 4294967296;
  const nextInt = (lo: number, hi: number): number => {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new RangeError(`nextInt: need integers lo <= hi, got ${lo}, ${hi}`);
    }
    return lo + Math.floor(nextFloat() * (hi - lo + 1));
  };
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick: empty array');
    return items[nextInt(0, items.length - 1)];
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = nextInt(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return { nextUint32, nextFloat, nextInt, pick, shuffle };
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units: a stable, dependency-free fingerprint. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
