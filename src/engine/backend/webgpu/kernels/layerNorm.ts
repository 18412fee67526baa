// LayerNorm forward (a thread per narrow row, a workgroup per wide one) and backward (dx per row; dgamma/dbeta as column
// reductions in one or two passes, no atomics). See shaders/layernorm.wgsl.
import type { LayerNormGrads, LayerNormResult, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { rowGrid, rowWorkgroupSize } from './softmax';
import layerNormWgsl from '../../../../../shaders/layernorm.wgsl?raw';

const forwardKernel: KernelSpec = { name: 'layerNorm', code: layerNormWgsl, entryPoint: 'layernorm_forward' };
const dxKernel: KernelSpec = { name: 'layerNormGrad.dx', code: layerNormWgsl, entryPoint: 'layernorm_backward_dx' };
const forwardRowsKernel: KernelSpec = { name: 'layerNorm.rows', code: layerNormWgsl, entryPoint: 'layernorm_forward_rows', constants: { WG: 64 } };
const dxRowsKernel: KernelSpec = { name: 'layerNormGrad.dxRows', code: layerNormWgsl, entryPoint: 'layernorm_backward_dx_rows', constants: { WG: 64 } };

/** Rows up to this width get a thread each (no barriers); wider ones a workgroup each. The model's
 *  rows are 64 wide; past ~128 a thread's serial loops cost more than the workgroup's tree steps. */
export const THREAD_PER_ROW_MAX_COLS = 128;

const partialKernel: KernelSpec = {
  name: 'layerNormGrad.params',
  code: layerNormWgsl,
  entryPoint: 'layernorm_backward_params_partial',
  constants: { WG: 256 },
};
const reduceKernel: KernelSpec = {
  name: 'layerNormGrad.paramsReduce',
  code: layerNormWgsl,
  entryPoint: 'layernorm_backward_params_reduce',
  constants: { WG: 256 },
};

export function layerNorm(ctx: GpuKernelContext, x: Storage, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): LayerNormResult {
  const y = ctx.alloc(rows * cols, 'f32');
  const mean = ctx.alloc(rows, 'f32');
  const rstd = ctx.alloc(rows, 'f32');
  if (rows > 0 && cols > 0) {
    const narrow = cols <= THREAD_PER_ROW_MAX_COLS;
    ctx.launch({
      kernel: narrow ? forwardRowsKernel : { ...forwardKernel, constants: { WG: rowWorkgroupSize(cols) } },
      storages: [ctx.buffer(x), ctx.buffer(gamma), ctx.buffer(beta), y.buffer, mean.buffer, rstd.buffer],
      uniforms: new Uniforms().u32(rows).u32(cols).f32(eps),
      workgroups: narrow ? grid1D(rows, 64) : rowGrid(rows),
    });
  }
  return { y, mean, rstd };
}

/**
 * Rows per chunk of the dgamma/dbeta partial sums: about sqrt(rows), so the two serial loops (over the
 * rows of a chunk, then over the chunks) are balanced, and at least 64 so small batches need one pass.
 */
function chunkRowsFor(rows: number): number {
  return Math.max(64, Math.ceil(Math.sqrt(rows)));
}

export function layerNormGrad(ctx: GpuKernelContext, dy: Storage, x: Storage, gamma: Storage, mean: Storage, rstd: Storage, rows: number, cols: number): LayerNormGrads {
  const dx = ctx.alloc(rows * cols, 'f32');
  if (rows === 0 || cols === 0) return { dx, dgamma: ctx.zeros(cols, 'f32'), dbeta: ctx.zeros(cols, 'f32') };
  const dgamma = ctx.alloc(cols, 'f32');
  const dbeta = ctx.alloc(cols, 'f32');
  const [dyBuf, xBuf, meanBuf, rstdBuf] = [ctx.buffer(dy), ctx.buffer(x), ctx.buffer(mean), ctx.buffer(rstd)];

  const narrow = cols <= THREAD_PER_ROW_MAX_COLS;
  ctx.launch({
    kernel: narrow ? dxRowsKernel : { ...dxKernel, constants: { WG: rowWorkgroupSize(cols) } },
    storages: [dyBuf, xBuf, ctx.buffer(gamma), meanBuf, rstdBuf, dx.buffer],
    uniforms: new Uniforms().u32(rows).u32(cols).f32(0),
    workgroups: narrow ? grid1D(rows, 64) : rowGrid(rows),
  });

  const chunkRows = chunkRowsFor(rows);
  const numChunks = Math.ceil(rows / chunkRows);
  const partialGamma = numChunks === 1 ? dgamma : ctx.alloc(numChunks * cols, 'f32');
  const partialBeta = numChunks === 1 ? dbeta : ctx.alloc(numChunks * cols, 'f32');
  ctx.launch({
    kernel: partialKernel,
    storages: [dyBuf, xBuf, meanBuf, rstdBuf, partialGamma.buffer, partialBeta.buffer],
    uniforms: new Uniforms().u32(rows).u32(cols).u32(chunkRows).u32(numChunks),
    workgroups: grid1D(numChunks * cols, 256),
  });
  if (numChunks > 1) {
    ctx.launch({
      kernel: reduceKernel,
      storages: [partialGamma.buffer, partialBeta.buffer, dgamma.buffer, dbeta.buffer],
      uniforms: new Uniforms().u32(cols).u32(numChunks),
      workgroups: grid1D(cols, 256),
    });
    // Freed after recording: the pool hands a buffer out again only after the submit that uses it.
    ctx.free(partialGamma);
    ctx.free(partialBeta);
  }
  return { dx, dgamma, dbeta };
}
