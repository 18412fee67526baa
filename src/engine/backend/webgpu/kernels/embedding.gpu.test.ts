// WebGPU gather / scatterAdd against the CPU oracle. gather copies values, so it must match exactly;
// scatterAdd sums the dy rows that share an id in ascending order in f32 while the oracle sums in f64:
// rtol 1e-4 plus an absolute floor of 1e-6 × the sum of |terms| for that entry (a sum of mixed signs
// near 0 keeps the rounding of its terms, ≈ 1.2e-7 relative each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../webgpuBackend';
import { expectAllClose, randomF32, randomI32, runBoth } from './kernelTestUtil';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

async function check(numRows: number, cols: number, count: number, seed: number, ids?: Int32Array) {
  const table = randomF32(numRows * cols, seed, -2, 2);
  // Some ids out of range on both sides: they read zeros and add nothing.
  const idArr = ids ?? randomI32(count, seed + 1, -2, numRows + 2);
  const dy = randomF32(count * cols, seed + 2, -1, 1);
  const res = await runBoth(gpu, (b, up) => [b.gather(up(table), up(idArr), count, cols), b.scatterAdd(up(dy), up(idArr), count, numRows, cols)]);
  expect(Array.from(res.gpu[0]), 'gather').toEqual(Array.from(res.cpu[0]));
  const sumAbs = new Float64Array(numRows * cols);
  for (let i = 0; i < count; i++) {
    const id = idArr[i];
    if (id < 0 || id >= numRows) continue;
    for (let c = 0; c < cols; c++) sumAbs[id * cols + c] += Math.abs(dy[i * cols + c]);
  }
  expectAllClose(`scatterAdd [${numRows}x${cols}, ${count} ids]`, res.gpu[1], res.cpu[1], { atol: (i) => 1e-6 * sumAbs[i] });
}

describe('embedding (webgpu vs cpu)', () => {
  const cases: [number, number, number][] = [
    [1, 1, 1],
    [3, 1, 17],
    [17, 3, 1],
    [65, 17, 130],
    [130, 65, 17],
    [5, 130, 300], // many ids per table row
    [7, 600, 65], // several column blocks
    [50, 64, 3000], // a few thousand ids, 60 per table row
  ];
  cases.forEach(([numRows, cols, count], i) => {
    it(`table ${numRows}x${cols}, ${count} ids`, async () => {
      await check(numRows, cols, count, 10 * i + 1);
    });
  });

  it('every id the same (one long sum) and every id out of range', async () => {
    await check(4, 9, 2000, 5, new Int32Array(2000).fill(2));
    await check(4, 9, 20, 6, new Int32Array(20).fill(-1));
  });
});
