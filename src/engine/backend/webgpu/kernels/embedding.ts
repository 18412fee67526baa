// Embedding gather (a thread per output element) and its gradient scatterAdd (a workgroup per table
// row and column block, no float atomics). See shaders/embedding.wgsl.
import type { Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { rowWorkgroupSize } from './softmax';
import embeddingWgsl from '../../../../../shaders/embedding.wgsl?raw';

const gatherKernel: KernelSpec = { name: 'gather', code: embeddingWgsl, entryPoint: 'embedding_gather', constants: { WG: 256 } };
const scatterKernel: KernelSpec = { name: 'scatterAdd', code: embeddingWgsl, entryPoint: 'embedding_scatter_add' };

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
  const out = ctx.alloc(numRows * cols, 'f32');
  const wg = rowWorkgroupSize(cols);
  const colBlocks = Math.ceil(cols / wg);
  ctx.launch({
    kernel: { ...scatterKernel, constants: { WG: wg } },
    storages: [ctx.buffer(dy), ctx.buffer(ids), out.buffer],
    uniforms: new Uniforms().u32(count).u32(cols).u32(numRows).u32(colBlocks),
    workgroups: grid1D(numRows * colBlocks, 1),
  });
  return out;
}
