// Reductions. Sums accumulate in f64 so long rows (vocab-sized, batch-sized) lose no precision on CPU.
import type { ReduceOp } from '../../backend';

/**
 * x viewed as [outer, size, inner]; reduces the middle axis -> [outer, inner].
 * The loop runs over size then inner so memory is read sequentially; inner accumulators live in one
 * f64 scratch row. An empty axis (size 0) gives the op's identity: 0, -Infinity, +Infinity.
 */
export function reduce(op: ReduceOp, x: Float32Array, outer: number, size: number, inner: number): Float32Array {
  const out = new Float32Array(outer * inner);
  const acc = new Float64Array(inner);
  const init = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
  for (let o = 0; o < outer; o++) {
    acc.fill(init);
    const base = o * size * inner;
    for (let s = 0; s < size; s++) {
      const row = base + s * inner;
      if (op === 'sum') {
        for (let i = 0; i < inner; i++) acc[i] += x[row + i];
      } else if (op === 'max') {
        // Written as a comparison chain that propagates NaN, like Math.max.
        for (let i = 0; i < inner; i++) {
          const v = x[row + i];
          if (v > acc[i] || v !== v) acc[i] = v;
        }
      } else {
        for (let i = 0; i < inner; i++) {
          const v = x[row + i];
          if (v < acc[i] || v !== v) acc[i] = v;
        }
      }
    }
    out.set(acc, o * inner);
  }
  return out;
}

/** Sum of squares over every element of every array, in one f64 accumulator. */
export function sumOfSquares(list: Float32Array[]): Float32Array {
  let acc = 0;
  for (const x of list) {
    for (let i = 0; i < x.length; i++) acc += x[i] * x[i];
  }
  return Float32Array.of(acc);
}
