// The fused training kernels against the op-by-op path on WebGPU (SwiftShader), on awkward shapes:
// attention over a packed q|k|v projection, the residual add fused with its layer norm, and the whole
// forward pass with every parameter's gradient (CPU twin: fusedTraining.test.ts).
import { afterAll, beforeAll, describe } from 'vitest';
import { setBackend } from '../engine';
import { WebGpuBackend } from '../engine/backend/webgpu/webgpuBackend';
import { FORWARD_CASES, fusedTrainingSuite } from './fusedTrainingSuite';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  setBackend(gpu);
});
afterAll(() => gpu?.destroy());

describe('fused training ops = op by op (WebGPU)', () => {
  fusedTrainingSuite(FORWARD_CASES.slice(0, 2));
});
