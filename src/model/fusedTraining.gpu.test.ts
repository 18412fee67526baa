// The fused training kernels against the op-by-op path on WebGPU (SwiftShader), on awkward shapes:
// attention over a packed q|k|v projection, the residual add fused with its layer norm, and the whole
// forward pass with every parameter's gradient (CPU twin: fusedTraining.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linear, noGrad, setBackend, tensor, tidy } from '../engine';
import { attentionVariant } from '../engine/backend/webgpu/kernels/attention';
import { WebGpuBackend } from '../engine/backend/webgpu/webgpuBackend';
import { ATTENTION_SHAPES, FORWARD_CASES, fusedTrainingSuite } from './fusedTrainingSuite';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
  setBackend(gpu);
});
afterAll(() => gpu?.destroy());

describe('fused training ops = op by op (WebGPU)', () => {
  it('the attention shapes reach each kernel variant (scalar, four registers, vec4 arrays) and every register count', () => {
    const dims = ATTENTION_SHAPES.map(([, , , dh]) => dh);
    expect(new Set(dims.map(attentionVariant))).toEqual(new Set(['scalar', 'r4', 'vec4']));
    expect(new Set(dims.filter((d) => attentionVariant(d) === 'r4').map((d) => d / 4))).toEqual(new Set([1, 2, 3, 4]));
  });
  it('linear is one launch where k and n are multiples of 4 (the matmul epilogue), two otherwise', () => {
    const launches = (k: number, n: number) => {
      gpu.resetCounters();
      tidy(() => noGrad(() => linear(tensor(new Float32Array(6 * k), [6, k]), tensor(new Float32Array(k * n), [k, n]), tensor(new Float32Array(n), [n]), 'gelu')));
      return { dispatches: gpu.counters().dispatches, kernels: [...gpu.dispatchesByKernel.keys()] };
    };
    expect(launches(8, 12)).toEqual({ dispatches: 1, kernels: ['matmulBiasAct.gelu'] });
    expect(launches(8, 6).dispatches).toBe(2);
  });
  fusedTrainingSuite(FORWARD_CASES.slice(0, 2));
});
