// The optimiser step on the GPU: global-norm clipping (sumOfSquares -> clipScale) and AdamW, all
// without a readback: the clipping factor is a 1-element storage that adamw reads on the device.
import type { AdamWGroup, AdamWHyper, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import adamwWgsl from '../../../../../shaders/adamw.wgsl?raw';
import adamwMultiWgsl from '../../../../../shaders/adamw_multi.wgsl?raw';
import clipScaleWgsl from '../../../../../shaders/clip_scale.wgsl?raw';
import sumsqWgsl from '../../../../../shaders/sumsq.wgsl?raw';
import sumsqFinishWgsl from '../../../../../shaders/sumsq_finish.wgsl?raw';

/** Input storages per sumsq launch: 7 plus the partials make WebGPU's guaranteed 8 storage bindings. */
export const SUMSQ_SLOTS = 7;
const SUMSQ_WG = 64;
const SUMSQ_ITEMS = 16;
/** Elements one sumsq workgroup reduces (to one partial sum per invocation). */
export const SUMSQ_CHUNK = SUMSQ_WG * SUMSQ_ITEMS;

const sumsqKernel: KernelSpec = { name: 'sumOfSquares', code: sumsqWgsl, constants: { WG: SUMSQ_WG, ITEMS: SUMSQ_ITEMS } };
const sumsqFinishKernel: KernelSpec = { name: 'sumOfSquaresFinish', code: sumsqFinishWgsl, constants: { WG: 256 } };
const clipScaleKernel: KernelSpec = { name: 'clipScale', code: clipScaleWgsl };
const adamwKernel: KernelSpec = { name: 'adamw', code: adamwWgsl, constants: { WG: 256 } };

/**
 * Sum of squares of every element of every storage -> f32 [1], in ceil(k / 7) + 1 launches for k
 * non-empty storages: each launch writes SUMSQ_WG partial sums per SUMSQ_CHUNK-element chunk of up to 7
 * storages into a shared partials buffer, then one workgroup adds the partials.
 */
export function sumOfSquares(ctx: GpuKernelContext, list: Storage[]): GpuStorage {
  for (const s of list) {
    if (s.dtype !== 'f32') throw new Error(`sumOfSquares: expected f32 storages, got ${s.dtype}[${s.size}]`);
  }
  const inputs = list.filter((s) => s.size > 0);
  if (inputs.length === 0) return ctx.zeros(1, 'f32');

  const chunks = inputs.map((s) => Math.ceil(s.size / SUMSQ_CHUNK));
  const totalPartials = chunks.reduce((a, b) => a + b, 0) * SUMSQ_WG;
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

/** Parameters one adamw_multi dispatch updates at most (its uniform block holds 8 end offsets). */
export const ADAMW_MULTI_MAX = 8;

/** How many parameters fit one dispatch: 4 storage bindings each, after the grad scale's. */
export function adamwGroupsPerLaunch(maxStorageBuffers: number): number {
  return Math.max(1, Math.min(ADAMW_MULTI_MAX, Math.floor((maxStorageBuffers - 1) / 4)));
}

const multiKernels = new Map<number, KernelSpec>();

/** adamw_multi.wgsl with its K parameter bindings and dispatch appended (the file's template step). */
export function adamwMultiCode(K: number): string {
  const parts = [adamwMultiWgsl];
  for (let k = 0; k < K; k++) {
    const b = 1 + 4 * k;
    parts.push(
      `@group(0) @binding(${b}) var<storage, read_write> p${k}: array<f32>;`,
      `@group(0) @binding(${b + 1}) var<storage, read> g${k}: array<f32>;`,
      `@group(0) @binding(${b + 2}) var<storage, read_write> m${k}: array<f32>;`,
      `@group(0) @binding(${b + 3}) var<storage, read_write> v${k}: array<f32>;`,
      `fn step${k}(i: u32, scale: f32) {`,
      `  let r = adamwElement(p${k}[i], g${k}[i] * scale, m${k}[i], v${k}[i]);`,
      `  m${k}[i] = r.y;`,
      `  v${k}[i] = r.z;`,
      `  p${k}[i] = r.x;`,
      `}`,
    );
  }
  parts.push(`@group(0) @binding(${1 + 4 * K}) var<uniform> params: Params;`, 'fn stepAt(i: u32, scale: f32) {');
  for (let k = 0; k < K; k++) {
    const start = k === 0 ? '0u' : `endOf(${k - 1}u)`;
    parts.push(`  ${k === 0 ? '' : '} else '}if (i < endOf(${k}u)) {`, `    step${k}(i - ${start}, scale);`);
  }
  parts.push('  }', '}');
  return parts.join('\n');
}

function multiKernel(K: number): KernelSpec {
  let spec = multiKernels.get(K);
  if (!spec) {
    // Each K is its own source, so its own kernel name (the pipeline cache keys by name).
    spec = { name: `adamwMulti${K}`, code: adamwMultiCode(K), constants: { WG: 256 } };
    multiKernels.set(K, spec);
  }
  return spec;
}

/**
 * adamw on every group in ceil(groups / K) dispatches, K = adamwGroupsPerLaunch(device limit): on
 * SwiftShader's 10 storage bindings, 2 parameters per dispatch; on adapters that offer 33 or more, 8.
 * A single group uses the one-parameter kernel.
 */
export function adamwMulti(ctx: GpuKernelContext, groups: AdamWGroup[], h: AdamWHyper, gradScale: Storage | null): void {
  for (const g of groups) {
    const n = g.param.size;
    for (const [what, s] of [['grad', g.grad], ['m', g.m], ['v', g.v]] as const) {
      if (s.dtype !== 'f32' || s.size !== n) throw new Error(`adamwMulti: ${what} must be f32 with ${n} elements, got ${s.dtype}[${s.size}]`);
    }
    if (g.param.dtype !== 'f32') throw new Error('adamwMulti: param must be f32');
    if (g.param === g.m || g.param === g.v || g.m === g.v) throw new Error('adamwMulti: param, m and v must be distinct storages');
  }
  if (gradScale && (gradScale.dtype !== 'f32' || gradScale.size < 1)) throw new Error('adamwMulti: gradScale must be f32 [1]');
  if (!(Number.isInteger(h.step) && h.step >= 1)) throw new Error(`adamwMulti: step must be a 1-based integer, got ${h.step}`);
  const live = groups.filter((g) => g.param.size > 0);
  const K = adamwGroupsPerLaunch(ctx.device.limits.maxStorageBuffersPerShaderStage);
  for (let at = 0; at < live.length; at += K) {
    const chunk = live.slice(at, at + K);
    if (chunk.length === 1) {
      const g = chunk[0];
      adamw(ctx, g.param, g.grad, g.m, g.v, h, gradScale);
      continue;
    }
    const ends: number[] = [];
    let total = 0;
    const storages: GPUBuffer[] = [];
    for (const g of chunk) {
      total += g.param.size;
      ends.push(total);
      storages.push(ctx.buffer(g.param), ctx.buffer(g.grad), ctx.buffer(g.m), ctx.buffer(g.v));
    }
    ctx.launch({
      kernel: multiKernel(chunk.length),
      // Without a scale any read-only buffer can stand in: the kernel does not read it (hasScale = 0).
      storages: [gradScale ? ctx.buffer(gradScale) : ctx.buffer(chunk[0].grad), ...storages],
      uniforms: new Uniforms()
        .u32(total)
        .u32(gradScale ? 1 : 0)
        .f32(h.lr)
        .f32(h.beta1)
        .f32(1 - h.beta1)
        .f32(h.beta2)
        .f32(1 - h.beta2)
        .f32(h.eps)
        .f32(h.weightDecay)
        .f32(1 - Math.pow(h.beta1, h.step))
        .f32(1 - Math.pow(h.beta2, h.step))
        .u32(chunk.length)
        .u32Vec4Array(ends, 2),
      workgroups: grid1D(total, 256),
    });
  }
}
