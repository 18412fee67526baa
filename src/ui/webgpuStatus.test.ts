import { describe, expect, it } from 'vitest';
import { adapterName, KEY_LIMITS, probeWebGpu } from './webgpuStatus';

function fakeGpu(requestAdapter: () => Promise<unknown>): GPU {
  return { requestAdapter } as unknown as GPU;
}

const fakeAdapter = {
  info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: false },
  features: new Set(['timestamp-query', 'subgroups']),
  limits: Object.fromEntries(KEY_LIMITS.map((name, i) => [name, 1024 * (i + 1)])),
};

describe('probeWebGpu', () => {
  it('falls back to the CPU when navigator.gpu is missing', async () => {
    const status = await probeWebGpu(undefined);
    expect(status.kind).toBe('cpu');
  });

  it('falls back to the CPU when requestAdapter returns null', async () => {
    const status = await probeWebGpu(fakeGpu(async () => null));
    expect(status).toEqual({ kind: 'cpu', reason: expect.stringContaining('no adapter') });
  });

  it('falls back to the CPU, with the error, when requestAdapter throws', async () => {
    const status = await probeWebGpu(
      fakeGpu(async () => {
        throw new Error('GPU process crashed');
      }),
    );
    expect(status).toEqual({ kind: 'cpu', reason: expect.stringContaining('GPU process crashed') });
  });

  it('summarises an adapter: info, sorted features, key limits', async () => {
    const status = await probeWebGpu(fakeGpu(async () => fakeAdapter));
    if (status.kind !== 'webgpu') throw new Error(`expected webgpu, got ${status.reason}`);
    expect(status.vendor).toBe('google');
    expect(status.features).toEqual(['subgroups', 'timestamp-query']);
    expect(status.limits.maxComputeWorkgroupStorageSize).toBe(1024);
    expect(Object.keys(status.limits)).toEqual([...KEY_LIMITS]);
    expect(adapterName(status)).toBe('swiftshader');
    expect(adapterName({ ...status, architecture: '' })).toBe('google');
  });
});
