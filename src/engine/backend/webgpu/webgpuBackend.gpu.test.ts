// The WebGPU backend's plumbing: device, pool, encoder batching, readback and counters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuProfiler } from './profile';
import { WebGpuBackend } from './webgpuBackend';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create(); // a missing adapter fails here: never skipped
});
afterAll(() => gpu?.destroy());

describe('WebGpuBackend plumbing', () => {
  it('finds a real adapter', () => {
    expect(gpu.adapterInfo.vendor.length + gpu.adapterInfo.architecture.length).toBeGreaterThan(0);
  });

  it('round-trips f32 and i32 data', async () => {
    const f = gpu.upload(new Float32Array([1.5, -2, 3e-8]));
    const i = gpu.upload(new Int32Array([7, -1, 2147483647]));
    expect(Array.from(await gpu.read(f))).toEqual([1.5, -2, new Float32Array([3e-8])[0]]);
    expect(Array.from(await gpu.read(i))).toEqual([7, -1, 2147483647]);
    gpu.free(f);
    gpu.free(i);
  });

  it('zeros, fill and readMany in one readback', async () => {
    gpu.resetCounters();
    const z = gpu.zeros(5, 'f32');
    const a = gpu.fill(70000 * 4, 0.25, 'f32'); // > 65535 workgroups of 1: exercises the 2-D grid
    const b = gpu.fill(3, -4, 'i32');
    const [zr, ar, br] = await gpu.readMany([z, a, b]);
    expect(gpu.counters().readbacks).toBe(1);
    expect(Array.from(zr)).toEqual([0, 0, 0, 0, 0]);
    expect(ar.every((v) => v === 0.25)).toBe(true);
    expect(Array.from(br)).toEqual([-4, -4, -4]);
    [z, a, b].forEach((s) => gpu.free(s));
  });

  it('recycles buffers so the count stays flat', async () => {
    for (let round = 0; round < 3; round++) {
      const list = Array.from({ length: 10 }, () => gpu.fill(1000, round, 'f32'));
      await gpu.read(list[9]);
      list.forEach((s) => gpu.free(s));
    }
    gpu.flush();
    const before = gpu.counters();
    for (let round = 0; round < 5; round++) {
      const list = Array.from({ length: 10 }, () => gpu.fill(1000, round, 'f32'));
      expect(Array.from(await gpu.read(list[0])).slice(0, 2)).toEqual([round, round]);
      list.forEach((s) => gpu.free(s));
    }
    gpu.flush();
    const after = gpu.counters();
    expect(after.liveBuffers).toBe(before.liveBuffers);
    expect(after.pooledBuffers).toBe(before.pooledBuffers);
  });

  it('refuses a freed storage with a clear message', () => {
    const s = gpu.fill(4, 1, 'f32');
    gpu.free(s);
    expect(() => gpu.free(s)).toThrow(/freed twice/);
    expect(() => gpu.buffer(s)).toThrow(/already freed/);
  });

  it('times every launch per kernel when the profiler is on', async () => {
    gpu.profiler = GpuProfiler.create(gpu.device);
    expect(gpu.profiler).not.toBeNull(); // SwiftShader has timestamp-query
    const a = gpu.fill(4096, 1, 'f32');
    const b = gpu.unary('exp', a);
    await gpu.read(b);
    const times = await gpu.profiler!.collect();
    const names = times.map((t) => t.name);
    expect(names).toContain('fill');
    expect(times.find((t) => t.name === 'fill')!.launches).toBe(1);
    expect(times.every((t) => t.totalMs >= 0)).toBe(true);
    gpu.profiler!.destroy();
    gpu.profiler = null;
    gpu.free(a);
    gpu.free(b);
  });
});
