// Embedding lookup and its gradient. Ids outside [0, numRows) read zeros and contribute nothing, so a
// padding id (e.g. -1) needs no special casing by the caller.

export function gather(table: Float32Array, ids: Int32Array, count: number, cols: number): Float32Array {
  const out = new Float32Array(count * cols);
  const numRows = Math.floor(table.length / cols);
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    if (id < 0 || id >= numRows) continue;
    out.set(table.subarray(id * cols, id * cols + cols), i * cols);
  }
  return out;
}

/** dtable[v] = sum of dy[i] over i with ids[i] = v; accumulated in f64, then rounded once. */
export function scatterAdd(dy: Float32Array, ids: Int32Array, count: number, numRows: number, cols: number): Float32Array {
  const acc = new Float64Array(numRows * cols);
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    if (id < 0 || id >= numRows) continue;
    const o = id * cols;
    const d = i * cols;
    for (let c = 0; c < cols; c++) acc[o + c] += dy[d + c];
  }
  return Float32Array.from(acc);
}
