// Row softmax / log-softmax (with causal and key-padding masks) and its gradient: a thread per narrow
// row, a workgroup per wide one.
// See shaders/softmax.wgsl for the numerics.
import type { SoftmaxMask, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import softmaxWgsl from '../../../../../shaders/softmax.wgsl?raw';

const forwardKernel: KernelSpec = { name: 'softmax', code: softmaxWgsl, entryPoint: 'softmax_forward' };
const backwardKernel: KernelSpec = { name: 'softmaxGrad', code: softmaxWgsl, entryPoint: 'softmax_backward' };
const forwardRowsKernel: KernelSpec = { name: 'softmax.rows', code: softmaxWgsl, entryPoint: 'softmax_forward_rows', constants: { WG: 64 } };
const backwardRowsKernel: KernelSpec = { name: 'softmaxGrad.rows', code: softmaxWgsl, entryPoint: 'softmax_backward_rows', constants: { WG: 64 } };

/** Rows up to this width get a thread each; wider ones a workgroup each (see shaders/softmax.wgsl). */
export const SOFTMAX_THREAD_PER_ROW_MAX_COLS = 128;

/**
 * Workgroup size for a kernel that gives one workgroup to each row of `cols` elements: the next power of
 * two of cols (the tree reductions need a power of two), between 8 and 256. Short rows (e.g. attention
 * over the first few keys) then do not leave most of a 256-thread workgroup idle.
 */
export function rowWorkgroupSize(cols: number): number {
  let wg = 8;
  while (wg < cols && wg < 256) wg *= 2;
  return wg;
}

/** One workgroup per row, spread over x and y so more than 65535 rows fit. */
export function rowGrid(rows: number): [number, number, number] {
  return grid1D(rows, 1);
}

export function softmax(ctx: GpuKernelContext, x: Storage, rows: number, cols: number, mask: SoftmaxMask | null, log: boolean): GpuStorage {
  const out = ctx.alloc(rows * cols, 'f32');
  if (rows === 0 || cols === 0) return out;
  const causal = mask?.causal ?? false;
  const queryLen = causal ? mask!.queryLen : 1;
  const keyMask = mask?.keyMask ?? null;
  const rowsPerBatch = keyMask ? mask!.rowsPerBatch : 1;
  if (causal && !(Number.isInteger(queryLen) && queryLen >= 1)) throw new Error(`softmax: causal mask needs queryLen >= 1, got ${queryLen}`);
  if (keyMask && !(Number.isInteger(rowsPerBatch) && rowsPerBatch >= 1)) {
    throw new Error(`softmax: key mask needs rowsPerBatch >= 1, got ${rowsPerBatch}`);
  }
  if (keyMask && keyMask.size < Math.ceil(rows / rowsPerBatch) * cols) {
    throw new Error(`softmax: key mask of ${keyMask.size} elements is too small for ${Math.ceil(rows / rowsPerBatch)} batches of ${cols} keys`);
  }
  const xBuf = ctx.buffer(x);
  const narrow = cols <= SOFTMAX_THREAD_PER_ROW_MAX_COLS;
  ctx.launch({
    kernel: narrow ? forwardRowsKernel : { ...forwardKernel, constants: { WG: rowWorkgroupSize(cols) } },
    // Without a key mask the shader never reads binding 1; x stands in (two read-only bindings may alias).
    storages: [xBuf, keyMask ? ctx.buffer(keyMask) : xBuf, out.buffer],
    uniforms: new Uniforms()
      .u32(rows)
      .u32(cols)
      .u32(causal ? 1 : 0)
      .u32(queryLen)
      .u32(keyMask ? 1 : 0)
      .u32(rowsPerBatch)
      .u32(log ? 1 : 0),
    workgroups: narrow ? grid1D(rows, 64) : rowGrid(rows),
  });
  return out;
}

export function softmaxGrad(ctx: GpuKernelContext, y: Storage, dy: Storage, rows: number, cols: number, log: boolean): GpuStorage {
  const out = ctx.alloc(rows * cols, 'f32');
  if (rows === 0 || cols === 0) return out;
  const narrow = cols <= SOFTMAX_THREAD_PER_ROW_MAX_COLS;
  ctx.launch({
    kernel: narrow ? backwardRowsKernel : { ...backwardKernel, constants: { WG: rowWorkgroupSize(cols) } },
    storages: [ctx.buffer(y), ctx.buffer(dy), out.buffer],
    uniforms: new Uniforms().u32(rows).u32(cols).u32(0).u32(1).u32(0).u32(1).u32(log ? 1 : 0),
    workgroups: narrow ? grid1D(rows, 64) : rowGrid(rows),
  });
  return out;
}
