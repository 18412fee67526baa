// A linear layer's bias and activation after its matmul, one launch forward and one backward (the
// input and bias gradients together). See shaders/bias_activation.wgsl.
import type { BiasActivation, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import biasActivationWgsl from '../../../../../shaders/bias_activation.wgsl?raw';

const WG = 64;
const ACTS: Record<BiasActivation, number> = { none: 0, gelu: 1 };
const forward = (act: BiasActivation, vec4: boolean): KernelSpec => ({
  name: `biasActivation.${act}${vec4 ? '.vec4' : ''}`,
  code: biasActivationWgsl,
  entryPoint: vec4 ? 'bias_act_forward_vec4' : 'bias_act_forward',
  constants: { WG, ACT: ACTS[act] },
});
/** The backward's thread per column walks every row, so its workgroups are small: a layer's 64 columns
 *  in one workgroup of 64 would leave every core but one idle on a software adapter (one workgroup runs
 *  on one core there). */
const BACKWARD_WG = 16;
const backward = (act: BiasActivation, vec4: boolean): KernelSpec => ({
  name: `biasActivationGrad.${act}${vec4 ? '.vec4' : ''}`,
  code: biasActivationWgsl,
  entryPoint: vec4 ? 'bias_act_backward_vec4' : 'bias_act_backward',
  constants: { WG: BACKWARD_WG, ACT: ACTS[act] },
});

export function biasActivation(ctx: GpuKernelContext, x: Storage, bias: Storage, rows: number, cols: number, act: BiasActivation): Storage {
  const y = ctx.alloc(rows * cols, 'f32');
  if (rows * cols > 0) {
    ctx.launch({
      kernel: forward(act, cols % 4 === 0),
      storages: [ctx.buffer(x), ctx.buffer(bias), y.buffer],
      uniforms: new Uniforms().u32(rows).u32(cols),
      workgroups: grid1D(Math.ceil((rows * cols) / 4), WG),
    });
  }
  return y;
}

export function biasActivationGrad(ctx: GpuKernelContext, dy: Storage, x: Storage, bias: Storage, rows: number, cols: number, act: BiasActivation): { dx: Storage | null; dbias: Storage } {
  const dbias = rows === 0 ? ctx.zeros(cols, 'f32') : ctx.alloc(cols, 'f32');
  // Without an activation dx is dy itself; the kernel still needs a writable binding there, never written.
  const dx = ctx.alloc(act === 'none' ? 1 : rows * cols, 'f32');
  if (rows > 0 && cols > 0) {
    ctx.launch({
      kernel: backward(act, cols % 4 === 0),
      storages: [ctx.buffer(dy), ctx.buffer(x), ctx.buffer(bias), dx.buffer, dbias.buffer],
      uniforms: new Uniforms().u32(rows).u32(cols),
      workgroups: grid1D(cols % 4 === 0 ? cols / 4 : cols, BACKWARD_WG),
    });
  }
  if (act === 'none') {
    ctx.free(dx);
    return { dx: null, dbias };
  }
  return { dx, dbias };
}
