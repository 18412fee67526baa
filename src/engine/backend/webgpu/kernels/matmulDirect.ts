// The direct matmul (shaders/matmulDirect.wgsl): no workgroup memory, no barriers; each thread keeps
// a block of outputs in registers and reads A and B straight from global memory, four k at a time.
// It is the backend's default: on SwiftShader it runs this model's thin shapes 3-6.5× faster than the
// tiled kernel (bench/results/kernels.json), because a software adapter's global memory is the CPU
// cache and a workgroupBarrier is a costly switch between the invocations it emulates.
//
// Block per thread, measured on SwiftShader over the train step's shapes (a throwaway page timing 4×4,
// 4×8, 8×4 and 8×8 blocks with 16-256-thread workgroups): 8 rows × 8 columns (two vec4s) on the vec4
// path — 25 % faster than 4×8 over the step's shapes, 4×8 having been 2-6× the tiled kernel — and
// 4 × 4 on the scalar one; fewer rows when m ≤ 4 (one query row in KV-cache generation).
// Workgroups of up to 64 threads, narrowed to the output so that small batched matrices (attention's
// T×T scores) do not launch mostly idle threads, and so that small outputs still make 16 workgroups.
import type { MatmulParams, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { forEachBatchChunk, pow2AtLeast, type MatmulVariant } from './matmulShape';
import matmulDirectWgsl from '../../../../../shaders/matmulDirect.wgsl?raw';

const WORKGROUP_THREADS = 64;
const MIN_WORKGROUP_THREADS = 4;
const MAX_WGX = 8;
/** Fewer workgroups than this leave cores idle on a CPU-backed adapter (and SMs on a GPU). */
const MIN_WORKGROUPS = 16;

/** Threads (WGX along n, WGY along m) and the block each computes (RM rows × 4·CV columns). */
export interface DirectBlocking {
  wgx: number;
  wgy: number;
  rm: 1 | 2 | 4 | 8;
  cv: 1 | 2;
}

export function chooseBlocking(p: MatmulParams, v: MatmulVariant): DirectBlocking {
  // Transposed A on the vec4 path reads four rows as one vec4, so its blocks are 4 or 8 rows (m % 4 = 0 there).
  const rm = p.m <= 1 ? 1 : p.m <= 2 ? 2 : p.m <= 4 || !v.vec4 ? 4 : 8;
  const cv = v.vec4 && p.n > 4 ? 2 : 1;
  const colBlocks = Math.ceil(p.n / (4 * cv));
  const rowBlocks = Math.ceil(p.m / rm);
  // Narrow the workgroup until there are enough of them for every core (a weight gradient's output is
  // only 64×64: 64 blocks of 8×8, which one 64-thread workgroup would leave to a single core).
  let threads = WORKGROUP_THREADS;
  while (threads > MIN_WORKGROUP_THREADS && (colBlocks * rowBlocks * p.batch) / threads < MIN_WORKGROUPS) threads /= 2;
  const wgx = pow2AtLeast(colBlocks, 1, Math.min(threads, MAX_WGX));
  const wgy = pow2AtLeast(rowBlocks, 1, threads / wgx);
  return { wgx, wgy, rm, cv };
}

const kernels = new Map<string, KernelSpec>();

function kernelFor(d: DirectBlocking, v: MatmulVariant): KernelSpec {
  const key = `${d.wgx}x${d.wgy}r${d.rm}c${d.cv}${v.transA ? 'tA' : ''}${v.transB ? 'tB' : ''}${v.vec4 ? 'v4' : ''}`;
  let spec = kernels.get(key);
  if (!spec) {
    spec = {
      name: v.vec4 ? 'matmul_direct' : 'matmul_direct_scalar',
      code: matmulDirectWgsl,
      entryPoint: v.vec4 ? 'main' : 'main_scalar',
      // The transposes are pipeline constants here (uniforms in the tiled kernel): they sit in the
      // innermost loop, where a branch per k step costs more than the extra pipelines.
      constants: { WGX: d.wgx, WGY: d.wgy, RM: d.rm, CV: d.cv, TRANS_A: v.transA ? 1 : 0, TRANS_B: v.transB ? 1 : 0 },
    };
    kernels.set(key, spec);
  }
  return spec;
}

export function matmulDirect(ctx: GpuKernelContext, a: Storage, b: Storage, p: MatmulParams, v: MatmulVariant, out: GpuStorage): void {
  const d = chooseBlocking(p, v);
  const kernel = kernelFor(d, v);
  const groupsX = Math.ceil(p.n / (4 * d.cv * d.wgx));
  const groupsY = Math.ceil(p.m / (d.rm * d.wgy));
  const storages = [ctx.buffer(a), ctx.buffer(b), out.buffer];
  forEachBatchChunk(p, groupsX, groupsY, (base, count) => {
    ctx.launch({
      kernel,
      storages,
      uniforms: new Uniforms().u32(p.m).u32(p.n).u32(p.k).u32(p.aBatchStride).u32(p.bBatchStride).u32(base),
      workgroups: [groupsX, groupsY, count],
    });
  });
}
