// The pipeline cache, against a fake device that counts compilations (no GPU needed for the keying).
import { describe, expect, it } from 'vitest';
import { PipelineCache, pipelineKey, type KernelSpec, type PipelineDevice } from './kernel';

function fakeDevice() {
  const calls = { modules: 0, pipelines: 0 };
  const device = {
    createShaderModule: () => {
      calls.modules++;
      return {} as GPUShaderModule;
    },
    createComputePipeline: (d: GPUComputePipelineDescriptor) => {
      calls.pipelines++;
      return { label: `${d.label}:${d.compute.entryPoint}` } as unknown as GPUComputePipeline;
    },
  } as unknown as PipelineDevice;
  return { device, calls };
}

const code = '@compute @workgroup_size(1) fn main() {} @compute @workgroup_size(1) fn other() {}';

describe('pipelineKey', () => {
  it('is the name, entry point and constants in a fixed order — never the source', () => {
    const key = pipelineKey({ name: 'k', code, entryPoint: 'other', constants: { WG: 64, A: 1 } });
    expect(key).toBe('k|other|A=1|WG=64');
    expect(key).not.toContain('@compute');
    expect(pipelineKey({ name: 'k', code, constants: { A: 1, WG: 64 } })).toBe('k|main|A=1|WG=64');
    expect(pipelineKey({ name: 'k', code })).toBe('k|main');
  });
});

describe('PipelineCache', () => {
  it('compiles once per (name, entry point, constants) and shares one module per source', () => {
    const { device, calls } = fakeDevice();
    const cache = new PipelineCache(device);
    const a: KernelSpec = { name: 'k', code, constants: { WG: 64 } };
    const p1 = cache.get(a);
    // A fresh spec object with the same key (as binary/layout build per launch) hits the cache.
    expect(cache.get({ name: 'k', code, constants: { WG: 64 } })).toBe(p1);
    expect(calls).toEqual({ modules: 1, pipelines: 1 });
    const p2 = cache.get({ name: 'k', code, constants: { WG: 32 } });
    const p3 = cache.get({ name: 'k', code, entryPoint: 'other', constants: { WG: 64 } });
    expect(new Set([p1, p2, p3]).size).toBe(3);
    expect(calls).toEqual({ modules: 1, pipelines: 3 });
    expect(cache.compiled).toBe(3);
  });

  it('rejects one kernel name used with two different sources', () => {
    const { device } = fakeDevice();
    const cache = new PipelineCache(device);
    cache.get({ name: 'k', code });
    expect(() => cache.get({ name: 'k', code: `${code} // changed` })).toThrow(/two different WGSL sources/);
  });
});
