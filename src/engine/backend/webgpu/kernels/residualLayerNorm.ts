// A residual add fused with the layer norm that reads it, forward and backward one launch each. See
// shaders/residual_layernorm.wgsl, and its vec4 twins (shaders/residual_layernorm_vec4.wgsl) for rows
// of whole quads.
import type { LayerNormGrads, ResidualLayerNormResult, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import residualLayerNormWgsl from '../../../../../shaders/residual_layernorm.wgsl?raw';
import residualLayerNormVec4Wgsl from '../../../../../shaders/residual_layernorm_vec4.wgsl?raw';

const WG = 64;
const forwardKernel: KernelSpec = { name: 'residualLayerNorm', code: residualLayerNormWgsl, entryPoint: 'residual_layernorm_forward', constants: { WG } };
const backwardKernel: KernelSpec = { name: 'residualLayerNormGrad', code: residualLayerNormWgsl, entryPoint: 'residual_layernorm_backward', constants: { WG } };
const forwardVec4: KernelSpec = { name: 'residualLayerNorm.vec4', code: residualLayerNormVec4Wgsl, entryPoint: 'residual_layernorm_forward_vec4', constants: { WG } };
const backwardVec4: KernelSpec = { name: 'residualLayerNormGrad.vec4', code: residualLayerNormVec4Wgsl, entryPoint: 'residual_layernorm_backward_vec4', constants: { WG } };

export function residualLayerNorm(ctx: GpuKernelContext, x: Storage, delta: Storage | null, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): ResidualLayerNormResult {
  const sum = ctx.alloc(rows * cols, 'f32');
  const y = ctx.alloc(rows * cols, 'f32');
  const stats = ctx.alloc(2 * rows, 'f32');
  if (rows > 0 && cols > 0) {
    const xBuf = ctx.buffer(x);
    ctx.launch({
      kernel: cols % 4 === 0 ? forwardVec4 : forwardKernel,
      storages: [xBuf, delta ? ctx.buffer(delta) : xBuf, ctx.buffer(gamma), ctx.buffer(beta), sum.buffer, y.buffer, stats.buffer],
      uniforms: new Uniforms().u32(rows).u32(cols).f32(eps).u32(delta ? 1 : 0),
      workgroups: grid1D(rows, WG),
    });
  }
  return { sum, y, stats };
}

export function residualLayerNormGrad(ctx: GpuKernelContext, dy: Storage, dSum: Storage | null, sum: Storage, gamma: Storage, stats: Storage, rows: number, cols: number): LayerNormGrads {
  const dx = ctx.alloc(rows * cols, 'f32');
  if (rows === 0 || cols === 0) return { dx, dgamma: ctx.zeros(cols, 'f32'), dbeta: ctx.zeros(cols, 'f32') };
  const dgamma = ctx.alloc(cols, 'f32');
  const dbeta = ctx.alloc(cols, 'f32');
  const dyBuf = ctx.buffer(dy);
  ctx.launch({
    kernel: cols % 4 === 0 ? backwardVec4 : backwardKernel,
    storages: [dyBuf, dSum ? ctx.buffer(dSum) : dyBuf, ctx.buffer(sum), ctx.buffer(gamma), ctx.buffer(stats), dx.buffer, dgamma.buffer, dbeta.buffer],
    uniforms: new Uniforms().u32(rows).u32(cols).f32(0).u32(dSum ? 1 : 0),
    // A thread per column (quad, in the vec4 kernel), then one per row.
    workgroups: grid1D(rows + (cols % 4 === 0 ? cols / 4 : cols), WG),
  });
  return { dx, dgamma, dbeta };
}
