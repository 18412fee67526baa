// WebGPU layerNorm and layerNormGrad against the CPU oracle.
//
// Tolerances: rtol 1e-4, plus an absolute floor of 1e-6 × the magnitude of the terms that form each value
// (per row for y, mean and dx; per column, summed over rows, for dgamma/dbeta). Every output here is a sum or difference of such terms — y = xhat
// * gamma + beta, dx = rstd (g - mean g - xhat mean(g xhat)), dgamma/dbeta = sums over rows of mixed
// signs — so a result near 0 carries f32 rounding of a few ulp of its terms (ulp ≈ 1.2e-7 relative),
// which no relative bound on the result itself can hold; the oracle accumulates in f64.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../webgpuBackend';
import { expectAllClose, randomF32, runBoth } from './kernelTestUtil';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

async function check(rows: number, cols: number, seed: number, xLo = -3, xHi = 3, eps = 1e-5) {
  const x = randomF32(rows * cols, seed, xLo, xHi);
  const gamma = randomF32(cols, seed + 1, 0.5, 1.5);
  const beta = randomF32(cols, seed + 2, -0.5, 0.5);
  const dy = randomF32(rows * cols, seed + 3, -1, 1);
  const name = `[${rows}x${cols}]`;

  const fwd = await runBoth(gpu, (b, up) => {
    const r = b.layerNorm(up(x), up(gamma), up(beta), rows, cols, eps);
    return [r.y, r.mean, r.rstd];
  });
  const [y, mean, rstd] = fwd.cpu as Float32Array[];
  const xhat = (r: number, c: number) => (x[r * cols + c] - mean[r]) * rstd[r];
  // Per-row scales of the terms each output is formed from.
  const yScale = rowMax(rows, cols, (r, c) => Math.abs(xhat(r, c) * gamma[c]) + Math.abs(beta[c]));
  const xScale = rowMax(rows, cols, (r, c) => Math.abs(x[r * cols + c]));
  expectAllClose(`${name} y`, fwd.gpu[0], y, { atol: (i) => 1e-6 * yScale[Math.floor(i / cols)] });
  expectAllClose(`${name} mean`, fwd.gpu[1], mean, { atol: (r) => 1e-6 * xScale[r] });
  expectAllClose(`${name} rstd`, fwd.gpu[2], rstd);

  // The gradient from the oracle's mean/rstd, so both backends see identical inputs.
  const bwd = await runBoth(gpu, (b, up) => {
    const g = b.layerNormGrad(up(dy), up(x), up(gamma), up(mean), up(rstd), rows, cols);
    return [g.dx, g.dgamma, g.dbeta];
  });
  const [dx, dgamma, dbeta] = bwd.cpu as Float32Array[];
  // dx = rstd (g - mean(g) - xhat mean(g xhat)) with g = dy gamma: scale rstd (|g| + |mean g| + |xhat mean(g xhat)|).
  const dxScale = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sg = 0;
    let sgx = 0;
    for (let c = 0; c < cols; c++) {
      sg += Math.abs(dy[r * cols + c] * gamma[c]);
      sgx += Math.abs(dy[r * cols + c] * gamma[c] * xhat(r, c));
    }
    dxScale[r] = rstd[r] * rowMax(1, cols, (_, c) => Math.abs(dy[r * cols + c] * gamma[c]) + sg / cols + (Math.abs(xhat(r, c)) * sgx) / cols)[0];
  }
  // dgamma/dbeta sum `rows` terms of mixed sign: scale = sum over rows of |dy xhat| / |dy|.
  const dgScale = new Float64Array(cols);
  const dbScale = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      dgScale[c] += Math.abs(dy[r * cols + c] * xhat(r, c));
      dbScale[c] += Math.abs(dy[r * cols + c]);
    }
  }
  expectAllClose(`${name} dx`, bwd.gpu[0], dx, { atol: (i) => 1e-6 * dxScale[Math.floor(i / cols)] });
  expectAllClose(`${name} dgamma`, bwd.gpu[1], dgamma, { atol: (c) => 1e-6 * dgScale[c] });
  expectAllClose(`${name} dbeta`, bwd.gpu[2], dbeta, { atol: (c) => 1e-6 * dbScale[c] });
}

function rowMax(rows: number, cols: number, f: (r: number, c: number) => number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r] = Math.max(out[r], f(r, c));
  return out;
}

describe('layerNorm (webgpu vs cpu)', () => {
  const shapes: [number, number][] = [
    [1, 1],
    [1, 3],
    [3, 17],
    [17, 65],
    [65, 130],
    [130, 3],
    [4, 4096],
    [300, 17], // several chunks of rows in the dgamma/dbeta reduction
    [5000, 1],
  ];
  shapes.forEach(([rows, cols], i) => {
    it(`${rows}x${cols}`, async () => {
      await check(rows, cols, 100 + i);
    });
  });

  it('rows with a large mean (two-pass variance, no cancellation)', async () => {
    await check(17, 130, 7, 1000, 1001);
  });

  it('frees its scratch: live buffers return to where they were', async () => {
    await check(300, 17, 9); // warm the pool and the pipelines
    const before = gpu.counters().liveBuffers;
    await check(300, 17, 9); // several row chunks: partial sums in scratch buffers
    expect(gpu.counters().liveBuffers).toBe(before);
  });

  it('more than 65535 rows (2-D grid of workgroups)', async () => {
    await check(70_000, 3, 8);
  });
});
