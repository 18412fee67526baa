// A linear layer in one launch: y = act(A·B + bias), the bias and the activation applied as the matmul
// stores each output block (shaders/matmul_bias_act.wgsl), with the pre-bias product kept for GELU's
// backward. For row-major A [m, k] and B [k, n] with k and n multiples of 4 (the vec4 path); the caller
// (WebGpuBackend.matmulBiasActivation) falls back to matmul then biasActivation otherwise.
import type { BiasActivation, MatmulParams, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import type { KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { chooseBlocking, type DirectBlocking } from './matmulDirect';
import matmulBiasActWgsl from '../../../../../shaders/matmul_bias_act.wgsl?raw';

const ACTS: Record<BiasActivation, number> = { none: 0, gelu: 1 };
const kernels = new Map<string, KernelSpec>();

function kernelFor(d: DirectBlocking, act: BiasActivation): KernelSpec {
  const key = `${d.wgx}x${d.wgy}r${d.rm}c${d.cv}${act}`;
  let spec = kernels.get(key);
  if (!spec) {
    spec = { name: `matmulBiasAct.${act}`, code: matmulBiasActWgsl, constants: { WGX: d.wgx, WGY: d.wgy, RM: d.rm, CV: d.cv, ACT: ACTS[act] } };
    kernels.set(key, spec);
  }
  return spec;
}

/** Whether the fused launch serves this shape (else matmul then biasActivation). */
export function canFuseLinear(k: number, n: number): boolean {
  return k % 4 === 0 && n % 4 === 0 && k > 0 && n > 0;
}

export function matmulBiasActivation(ctx: GpuKernelContext, a: Storage, b: Storage, bias: Storage, m: number, k: number, n: number, act: BiasActivation): { y: GpuStorage; pre: GpuStorage | null } {
  if (!canFuseLinear(k, n)) throw new Error(`matmulBiasActivation: k ${k} and n ${n} must be positive multiples of 4`);
  if (a.size < m * k || b.size < k * n || bias.size < n) throw new Error(`matmulBiasActivation: operands too small for [${m}, ${k}]·[${k}, ${n}] + [${n}]`);
  const y = ctx.alloc(m * n, 'f32');
  const pre = act === 'gelu' ? ctx.alloc(m * n, 'f32') : null;
  if (m === 0) return { y, pre };
  const p: MatmulParams = { batch: 1, m, n, k, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
  const d = chooseBlocking(p, { transA: false, transB: false, vec4: true });
  const scratch = pre ? null : ctx.alloc(1, 'f32'); // pre's binding without GELU: never written
  ctx.launch({
    kernel: kernelFor(d, act),
    storages: [ctx.buffer(a), ctx.buffer(b), y.buffer, ctx.buffer(bias), (pre ?? scratch!).buffer],
    uniforms: new Uniforms().u32(m).u32(n).u32(k).u32(pre ? 1 : 0),
    workgroups: [Math.ceil(n / (4 * d.cv * d.wgx)), Math.ceil(m / (d.rm * d.wgy)), 1],
  });
  if (scratch) ctx.free(scratch);
  return { y, pre };
}
