// Embedding gather (a thread per output element) and its gradient scatterAdd (a thread per table row and
// a few columns, as vec4s when the width allows; no float atomics). See shaders/embedding.wgsl.
import type { Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import embeddingWgsl from '../../../../../shaders/embedding.wgsl?raw';

const gatherKernel: KernelSpec = { name: 'gather', code: embeddingWgsl, entryPoint: 'embedding_gather', constants: { WG: 256 } };
// Small workgroups: a table gradient has only a few hundred threads, and they should spread over cores.
const SCATTER_WG = 32;
const scatterKernel: KernelSpec = { name: 'scatterAdd', code: embeddingWgsl, entryPoint: 'embedding_scatter_add', constants: { WG: SCATTER_WG } };
const scatter4Kernel: KernelSpec = { name: 'scatterAdd.vec4', code: embeddingWgsl, entryPoint: 'embedding_scatter_add4', constants: { WG: SCATTER_WG } };
/** Q in shaders/embedding.wgsl: columns (vec4 groups on the vec4 path) per scatter thread. */
const SCATTER_COLUMNS_PER_THREAD = 8;

export function gather(ctx: GpuKernelContext, table: Storage, ids: Storage, count: number, cols: number): GpuStorage {
  const out = ctx.alloc(count * cols, 'f32');
  if (count === 0 || cols === 0) return out;
  if (ids.size < count) throw new Error(`gather: ${count} ids requested but the ids storage holds ${ids.size}`);
  ctx.launch({
    kernel: gatherKernel,
    storages: [ctx.buffer(table), ctx.buffer(ids), out.buffer],
    uniforms: new Uniforms().u32(count).u32(cols).u32(Math.floor(table.size / cols)),
    workgroups: grid1D(count * cols, 256),
  });
  return out;
}

export function scatterAdd(ctx: GpuKernelContext, dy: Storage, ids: Storage, count: number, numRows: number, cols: number): GpuStorage {
  if (count === 0 || numRows === 0 || cols === 0) return ctx.zeros(numRows * cols, 'f32');
  if (ids.size < count) throw new Error(`scatterAdd: ${count} ids requested but the ids storage holds ${ids.size}`);
  const idsBuf = ctx.buffer(ids);
  // The shader reads the ids as quads; pooled buffers (power-of-two sizes of at least 256 bytes) always
  // hold the last, partial one.
  if (idsBuf.size < Math.ceil(count / 4) * 16) throw new Error(`scatterAdd: the ids buffer (${idsBuf.size} bytes) is not padded to whole quads`);
  const out = ctx.alloc(numRows * cols, 'f32');
  const vec4 = cols % 4 === 0;
  const width = vec4 ? cols / 4 : cols;
  ctx.launch({
    kernel: vec4 ? scatter4Kernel : scatterKernel,
    storages: [ctx.buffer(dy), idsBuf, out.buffer],
    uniforms: new Uniforms().u32(count).u32(width).u32(numRows),
    workgroups: grid1D(numRows * Math.ceil(width / SCATTER_COLUMNS_PER_THREAD), SCATTER_WG),
  });
  return out;
}
