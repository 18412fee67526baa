// The fused policy loss (one op: per-token loss, token-mean, clip metrics, gradient) against the
// op-by-op graph on the WebGPU backend, every option, awkward shapes (CPU: policyLossFused.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { WebGpuBackend } from '../engine/backend/webgpu/webgpuBackend';
import { comparePolicyLoss, POLICY_LOSS_CASES } from './policyLossCheck';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  setBackend(gpu);
});
afterAll(() => gpu?.destroy());

describe('fused policy loss = the op-by-op graph (WebGPU)', () => {
  POLICY_LOSS_CASES.forEach((c, i) => {
    it(`[${c.N}, ${c.L}], advantages [${c.N}, ${c.advCols}], ${c.withOld ? 'with' : 'without'} logπ_old, ${JSON.stringify(c.config)}, ${c.aggregation}`, async () => {
      const r = await comparePolicyLoss(c, 17 + i);
      expect(r.perToken).toBeLessThan(1e-6);
      expect(r.loss).toBeLessThan(1e-6);
      expect(r.metrics).toBe(0);
      expect(r.grad).toBeLessThan(1e-6);
    });
  });
});
