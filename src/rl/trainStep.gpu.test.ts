// The default train step on WebGPU: its dispatch budget (issue #22: at most 120 launches, one
// readback — a count, deterministic, not a timing) and its gradients against the CPU backend and
// against the op-by-op path (within 1e-4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { WebGpuBackend } from '../engine/backend/webgpu/webgpuBackend';
import { defaultGptConfig } from '../model/config';
import { relMaxDiff } from '../model/fusedCheck';
import { runDefaultStep } from './trainStepCheck';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

/** Issue #22's budget for the default step. */
const STEP_DISPATCH_BUDGET = 120;

describe('the default train step on WebGPU', () => {
  it(`issues at most ${STEP_DISPATCH_BUDGET} dispatches and one readback`, async () => {
    setBackend(gpu);
    const step = await runDefaultStep(defaultGptConfig, true, false);
    const byKernel = JSON.stringify(Object.fromEntries(gpu.dispatchesByKernel));
    expect(step.readbacks).toBe(1);
    expect(step.dispatches, byKernel).toBeLessThanOrEqual(STEP_DISPATCH_BUDGET);
    expect(Number.isFinite(step.loss)).toBe(true);
  });

  it('gradients within 1e-4 of the CPU back end and of the op-by-op path', async () => {
    setBackend(new CpuBackend());
    const cpu = await runDefaultStep(defaultGptConfig, true, true);
    setBackend(gpu);
    const fused = await runDefaultStep(defaultGptConfig, true, true);
    const opByOp = await runDefaultStep(defaultGptConfig, false, true);
    expect(fused.grads.size).toBe(40);
    for (const [name, g] of fused.grads) {
      expect(relMaxDiff(g, cpu.grads.get(name)!), `${name} vs CPU`).toBeLessThan(1e-4);
      expect(relMaxDiff(g, opByOp.grads.get(name)!), `${name} vs op by op`).toBeLessThan(1e-4);
    }
    expect(Math.abs(fused.loss - cpu.loss)).toBeLessThan(1e-5);
  });
});
