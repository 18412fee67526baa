// Sum / max / min over the middle axis of [outer, size, inner] (shaders/reduce.wgsl). Long axes are
// split into chunks reduced by separate workgroups (or threads) into an [outer, chunks, inner]
// partial, which is reduced again, until one chunk is left: enough parallelism for outer = 1 with a
// huge axis, and short f32 accumulation runs.
import type { ReduceOp, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import reduceWgsl from '../../../../../shaders/reduce.wgsl?raw';

const WG = 256;
const OPS: Record<ReduceOp, { code: number; identity: number }> = {
  sum: { code: 0, identity: 0 },
  max: { code: 1, identity: -Infinity },
  min: { code: 2, identity: Infinity },
};
/** Rows at least this long (with inner = 1) get a workgroup each; shorter ones a thread each. */
const ROW_KERNEL_MIN = 64;
/** Elements one row workgroup reduces (16 per thread); longer rows are split. */
const ROW_CHUNK = 4096;
/** Threads enough to keep a GPU busy; the column kernel splits the axis until it has about this many. */
const TARGET_THREADS = 65536;
/** The shortest axis run a column thread walks when the axis is split. */
const MIN_COL_CHUNK = 64;

interface Plan {
  entryPoint: 'reduceRows' | 'reduceCols';
  chunks: number;
  chunkLen: number;
}

export function planReduce(outer: number, size: number, inner: number): Plan {
  if (inner === 1 && size >= ROW_KERNEL_MIN) {
    const chunks = size > 2 * ROW_CHUNK ? Math.ceil(size / ROW_CHUNK) : 1;
    return { entryPoint: 'reduceRows', chunks, chunkLen: Math.ceil(size / chunks) };
  }
  const outputs = outer * inner;
  let chunks = 1;
  if (outputs < TARGET_THREADS && size > 4 * MIN_COL_CHUNK) {
    chunks = Math.min(Math.ceil(size / MIN_COL_CHUNK), Math.ceil(TARGET_THREADS / outputs));
  }
  const chunkLen = Math.ceil(size / chunks);
  return { entryPoint: 'reduceCols', chunks: Math.ceil(size / chunkLen), chunkLen };
}

export function reduce(ctx: GpuKernelContext, op: ReduceOp, x: Storage, outer: number, size: number, inner: number): GpuStorage {
  const spec = OPS[op];
  if (!spec) throw new Error(`reduce: unknown op ${String(op)}`);
  for (const n of [outer, size, inner]) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`reduce: bad shape [${outer}, ${size}, ${inner}]`);
  }
  if (x.dtype !== 'f32') throw new Error(`reduce: expected an f32 storage, got ${x.dtype}`);
  if (x.size < outer * size * inner) throw new Error(`reduce: storage has ${x.size} elements, [${outer}, ${size}, ${inner}] needs ${outer * size * inner}`);
  const xb = ctx.buffer(x);
  if (outer * inner === 0) return ctx.alloc(0, 'f32');
  if (size === 0) {
    // An empty axis gives the identity, like the CPU oracle: the column kernel walks nothing and writes init.
    const out = ctx.alloc(outer * inner, 'f32');
    launchPass(ctx, op, xb, out, outer, 0, inner, { entryPoint: 'reduceCols', chunks: 1, chunkLen: 0 });
    return out;
  }
  let src = xb;
  let scratch: GpuStorage | null = null;
  let axis = size;
  for (;;) {
    const plan = planReduce(outer, axis, inner);
    const out = ctx.alloc(outer * plan.chunks * inner, 'f32');
    launchPass(ctx, op, src, out, outer, axis, inner, plan);
    // Safe right after recording: the pool reuses a freed buffer only after the next submit.
    if (scratch) ctx.free(scratch);
    if (plan.chunks === 1) return out;
    scratch = out;
    src = out.buffer;
    axis = plan.chunks;
  }
}

function launchPass(ctx: GpuKernelContext, op: ReduceOp, src: GPUBuffer, out: GpuStorage, outer: number, size: number, inner: number, plan: Plan): void {
  const kernel: KernelSpec = {
    name: `reduce_${op}`,
    code: reduceWgsl,
    entryPoint: plan.entryPoint,
    constants: { WG, OP: OPS[op].code },
  };
  const groups = outer * plan.chunks; // one workgroup per (row, chunk) ...
  ctx.launch({
    kernel,
    storages: [out.buffer, src],
    uniforms: new Uniforms().u32(outer).u32(size).u32(inner).u32(plan.chunks).u32(plan.chunkLen).f32(OPS[op].identity),
    // ... or one thread per output element.
    workgroups: plan.entryPoint === 'reduceRows' ? grid1D(groups, 1) : grid1D(groups * inner, WG),
  });
}
