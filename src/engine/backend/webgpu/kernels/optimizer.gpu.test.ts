// Global-norm clipping (sumOfSquares, clipScale) and AdamW on WebGPU against the CPU oracle and hand values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdamWHyper, Storage } from '../../../backend';
import { CpuBackend } from '../../cpu/cpuBackend';
import { WebGpuBackend } from '../webgpuBackend';
import { SUMSQ_CHUNK, SUMSQ_SLOTS } from './optimizer';
import { uniformArray } from '../../../random';

let gpu: WebGpuBackend;
const cpu = new CpuBackend();
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

/** Seeded uniform numbers in [lo, hi) (mulberry32), so a failure reproduces. */
const randomArray = uniformArray;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, label = ''): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = atol + rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      expect.fail(`${label} index ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

async function gpuSumSq(arrays: Float32Array[]): Promise<number> {
  const list = arrays.map((a) => gpu.upload(a));
  const out = gpu.sumOfSquares(list);
  const [value] = await gpu.read(out);
  list.forEach((s) => gpu.free(s));
  gpu.free(out);
  return value;
}

async function cpuSumSq(arrays: Float32Array[]): Promise<number> {
  const list = arrays.map((a) => cpu.upload(a));
  const out = cpu.sumOfSquares(list);
  const [value] = await cpu.read(out);
  list.forEach((s) => cpu.free(s));
  cpu.free(out);
  return value;
}

const SIZES = [1, 3, 17, 65, 130, 70000];

describe('sumOfSquares (webgpu)', () => {
  it('matches the CPU backend for single storages of awkward sizes', async () => {
    for (const n of [...SIZES, SUMSQ_CHUNK, SUMSQ_CHUNK + 1]) {
      const a = randomArray(n, n);
      expectClose([await gpuSumSq([a])], [await cpuSumSq([a])], 1e-5, 0, `n=${n}`);
    }
  });

  it('hand values: empty list, empty storages, 3² + 4²', async () => {
    expect(await gpuSumSq([])).toBe(0);
    expect(await gpuSumSq([new Float32Array(0)])).toBe(0);
    expect(await gpuSumSq([new Float32Array([3]), new Float32Array(0), new Float32Array([4])])).toBe(25);
  });

  it('sums a list of ~50 parameters (up to 100k elements) in ceil(k/7) + 1 launches, without a readback', async () => {
    const sizes = Array.from({ length: 50 }, (_, i) => [1, 3, 17, 65, 130, 4096, 4097, 100000, 768, 3072][i % 10]);
    const arrays = sizes.map((n, i) => randomArray(n, 100 + i));
    const list = arrays.map((a) => gpu.upload(a));
    gpu.flush();
    gpu.resetCounters();
    const out = gpu.sumOfSquares(list);
    const c = gpu.counters();
    expect(c.dispatches).toBe(Math.ceil(50 / SUMSQ_SLOTS) + 1);
    expect(c.readbacks).toBe(0);
    const [value] = await gpu.read(out);
    expectClose([value], [await cpuSumSq(arrays)], 1e-5, 0);
    list.forEach((s) => gpu.free(s));
    gpu.free(out);
  });

  it('accepts the same storage twice (read-only aliases in one launch)', async () => {
    const a = gpu.upload(new Float32Array([1, 2]));
    const out = gpu.sumOfSquares([a, a, a]);
    expect(Array.from(await gpu.read(out))).toEqual([15]);
    gpu.free(a);
    gpu.free(out);
  });
});

describe('clipScale (webgpu)', () => {
  async function gpuClip(sumSq: number, maxNorm: number): Promise<number> {
    const s = gpu.upload(Float32Array.of(sumSq));
    const out = gpu.clipScale(s, maxNorm);
    const [value] = await gpu.read(out);
    gpu.free(s);
    gpu.free(out);
    return value;
  }

  it('is active when the norm exceeds maxNorm and 1 otherwise', async () => {
    expectClose([await gpuClip(100, 1)], [1 / (10 + 1e-6)], 1e-6, 0, 'active');
    expectClose([await gpuClip(16, 2)], [2 / (4 + 1e-6)], 1e-6, 0, 'active');
    expect(await gpuClip(0.25, 1)).toBe(1); // norm 0.5 < 1
    expect(await gpuClip(0, 1)).toBe(1);
  });

  it('chains sumOfSquares -> clipScale on the device and matches the CPU backend', async () => {
    for (const [n, maxNorm] of [[70000, 1], [3, 100]] as const) {
      const a = randomArray(n, 7);
      const g = gpu.upload(a);
      const ss = gpu.sumOfSquares([g]);
      const scale = gpu.clipScale(ss, maxNorm);
      const [value] = await gpu.read(scale);
      const cs = cpu.upload(a);
      const css = cpu.sumOfSquares([cs]);
      const cscale = cpu.clipScale(css, maxNorm);
      expectClose([value], Array.from(await cpu.read(cscale)), 1e-5, 0, `n=${n}`);
      [g, ss, scale].forEach((s) => gpu.free(s));
      [cs, css, cscale].forEach((s) => cpu.free(s));
    }
  });
});

describe('adamw (webgpu)', () => {
  it('one step by hand (PyTorch AdamW)', async () => {
    // m = 0.05, v = 0.00025 -> m̂ = 0.5, v̂ = 0.25 -> update 0.5 / (0.5 + 1e-8); p = 1 - 0.1 (update + 0.01 · 1)
    const p = gpu.upload(Float32Array.of(1));
    const g = gpu.upload(Float32Array.of(0.5));
    const m = gpu.zeros(1, 'f32');
    const v = gpu.zeros(1, 'f32');
    gpu.adamw(p, g, m, v, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 1 }, null);
    const [pr, mr, vr] = await gpu.readMany([p, m, v]);
    expectClose(pr, [1 - 0.1 * (0.5 / (0.5 + 1e-8) + 0.01)], 1e-6, 0, 'p');
    expectClose(mr, [0.05], 1e-6, 0, 'm');
    expectClose(vr, [0.00025], 1e-6, 0, 'v');
    [p, g, m, v].forEach((s) => gpu.free(s));
  });

  /** 20 steps on both backends with fresh gradients each step; clipping from sumOfSquares -> clipScale. */
  async function twentySteps(n: number, maxNorm: number | null, weightDecay: number, expectClipping = false): Promise<void> {
    const p0 = randomArray(n, 1000 + n);
    const gp = { p: gpu.upload(p0), m: gpu.zeros(n, 'f32'), v: gpu.zeros(n, 'f32') };
    const cp = { p: cpu.upload(p0), m: cpu.zeros(n, 'f32'), v: cpu.zeros(n, 'f32') };
    let gpuScales: number[] = [];
    for (let step = 1; step <= 20; step++) {
      const h: AdamWHyper = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, step };
      const grad = randomArray(n, step * 7919 + n, -2, 2);
      const gg = gpu.upload(grad);
      const cg = cpu.upload(grad);
      let gScale: Storage | null = null;
      let cScale: Storage | null = null;
      const temps: Storage[] = [];
      if (maxNorm !== null) {
        const gss = gpu.sumOfSquares([gg]);
        gScale = gpu.clipScale(gss, maxNorm);
        const css = cpu.sumOfSquares([cg]);
        cScale = cpu.clipScale(css, maxNorm);
        temps.push(gss, gScale);
        cpu.free(css);
      }
      gpu.adamw(gp.p, gg, gp.m, gp.v, h, gScale);
      cpu.adamw(cp.p, cg, cp.m, cp.v, h, cScale);
      if (gScale && step === 1) gpuScales = Array.from(await gpu.read(gScale));
      gpu.free(gg);
      temps.forEach((s) => gpu.free(s));
      cpu.free(cg);
      if (cScale) cpu.free(cScale);
    }
    if (maxNorm !== null) {
      // the test means what it says: clipping was active (or not) on the first step
      const norm = Math.sqrt(Array.from(randomArray(n, 7919 + n, -2, 2)).reduce((a, x) => a + x * x, 0));
      expect(norm > maxNorm, `clipping ${norm > maxNorm ? 'active' : 'inactive'} for n=${n}`).toBe(expectClipping);
      if (expectClipping) expect(gpuScales[0]).toBeLessThan(1);
      else expect(gpuScales[0]).toBe(1);
    }
    const [p, m, v] = await gpu.readMany([gp.p, gp.m, gp.v]);
    const label = `n=${n} maxNorm=${maxNorm} wd=${weightDecay}`;
    expectClose(p, await cpu.read(cp.p), 1e-5, 1e-6, `${label} param`);
    expectClose(m, await cpu.read(cp.m), 1e-5, 1e-6, `${label} m`); // m can cancel to ~0: f32 rounding of grads ~2
    expectClose(v, await cpu.read(cp.v), 1e-5, 1e-9, `${label} v`);
    Object.values(gp).forEach((s) => gpu.free(s));
    Object.values(cp).forEach((s) => cpu.free(s));
  }

  it('20 steps match the CPU backend within 1e-5 relative, without clipping', async () => {
    for (const n of SIZES) await twentySteps(n, null, 0.01);
  });

  it('20 steps match with clipping active (scale < 1 read on the device) and inactive (scale = 1)', async () => {
    for (const n of [3, 130, 70000]) await twentySteps(n, 0.5, 0.1, true);
    for (const n of [1, 17]) await twentySteps(n, 1000, 0, false);
  });

  it('records one launch per call and no readback', () => {
    const p = gpu.fill(65, 1, 'f32');
    const g = gpu.fill(65, 0.5, 'f32');
    const m = gpu.zeros(65, 'f32');
    const v = gpu.zeros(65, 'f32');
    gpu.resetCounters();
    gpu.adamw(p, g, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 3 }, null);
    expect(gpu.counters().dispatches).toBe(1);
    expect(gpu.counters().readbacks).toBe(0);
    expect(() => gpu.adamw(p, g, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 0 }, null)).toThrow(/1-based/);
    [p, g, m, v].forEach((s) => gpu.free(s));
  });
});
