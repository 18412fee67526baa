// The tiled matmul (shaders/matmul.wgsl): workgroup-memory tiles, 4×4 outputs per thread in
// registers, vec4 global access when the shape allows. The textbook GPU kernel; on SwiftShader the
// direct kernel (matmulDirect.ts) beats it 3-6.5×, so the backend runs it only when asked
// (`WebGpuBackend.matmulKernel = 'tiled'`), and the kernel benchmark reports both on each adapter.
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
import { type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { forEachBatchChunk, pow2AtLeast, type MatmulVariant } from './matmulShape';
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

export function chooseTiling(p: MatmulParams): MatmulTiling {
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

export function matmulTiled(ctx: GpuKernelContext, a: Storage, b: Storage, p: MatmulParams, v: MatmulVariant, out: GpuStorage): void {
  const tiling = chooseTiling(p);
  const kernel = kernelFor(tiling, v.vec4);
  const groupsX = Math.ceil(p.n / (4 * tiling.wgx));
  const groupsY = Math.ceil(p.m / (tiling.rm * tiling.wgy));
  const storages = [ctx.buffer(a), ctx.buffer(b), out.buffer];
  forEachBatchChunk(p, groupsX, groupsY, (base, count) => {
    ctx.launch({
      kernel,
      storages,
      uniforms: new Uniforms()
        .u32(p.m)
        .u32(p.n)
        .u32(p.k)
        .u32(p.aBatchStride)
        .u32(p.bBatchStride)
        .u32(base)
        .u32(v.transA ? 1 : 0)
        .u32(v.transB ? 1 : 0),
      workgroups: [groupsX, groupsY, count],
    });
  });
}
