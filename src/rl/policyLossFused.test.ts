// The fused policy loss (one op: per-token loss, token-mean, clip metrics, gradient) against the
// op-by-op graph on the CPU backend, every option, awkward shapes (WebGPU: policyLossFused.gpu.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { comparePolicyLoss, POLICY_LOSS_CASES } from './policyLossCheck';

beforeAll(() => setBackend(new CpuBackend()));

describe('fused policy loss = the op-by-op graph (CPU)', () => {
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
