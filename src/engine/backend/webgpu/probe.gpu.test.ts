import { describe, expect, it } from 'vitest';
describe('probe', () => {
  it('has webgpu', async () => {
    const adapter = await navigator.gpu.requestAdapter();
    expect(adapter).not.toBeNull();
    console.log(adapter!.info.vendor, adapter!.info.architecture, [...adapter!.features].join(','));
  });
});
