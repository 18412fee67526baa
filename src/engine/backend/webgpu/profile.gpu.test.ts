// The timestamp-query profiler, driven by hand (one pass per launch) as the backend's hook would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuProfiler } from './profile';
import { WebGpuBackend } from './webgpuBackend';
import fillWgsl from '../../../../shaders/fill.wgsl?raw';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

describe('GpuProfiler', () => {
  it('is null without timestamp-query, and times each pass by kernel name with it', async () => {
    const device = gpu.device;
    const profiler = GpuProfiler.create(device, 4);
    if (!device.features.has('timestamp-query')) {
      expect(profiler).toBeNull();
      return;
    }
    expect(profiler).not.toBeNull();
    const p = profiler!;
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code: fillWgsl }), entryPoint: 'main' },
    });
    const target = device.createBuffer({ size: 4 * 65536, usage: GPUBufferUsage.STORAGE });
    const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(params, 0, new Uint32Array([65536, 7, 0, 0]));
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: target } }, { binding: 1, resource: { buffer: params } }],
    });

    const encoder = device.createCommandEncoder();
    for (const name of ['fillA', 'fillB', 'fillA', 'fillA', 'overflow']) {
      const pass = encoder.beginComputePass({ timestampWrites: p.begin(name) });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(256);
      pass.end();
      p.end();
    }
    p.resolve(encoder);
    device.queue.submit([encoder.finish()]);
    const summary = await p.collect();
    expect(p.dropped).toBe(1); // capacity 4: the fifth pass ran untimed
    expect(summary.map((k) => [k.name, k.launches]).sort()).toEqual([['fillA', 3], ['fillB', 1]]);
    for (const k of summary) {
      expect(k.totalMs).toBeGreaterThanOrEqual(0);
      expect(k.maxMs).toBeGreaterThanOrEqual(k.meanMs);
    }
    expect(p.table()).toMatch(/fillA\s+3/);
    expect(() => {
      p.begin('x');
      p.begin('y');
    }).toThrow(/still open/);
    p.destroy();
    target.destroy();
    params.destroy();
  });
});
