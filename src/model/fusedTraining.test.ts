// The fused training ops against their op-by-op references on the CPU backend, on awkward shapes:
// attention over a packed q|k|v projection, the residual add fused with its layer norm, and the whole
// forward pass with every parameter's gradient (the WebGPU twin is fusedTraining.gpu.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { FORWARD_CASES, fusedTrainingSuite } from './fusedTrainingSuite';

beforeAll(() => setBackend(new CpuBackend()));

describe('fused training ops = op by op (CPU)', () => {
  fusedTrainingSuite(FORWARD_CASES);
  it('the suite covers the default model', () => expect(FORWARD_CASES.some((c) => c.config.dModel === 64 && c.config.nLayers === 3)).toBe(true));
});
