// Seeded randomness for the engine's users (weight init, data order). mulberry32: one u32 of state,
// fast and reproducible in any language. Normal draws by Box–Muller.

/** The raw generator: u32 draws. */
export function mulberry32Uint(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  const next = mulberry32Uint(seed);
  return () => next() / 4294967296;
}

/** n uniform draws in [lo, hi) from a fresh seeded stream (test and benchmark data). */
export function uniformArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const uniform = mulberry32(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * uniform());
}

/** n draws from N(0, std²). */
export function normalArray(n: number, std: number, uniform: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = Math.max(uniform(), 1e-12);
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}
