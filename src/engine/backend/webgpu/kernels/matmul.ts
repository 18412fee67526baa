// Batched matmul on WebGPU (shaders/matmul.wgsl): tiled in workgroup memory, 4×4 outputs per thread
// in registers, vec4 global access when every contiguous axis is a multiple of 4.
//
// The tiling is chosen per call (each distinct tiling is one pipeline; transposes are uniforms):
// - m ≤ 8 (e.g. one query row per sequence in KV-cache generation): one or two rows of threads, each
//   thread 1, 2 or 4 rows × 4 columns, up to 256 columns wide — a 64-row tile would spend ≥ 7/8 of its
//   work on rows that do not exist.
// - otherwise 64×64 tiles (256 threads) when there are enough of them to fill the GPU, else up to 32×32
//   (64 threads); either shrinks (by powers of two, down to 16) for narrow outputs.
import type { MatmulParams, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { MAX_WORKGROUPS_PER_DIM, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import matmulWgsl from '../../../../../shaders/matmul.wgsl?raw';

/** WGX×WGY threads, each computing RM×4 outputs: tiles are (RM·WGY)×(4·WGX), staged TK deep in k. */
export interface MatmulTiling {
  wgx: number;
  wgy: number;
  rm: 1 | 2 | 4;
  tk: number;
}

/** Below this many 64×64 workgroups, smaller tiles keep more of the GPU busy. */
const MIN_WORKGROUPS_FOR_64 = 64;

function pow2AtLeast(x: number, lo: number, hi: number): number {
  let p = lo;
  while (p < x && p < hi) p *= 2;
  return p;
}

function chooseTiling(p: MatmulParams): MatmulTiling {
  const wide = (maxThreads: number) => pow2AtLeast(Math.ceil(p.n / 4), 4, maxThreads);
  if (p.m <= 8) {
    const wgx = wide(64);
    // Workgroup memory (TM + TN)·TK·4 B stays under 16 KiB: 4×256 tiles with TK 8 = 8.3 KiB.
    return { wgx, wgy: p.m <= 4 ? 1 : 2, rm: p.m <= 1 ? 1 : p.m <= 2 ? 2 : 4, tk: wgx === 64 ? 8 : 16 };
  }
  const tiles64 = Math.ceil(p.m / 64) * Math.ceil(p.n / 64) * p.batch;
  const side = tiles64 >= MIN_WORKGROUPS_FOR_64 ? 16 : 8;
  return { wgx: wide(side), wgy: pow2AtLeast(Math.ceil(p.m / 4), 4, side), rm: 4, tk: 16 };
}

/**
 * The kernel variant a call runs. A transpose flag only matters when both of its matrix's dimensions
 * exceed 1 (a 1×k row stored as k×1 is the same memory), so it is dropped otherwise — which lets a
 * single query row (m = 1) take the vec4 path whatever its flag.
 * vec4 is used when every contiguous axis (a stored row of A and of B, a row of out) and both batch
 * strides are multiples of 4, so every vec4 load and store is aligned and in range.
 */
export function matmulVariant(p: MatmulParams): { tiling: MatmulTiling; transA: boolean; transB: boolean; vec4: boolean } {
  const transA = p.transA && p.m > 1 && p.k > 1;
  const transB = p.transB && p.n > 1 && p.k > 1;
  const aRow = transA ? p.m : p.k; // length of a stored row of A
  const bRow = transB ? p.k : p.n;
  const vec4 = aRow % 4 === 0 && bRow % 4 === 0 && p.n % 4 === 0 && p.aBatchStride % 4 === 0 && p.bBatchStride % 4 === 0;
  return { tiling: chooseTiling(p), transA, transB, vec4 };
}

const kernels = new Map<string, KernelSpec>();

function kernelFor(t: MatmulTiling, vec4: boolean): KernelSpec {
  const key = `${t.wgx}x${t.wgy}r${t.rm}k${t.tk}${vec4 ? 'v4' : ''}`;
  let spec = kernels.get(key);
  if (!spec) {
    spec = {
      name: vec4 ? 'matmul_vec4' : 'matmul',
      code: matmulWgsl,
      entryPoint: vec4 ? 'main_vec4' : 'main',
      constants: { WGX: t.wgx, WGY: t.wgy, RM: t.rm, TK: t.tk },
    };
    kernels.set(key, spec);
  }
  return spec;
}

function checkParams(a: Storage, b: Storage, p: MatmulParams): void {
  const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = p;
  for (const [name, v] of Object.entries({ batch, m, n, k, aBatchStride, bBatchStride })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`matmul: ${name} must be a non-negative integer, got ${v}.`);
  }
  if (a.dtype !== 'f32' || b.dtype !== 'f32') throw new Error('matmul: inputs must be f32.');
  if (batch > 0 && m * k > 0 && (batch - 1) * aBatchStride + m * k > a.size) {
    throw new Error(`matmul: A holds ${a.size} elements, too few for batch ${batch} of ${transA ? `${k}×${m}` : `${m}×${k}`} at stride ${aBatchStride}.`);
  }
  if (batch > 0 && k * n > 0 && (batch - 1) * bBatchStride + k * n > b.size) {
    throw new Error(`matmul: B holds ${b.size} elements, too few for batch ${batch} of ${transB ? `${n}×${k}` : `${k}×${n}`} at stride ${bBatchStride}.`);
  }
  if (batch * m * n >= 2 ** 32 || a.size >= 2 ** 32 || b.size >= 2 ** 32) throw new Error('matmul: more than 2^32 elements.');
}

export function matmul(ctx: GpuKernelContext, a: Storage, b: Storage, p: MatmulParams): GpuStorage {
  checkParams(a, b, p);
  const { batch, m, n, k } = p;
  if (batch * m * n === 0) return ctx.alloc(0, 'f32');
  if (k === 0) return ctx.zeros(batch * m * n, 'f32'); // an empty sum
  const out = ctx.alloc(batch * m * n, 'f32');
  const { tiling, transA, transB, vec4 } = matmulVariant(p);
  const kernel = kernelFor(tiling, vec4);
  const groupsX = Math.ceil(n / (4 * tiling.wgx));
  const groupsY = Math.ceil(m / (tiling.rm * tiling.wgy));
  if (groupsX > MAX_WORKGROUPS_PER_DIM || groupsY > MAX_WORKGROUPS_PER_DIM) {
    throw new Error(`matmul: ${m}×${n} output needs ${groupsY}×${groupsX} tiles, above the ${MAX_WORKGROUPS_PER_DIM} per-dimension limit.`);
  }
  const storages = [ctx.buffer(a), ctx.buffer(b), out.buffer];
  // The batch rides on workgroup z; more than 65535 entries take several dispatches.
  for (let base = 0; base < batch; base += MAX_WORKGROUPS_PER_DIM) {
    const count = Math.min(MAX_WORKGROUPS_PER_DIM, batch - base);
    ctx.launch({
      kernel,
      storages,
      uniforms: new Uniforms()
        .u32(m)
        .u32(n)
        .u32(k)
        .u32(p.aBatchStride)
        .u32(p.bBatchStride)
        .u32(base)
        .u32(transA ? 1 : 0)
        .u32(transB ? 1 : 0),
      workgroups: [groupsX, groupsY, count],
    });
  }
  return out;
}
