// The optimiser step on the GPU: global-norm clipping (sumOfSquares -> clipScale) and AdamW, all
// without a readback: the clipping factor is a 1-element storage that adamw reads on the device.
import type { AdamWHyper, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import adamwWgsl from '../../../../../shaders/adamw.wgsl?raw';
import clipScaleWgsl from '../../../../../shaders/clip_scale.wgsl?raw';
import sumsqWgsl from '../../../../../shaders/sumsq.wgsl?raw';
import sumsqFinishWgsl from '../../../../../shaders/sumsq_finish.wgsl?raw';

/** Input storages per sumsq launch: 7 plus the partials make WebGPU's guaranteed 8 storage bindings. */
export const SUMSQ_SLOTS = 7;
const SUMSQ_WG = 256;
const SUMSQ_ITEMS = 16;
/** Elements one sumsq workgroup reduces to one partial sum. */
export const SUMSQ_CHUNK = SUMSQ_WG * SUMSQ_ITEMS;

const sumsqKernel: KernelSpec = { name: 'sumOfSquares', code: sumsqWgsl, constants: { WG: SUMSQ_WG, ITEMS: SUMSQ_ITEMS } };
const sumsqFinishKernel: KernelSpec = { name: 'sumOfSquaresFinish', code: sumsqFinishWgsl, constants: { WG: 256 } };
const clipScaleKernel: KernelSpec = { name: 'clipScale', code: clipScaleWgsl };
const adamwKernel: KernelSpec = { name: 'adamw', code: adamwWgsl, constants: { WG: 256 } };

/**
 * Sum of squares of every element of every storage -> f32 [1], in ceil(k / 7) + 1 launches for k
 * non-empty storages: each launch writes one partial sum per 4096-element chunk of up to 7 storages into
 * a shared partials buffer, then one workgroup adds the partials (a single chunk in all is returned as is).
 */
export function sumOfSquares(ctx: GpuKernelContext, list: Storage[]): GpuStorage {
  for (const s of list) {
    if (s.dtype !== 'f32') throw new Error(`sumOfSquares: expected f32 storages, got ${s.dtype}[${s.size}]`);
  }
  const inputs = list.filter((s) => s.size > 0);
  if (inputs.length === 0) return ctx.zeros(1, 'f32');

  const chunks = inputs.map((s) => Math.ceil(s.size / SUMSQ_CHUNK));
  const totalPartials = chunks.reduce((a, b) => a + b, 0);
  const partials = ctx.alloc(totalPartials, 'f32');
  let partialBase = 0;
  for (let first = 0; first < inputs.length; first += SUMSQ_SLOTS) {
    const batch = inputs.slice(first, first + SUMSQ_SLOTS);
    const counts: number[] = [];
    const starts: number[] = [];
    let workgroups = 0;
    batch.forEach((s, slot) => {
      counts.push(s.size);
      starts.push(workgroups);
      workgroups += chunks[first + slot];
    });
    while (starts.length < SUMSQ_SLOTS + 1) starts.push(workgroups); // unused slots are never selected
    const buffers = batch.map((s) => ctx.buffer(s));
    while (buffers.length < SUMSQ_SLOTS) buffers.push(buffers[0]); // read-only aliases are allowed
    ctx.launch({
      kernel: sumsqKernel,
      storages: [...buffers, partials.buffer],
      uniforms: new Uniforms().u32Vec4Array(counts, 2).u32Vec4Array(starts, 2).u32(partialBase),
      workgroups: grid1D(workgroups, 1),
    });
    partialBase += workgroups;
  }
  if (totalPartials === 1) return partials;

  const out = ctx.alloc(1, 'f32');
  ctx.launch({
    kernel: sumsqFinishKernel,
    storages: [partials.buffer, out.buffer],
    uniforms: new Uniforms().u32(totalPartials),
    workgroups: [1, 1, 1],
  });
  ctx.free(partials);
  return out;
}

/** f32 [1]: min(1, maxNorm / (sqrt(sumSq[0]) + 1e-6)), computed on the GPU by one invocation. */
export function clipScale(ctx: GpuKernelContext, sumSq: Storage, maxNorm: number): GpuStorage {
  if (sumSq.dtype !== 'f32' || sumSq.size < 1) throw new Error(`clipScale: sumSq must be f32 [1], got ${sumSq.dtype}[${sumSq.size}]`);
  const out = ctx.alloc(1, 'f32');
  ctx.launch({
    kernel: clipScaleKernel,
    storages: [ctx.buffer(sumSq), out.buffer],
    uniforms: new Uniforms().f32(maxNorm),
    workgroups: [1, 1, 1],
  });
  return out;
}

/**
 * In place AdamW (PyTorch semantics, see cpu/adamw.ts) on param, m, v; grad is multiplied by
 * gradScale[0] on the device when gradScale is given. Bias corrections 1 - beta^t are computed here in
 * f64 and passed as uniforms. Without a scale, grad is bound again in the scale's slot (read-only
 * aliasing is allowed) and a uniform flag ignores it, so there is one pipeline and no dummy buffer.
 */
export function adamw(
  ctx: GpuKernelContext,
  param: Storage,
  grad: Storage,
  m: Storage,
  v: Storage,
  h: AdamWHyper,
  gradScale: Storage | null,
): void {
  const n = param.size;
  for (const [what, s] of [['grad', grad], ['m', m], ['v', v]] as const) {
    if (s.dtype !== 'f32' || s.size !== n) throw new Error(`adamw: ${what} must be f32 with ${n} elements, got ${s.dtype}[${s.size}]`);
  }
  if (param.dtype !== 'f32') throw new Error('adamw: param must be f32');
  if (gradScale && (gradScale.dtype !== 'f32' || gradScale.size < 1)) throw new Error('adamw: gradScale must be f32 [1]');
  if (!(Number.isInteger(h.step) && h.step >= 1)) throw new Error(`adamw: step must be a 1-based integer, got ${h.step}`);
  if (n === 0) return;
  const gradBuf = ctx.buffer(grad);
  const uniforms = new Uniforms()
    .u32(n)
    .u32(gradScale ? 1 : 0)
    .f32(h.lr)
    .f32(h.beta1)
    .f32(1 - h.beta1)
    .f32(h.beta2)
    .f32(1 - h.beta2)
    .f32(h.eps)
    .f32(h.weightDecay)
    .f32(1 - Math.pow(h.beta1, h.step))
    .f32(1 - Math.pow(h.beta2, h.step));
  ctx.launch({
    kernel: adamwKernel,
    storages: [ctx.buffer(param), gradBuf, ctx.buffer(m), ctx.buffer(v), gradScale ? ctx.buffer(gradScale) : gradBuf],
    uniforms,
    workgroups: grid1D(n, 256),
  });
}
