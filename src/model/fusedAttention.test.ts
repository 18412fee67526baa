// The fused attention op against the split-heads op-by-op reference on the CPU backend, on awkward
// shapes (the WebGPU twin is fusedAttention.gpu.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { compareAttention } from './fusedCheck';

beforeAll(() => setBackend(new CpuBackend()));

const ATTENTION_SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [3, 17, 2, 3],
  [2, 65, 3, 5],
  [17, 3, 4, 16],
  [1, 130, 1, 2],
];

describe('fused attention = split heads, scale, masked softmax, merge (CPU)', () => {
  for (const [B, T, H, dh] of ATTENTION_SHAPES) {
    it(`B ${B}, T ${T}, ${H} heads of ${dh}`, async () => {
      const r = await compareAttention(B, T, H, dh, B * 100 + T);
      expect(r.out).toBeLessThan(1e-5);
      for (const g of r.grads) expect(g).toBeLessThan(1e-5);
    });
  }
});
