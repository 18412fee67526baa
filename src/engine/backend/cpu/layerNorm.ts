// LayerNorm over the last axis, biased variance (PyTorch/TF), and its backward.
// Two passes (mean, then centred variance) in f64: no catastrophic cancellation from E[x²] - E[x]².

export function layerNorm(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  rows: number,
  cols: number,
  eps: number,
): { y: Float32Array; mean: Float32Array; rstd: Float32Array } {
  const y = new Float32Array(rows * cols);
  const mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[off + c];
    const mu = s / cols;
    let v = 0;
    for (let c = 0; c < cols; c++) {
      const d = x[off + c] - mu;
      v += d * d;
    }
    const rs = 1 / Math.sqrt(v / cols + eps);
    mean[r] = mu;
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) y[off + c] = (x[off + c] - mu) * rs * gamma[c] + beta[c];
  }
  return { y, mean, rstd };
}

/**
 * With xhat = (x - mean) * rstd and g = dy * gamma:
 *   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),  dgamma = sum_rows dy * xhat,  dbeta = sum_rows dy.
 * Uses the saved (f32) mean and rstd, exactly as a GPU kernel would.
 */
export function layerNormGrad(
  dy: Float32Array,
  x: Float32Array,
  gamma: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  rows: number,
  cols: number,
): { dx: Float32Array; dgamma: Float32Array; dbeta: Float32Array } {
  const dx = new Float32Array(rows * cols);
  const dgammaAcc = new Float64Array(cols);
  const dbetaAcc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const mu = mean[r];
    const rs = rstd[r];
    let sg = 0;
    let sgx = 0;
    for (let c = 0; c < cols; c++) {
      const xhat = (x[off + c] - mu) * rs;
      const d = dy[off + c];
      const g = d * gamma[c];
      sg += g;
      sgx += g * xhat;
      dgammaAcc[c] += d * xhat;
      dbetaAcc[c] += d;
    }
    const mg = sg / cols;
    const mgx = sgx / cols;
    for (let c = 0; c < cols; c++) {
      const xhat = (x[off + c] - mu) * rs;
      dx[off + c] = rs * (dy[off + c] * gamma[c] - mg - xhat * mgx);
    }
  }
  return { dx, dgamma: Float32Array.from(dgammaAcc), dbeta: Float32Array.from(dbetaAcc) };
}
