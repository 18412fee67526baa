// Multi-tensor AdamW (shaders/adamw_multi.wgsl) on WebGPU against the CPU oracle's per-parameter adamw,
// on awkward sizes, with and without a clipping scale read on the device; its dispatch count; and the
// generated source for every K compiles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdamWGroup, AdamWHyper, Backend, Storage } from '../../../backend';
import { CpuBackend } from '../../cpu/cpuBackend';
import { WebGpuBackend } from '../webgpuBackend';
import { ADAMW_MULTI_MAX, adamwGroupsPerLaunch, adamwMultiCode } from './optimizer';
import { expectAllClose, randomF32 } from './kernelTestUtil';

let gpu: WebGpuBackend;
const cpu = new CpuBackend();
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

const SIZES = [1, 3, 0, 17, 65, 130, 4097, 70000, 5];

function makeGroups(b: Backend, sizes: number[]): AdamWGroup[] {
  return sizes.map((n, i) => ({
    param: b.upload(randomF32(n, 100 + i)),
    grad: b.zeros(n, 'f32'),
    m: b.zeros(n, 'f32'),
    v: b.zeros(n, 'f32'),
  }));
}

async function run(withScale: boolean): Promise<void> {
  const g = makeGroups(gpu, SIZES);
  const c = makeGroups(cpu, SIZES);
  for (let step = 1; step <= 4; step++) {
    const h: AdamWHyper = { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.05, step };
    const grads = SIZES.map((n, i) => randomF32(n, step * 31 + i, -2, 2));
    const gg = g.map((x, i) => ({ ...x, grad: gpu.upload(grads[i]) }));
    const cg = c.map((x, i) => ({ ...x, grad: cpu.upload(grads[i]) }));
    const gScale = withScale ? gpu.upload(Float32Array.of(0.37)) : null;
    const cScale = withScale ? cpu.upload(Float32Array.of(0.37)) : null;
    gpu.adamwMulti(gg, h, gScale);
    for (const x of cg) cpu.adamw(x.param, x.grad, x.m, x.v, h, cScale);
    gg.forEach((x) => gpu.free(x.grad));
    cg.forEach((x) => cpu.free(x.grad));
    if (gScale) gpu.free(gScale);
    if (cScale) cpu.free(cScale);
  }
  const all = (gs: AdamWGroup[]) => gs.flatMap((x) => [x.param, x.m, x.v]);
  const gotG = await gpu.readMany(all(g));
  const gotC = await cpu.readMany(all(c));
  gotC.forEach((expected, i) => expectAllClose(`scale=${withScale} storage ${i}`, gotG[i], expected, { rtol: 1e-5, atol: 1e-7 }));
  for (const x of [...g.flatMap((y) => [y.param, y.grad, y.m, y.v])]) gpu.free(x);
  for (const x of [...c.flatMap((y) => [y.param, y.grad, y.m, y.v])]) cpu.free(x);
}

describe('adamwMulti (WebGPU)', () => {
  it('four steps match the CPU adamw on every parameter, without a grad scale', async () => run(false));
  it('four steps match with a clipping scale read on the device', async () => run(true));

  it('uses ceil(parameters / K) dispatches, K from the storage-binding limit', () => {
    const K = adamwGroupsPerLaunch(gpu.device.limits.maxStorageBuffersPerShaderStage);
    const sizes = Array.from({ length: 40 }, (_, i) => 1 + ((i * 37) % 300));
    const groups = makeGroups(gpu, sizes);
    gpu.resetCounters();
    gpu.adamwMulti(groups, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 1 }, null);
    console.log(`adamwMulti: ${gpu.counters().dispatches} dispatches for 40 parameters (K = ${K}, limit ${gpu.device.limits.maxStorageBuffersPerShaderStage})`);
    expect(gpu.counters().dispatches).toBe(Math.ceil(40 / K));
    expect(K).toBeGreaterThanOrEqual(1);
    groups.forEach((x) => [x.param, x.grad, x.m, x.v].forEach((s: Storage) => gpu.free(s)));
  });

  it('rejects aliased state and a bad step like adamw', () => {
    const p = gpu.fill(3, 1, 'f32');
    const g = gpu.fill(3, 1, 'f32');
    const m = gpu.zeros(3, 'f32');
    const h = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 1 };
    expect(() => gpu.adamwMulti([{ param: p, grad: g, m, v: m }], h, null)).toThrow(/distinct/);
    expect(() => gpu.adamwMulti([{ param: p, grad: g, m, v: g }], { ...h, step: 0 }, null)).toThrow(/1-based/);
    [p, g, m].forEach((s) => gpu.free(s));
  });

  it('the generated source compiles for every K up to the maximum', async () => {
    for (let K = 1; K <= ADAMW_MULTI_MAX; K++) {
      const module = gpu.device.createShaderModule({ code: adamwMultiCode(K) });
      const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
      expect(errors.map((e) => e.message), `K = ${K}`).toEqual([]);
    }
  });
});
