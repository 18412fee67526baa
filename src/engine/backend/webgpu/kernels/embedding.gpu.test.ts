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

/** ids may hold more than count entries (dy as many rows): those past count must be ignored. */
async function check(numRows: number, cols: number, count: number, seed: number, ids?: Int32Array) {
  const table = randomF32(numRows * cols, seed, -2, 2);
  // Some ids out of range on both sides: they read zeros and add nothing.
  const idArr = ids ?? randomI32(count, seed + 1, -2, numRows + 2);
  const dy = randomF32(idArr.length * cols, seed + 2, -1, 1);
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

// scatterAdd takes the vec4 kernel when cols % 4 == 0 and the scalar one otherwise; a thread covers up to
// 8 columns (vec4 groups), so widths that leave a partial group at a row's end are included on both.
describe('embedding (webgpu vs cpu)', () => {
  const cases: [number, number, number][] = [
    [1, 1, 1],
    [3, 1, 17],
    [17, 3, 1],
    [3, 4, 5], // one vec4 group
    [65, 17, 130],
    [130, 65, 17],
    [9, 36, 33], // 9 vec4 groups: one full thread and one of a single group
    [11, 2, 7],
    [5, 130, 300], // many ids per table row
    [7, 600, 65], // many column groups
    [50, 64, 3000], // a few thousand ids, 60 per table row
    [60, 64, 1922], // the token-embedding gradient's shape (plus a partial quad of ids)
  ];
  cases.forEach(([numRows, cols, count], i) => {
    it(`table ${numRows}x${cols}, ${count} ids`, async () => {
      await check(numRows, cols, count, 10 * i + 1);
    });
  });

  it('every id the same (one long sum) and every id out of range', async () => {
    for (const cols of [9, 12]) {
      await check(4, cols, 2000, 5, new Int32Array(2000).fill(2));
      await check(4, cols, 20, 6, new Int32Array(20).fill(-1));
    }
  });

  it('repeated positions 0..14 into a 48-row table (the position-embedding gradient)', async () => {
    const ids = Int32Array.from({ length: 1920 }, (_, i) => i % 15);
    await check(48, 64, 1920, 7, ids);
    await check(48, 63, 1920, 8, ids);
  });

  it('ids past count are ignored, including the rest of a partial quad', async () => {
    for (const cols of [5, 8]) {
      // count 5: ids 4 is in a quad with ids 5..7, which all name row 1 and must add nothing.
      await check(3, cols, 5, 9, Int32Array.from([0, 1, 2, 1, 0, 1, 1, 1, 1, 1, 1, 1]));
    }
  });
});
