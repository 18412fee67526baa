// The fused attention kernels against the split-heads op-by-op path on WebGPU, on awkward shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { WebGpuBackend } from '../engine/backend/webgpu/webgpuBackend';
import { compareAttention } from './fusedCheck';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  setBackend(gpu);
});
afterAll(() => gpu?.destroy());

const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [3, 17, 2, 3],
  [2, 65, 3, 5],
  [17, 3, 4, 16],
  [1, 130, 1, 2],
];

describe('fused attention = split heads, scale, masked softmax, merge (WebGPU)', () => {
  for (const [B, T, H, dh] of SHAPES) {
    it(`B ${B}, T ${T}, ${H} heads of ${dh}`, async () => {
      const r = await compareAttention(B, T, H, dh, B * 100 + T);
      expect(r.out).toBeLessThan(1e-5);
      for (const g of r.grads) expect(g).toBeLessThan(1e-5);
    });
  }
});
