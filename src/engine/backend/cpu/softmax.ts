// Row softmax / log-softmax with causal and key-padding masks, and their gradient.
//
// Stability: each row subtracts its max over *visible* entries before exp, so logits of ±1e4 stay finite.
// A row with nothing visible (or only -Infinity logits) has no distribution; it is written as all 0
// (softmax) / all -Infinity (log-softmax) instead of the NaN that 0/0 would give.

/** The mask in array form (the backend resolves the keyMask storage). */
export interface CpuSoftmaxMask {
  causal: boolean;
  queryLen: number;
  keyMask: Float32Array | null;
  rowsPerBatch: number;
}

export function softmax(
  x: Float32Array,
  rows: number,
  cols: number,
  mask: CpuSoftmaxMask | null,
  log: boolean,
): Float32Array {
  const out = new Float32Array(rows * cols);
  const hidden = log ? -Infinity : 0;
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    // Keys at column > last are causally masked; the query's absolute position is q + (cols - queryLen),
    // so a KV-cache step (queryLen < cols) sees the whole cached prefix.
    let last = cols - 1;
    let km: Float32Array | null = null;
    let kmOff = 0;
    if (mask) {
      if (mask.causal) last = (r % mask.queryLen) + (cols - mask.queryLen);
      if (mask.keyMask) {
        km = mask.keyMask;
        kmOff = Math.floor(r / mask.rowsPerBatch) * cols;
      }
    }
    const end = Math.min(last + 1, cols); // columns [end, cols) are causally masked
    let max = -Infinity;
    for (let c = 0; c < end; c++) {
      if (km && km[kmOff + c] === 0) continue;
      if (x[off + c] > max) max = x[off + c];
    }
    if (max === -Infinity) {
      // Fully masked (or all visible logits are -Infinity): defined as all hidden, never NaN.
      out.fill(hidden, off, off + cols);
      continue;
    }
    let sum = 0;
    for (let c = 0; c < end; c++) {
      if (km && km[kmOff + c] === 0) continue;
      sum += Math.exp(x[off + c] - max);
    }
    if (log) {
      const shift = max + Math.log(sum);
      for (let c = 0; c < cols; c++) {
        out[off + c] = c < end && !(km && km[kmOff + c] === 0) ? x[off + c] - shift : -Infinity;
      }
    } else {
      const inv = 1 / sum;
      for (let c = 0; c < cols; c++) {
        out[off + c] = c < end && !(km && km[kmOff + c] === 0) ? Math.exp(x[off + c] - max) * inv : 0;
      }
    }
  }
  return out;
}

/**
 * softmax:     dx = y * (dy - sum(dy*y))
 * log-softmax: dx = dy - exp(y) * sum(dy)
 * Masked entries (y = 0 / y = -Infinity) are outside the distribution: they get dx = 0 and their dy is
 * left out of the row sums (a masked entry's output is a constant, so its dy carries no gradient).
 */
export function softmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, log: boolean): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    let s = 0;
    if (log) {
      for (let c = 0; c < cols; c++) if (y[off + c] !== -Infinity) s += dy[off + c];
      for (let c = 0; c < cols; c++) {
        const yc = y[off + c];
        out[off + c] = yc === -Infinity ? 0 : dy[off + c] - Math.exp(yc) * s;
      }
    } else {
      for (let c = 0; c < cols; c++) if (y[off + c] !== 0) s += dy[off + c] * y[off + c];
      for (let c = 0; c < cols; c++) {
        const yc = y[off + c];
        out[off + c] = yc === 0 ? 0 : yc * (dy[off + c] - s);
      }
    }
  }
  return out;
}
