// groupAdvantages on WebGPU against the CPU oracle and hand-computed values (docs/rl-reference.md, "Advantages").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdvantageScale } from '../../../backend';
import { CpuBackend } from '../../cpu/cpuBackend';
import { WebGpuBackend } from '../webgpuBackend';
import { mulberry32 } from '../../../random';

let gpu: WebGpuBackend;
const cpu = new CpuBackend();
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

const random = mulberry32;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = atol + rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      expect.fail(`index ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

async function gpuAdvantages(rewards: number[] | Float32Array, numGroups: number, groupSize: number, scale: AdvantageScale, eps: number) {
  const r = gpu.upload(Float32Array.from(rewards));
  const a = gpu.groupAdvantages(r, numGroups, groupSize, scale, eps);
  const out = Array.from(await gpu.read(a));
  gpu.free(r);
  gpu.free(a);
  return out;
}

async function cpuAdvantages(rewards: Float32Array, numGroups: number, groupSize: number, scale: AdvantageScale, eps: number) {
  const r = cpu.upload(rewards);
  const a = cpu.groupAdvantages(r, numGroups, groupSize, scale, eps);
  const out = Array.from(await cpu.read(a));
  cpu.free(r);
  cpu.free(a);
  return out;
}

const SCALES: AdvantageScale[] = ['group', 'batch', 'none'];

describe('groupAdvantages (webgpu)', () => {
  it('matches the CPU backend on awkward shapes, binary and continuous rewards', async () => {
    const shapes: [number, number][] = [
      [1, 1], [3, 1], [1, 3], [4, 8], [17, 3], [5, 17], [2, 65], [3, 130], [1, 300], [700, 100],
    ];
    let seed = 1;
    for (const [numGroups, groupSize] of shapes) {
      for (const binary of [true, false]) {
        const rnd = random(seed++);
        const rewards = Float32Array.from({ length: numGroups * groupSize }, () => (binary ? (rnd() < 0.4 ? 1 : 0) : rnd() * 4 - 1));
        for (const scale of SCALES) {
          const label = `${numGroups}x${groupSize} ${scale} ${binary ? 'binary' : 'continuous'}`;
          const expected = await cpuAdvantages(rewards, numGroups, groupSize, scale, 1e-4);
          const actual = await gpuAdvantages(rewards, numGroups, groupSize, scale, 1e-4);
          expect(actual.length, label).toBe(expected.length);
          expectClose(actual, expected, 1e-5, 1e-6);
        }
      }
    }
  });

  it('hand-computed values: 4 samples, one right', async () => {
    // mean 0.25, Bessel std sqrt((0.75² + 3·0.25²)/3) = 0.5
    const eps = 1e-4;
    expectClose(await gpuAdvantages([1, 0, 0, 0], 1, 4, 'group', eps), [0.75, -0.25, -0.25, -0.25].map((d) => d / (0.5 + eps)), 1e-6, 1e-7);
    expectClose(await gpuAdvantages([1, 0, 0, 0], 1, 4, 'none', eps), [0.75, -0.25, -0.25, -0.25], 1e-6, 1e-7);
  });

  it('eps sits in the denominator: eps = 0 gives the plain z-score, a large eps shrinks it', async () => {
    // [1, 0]: mean 0.5, std sqrt(0.5)
    const s = Math.sqrt(0.5);
    expectClose(await gpuAdvantages([1, 0], 1, 2, 'group', 0), [0.5 / s, -0.5 / s], 1e-6, 1e-7);
    expectClose(await gpuAdvantages([1, 0], 1, 2, 'group', 1), [0.5 / (s + 1), -0.5 / (s + 1)], 1e-6, 1e-7);
  });

  it("'batch' uses each group's mean and the whole batch's std", async () => {
    // batch [1, 0, 1, 1]: mean 0.75, Bessel std 0.5; group means 0.5 and 1
    expectClose(await gpuAdvantages([1, 0, 1, 1], 2, 2, 'batch', 0), [1, -1, 0, 0], 1e-6, 1e-7);
  });

  it('zero-variance groups give exactly 0 under every scale (also for rewards that are not exact in binary)', async () => {
    const rewards = [1, 1, 1, 0, 0, 0, 0.1, 0.1, 0.1, 0.7, 0.7, 0.7];
    for (const scale of SCALES) {
      const a = await gpuAdvantages(rewards, 4, 3, scale, 1e-4);
      expect(a, scale).toEqual(new Array(12).fill(0));
    }
    // a zero-variance group inside a batch that has variance: still 0 under 'batch'
    const mixed = await gpuAdvantages([0.3, 0.3, 0.3, 1, 0, 1], 2, 3, 'batch', 1e-4);
    expect(mixed.slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('a group of one (G = 1) has std 0, so every advantage is 0', async () => {
    for (const scale of SCALES) {
      expect(await gpuAdvantages([0.5, 1, -2], 3, 1, scale, 1e-4), scale).toEqual([0, 0, 0]);
    }
    // a batch of one too
    expect(await gpuAdvantages([3], 1, 1, 'batch', 1e-4)).toEqual([0]);
  });

  it("records one launch ('group', 'none') or two ('batch'), no readback, and frees its scratch", async () => {
    const r = gpu.upload(new Float32Array([1, 0, 0, 1, 1, 1]));
    await gpu.read(r); // settle the pool
    for (const [scale, launches] of [['group', 1], ['none', 1], ['batch', 2]] as const) {
      gpu.flush();
      const liveBefore = gpu.counters().liveBuffers;
      gpu.resetCounters();
      const a = gpu.groupAdvantages(r, 2, 3, scale, 1e-4);
      expect(gpu.counters().dispatches, scale).toBe(launches);
      expect(gpu.counters().readbacks).toBe(0);
      expect(gpu.counters().liveBuffers).toBe(liveBefore + 1);
      gpu.free(a);
    }
    const empty = gpu.groupAdvantages(r, 0, 3, 'group', 1e-4);
    expect(empty.size).toBe(0);
    gpu.free(empty);
    gpu.free(r);
  });

  it('rejects a rewards storage that is too small', () => {
    const r = gpu.upload(new Float32Array(5));
    expect(() => gpu.groupAdvantages(r, 2, 3, 'group', 1e-4)).toThrow(/at least 6/);
    gpu.free(r);
  });
});
