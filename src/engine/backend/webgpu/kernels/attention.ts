// Fused causal multi-head attention over a packed qkv: one launch forward, two backward, a thread per
// (batch, head, position), heads read by strides (vec4 kernels where headDim is a multiple of 4, with
// the row in four named registers where it is at most 16); and the column packing of Wq | Wk | Wv that lets one
// matmul project q, k and v together; and the op-by-op decode step's attention over the KV cache.
// See shaders/attention.wgsl and shaders/decode_attention.wgsl.
import type { AttentionOutputs, AttentionShape, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import attentionWgsl from '../../../../../shaders/attention.wgsl?raw';
import attentionR4Wgsl from '../../../../../shaders/attention_r4.wgsl?raw';
import decodeAttentionWgsl from '../../../../../shaders/decode_attention.wgsl?raw';

const WG = 64;
const forwardKernel: KernelSpec = { name: 'attention', code: attentionWgsl, entryPoint: 'attention_forward', constants: { WG } };
const backwardQKernel: KernelSpec = { name: 'attentionGrad.q', code: attentionWgsl, entryPoint: 'attention_backward_q', constants: { WG } };
const backwardKvKernel: KernelSpec = { name: 'attentionGrad.kv', code: attentionWgsl, entryPoint: 'attention_backward_kv', constants: { WG } };
// The vec4 twins (registers for the thread's row, 4 floats a load): where headDim allows them.
/** The vec4 kernels' register rows hold MAX_D4 vec4s (shaders/attention.wgsl). */
const VEC4_MAX_HEAD_DIM = 64;
/** attention_r4.wgsl holds a row in four vec4 registers. */
const R4_MAX_HEAD_DIM = 16;
type Variant = 'scalar' | 'vec4' | 'r4';
export function attentionVariant(headDim: number): Variant {
  if (headDim % 4 !== 0 || headDim > VEC4_MAX_HEAD_DIM) return 'scalar';
  return headDim <= R4_MAX_HEAD_DIM ? 'r4' : 'vec4';
}

/** [forward, backward q, backward kv] for one headDim (a pipeline per headDim: HD4 fixes the row's length). */
const kernelsByHeadDim = new Map<number, [KernelSpec, KernelSpec, KernelSpec]>();
function kernelsFor(headDim: number): [KernelSpec, KernelSpec, KernelSpec] {
  const variant = attentionVariant(headDim);
  if (variant === 'scalar') return [forwardKernel, backwardQKernel, backwardKvKernel];
  let specs = kernelsByHeadDim.get(headDim);
  if (!specs) {
    const constants = { WG, HD4: headDim / 4 };
    const code = variant === 'r4' ? attentionR4Wgsl : attentionWgsl;
    specs = [
      { name: `attention.${variant}`, code, entryPoint: `attention_forward_${variant}`, constants },
      { name: `attentionGrad.q.${variant}`, code, entryPoint: `attention_backward_q_${variant}`, constants },
      { name: `attentionGrad.kv.${variant}`, code, entryPoint: `attention_backward_kv_${variant}`, constants },
    ];
    kernelsByHeadDim.set(headDim, specs);
  }
  return specs;
}

const packKernel: KernelSpec = { name: 'packColumns', code: attentionWgsl, entryPoint: 'pack_columns', constants: { WG: 256 } };
const unpackKernel: KernelSpec = { name: 'unpackColumns', code: attentionWgsl, entryPoint: 'unpack_columns', constants: { WG: 256 } };

/** The most matrices packColumns takes (its kernel's input bindings). */
export const PACK_MAX = 4;

function uniforms(s: AttentionShape, hasMask: boolean): Uniforms {
  return new Uniforms().u32(s.batch).u32(s.seq).u32(s.heads).u32(s.headDim).f32(s.scale).u32(hasMask ? 1 : 0);
}

const threads = (s: AttentionShape) => s.batch * s.heads * s.seq;

export function attention(ctx: GpuKernelContext, qkv: Storage, keyMask: Storage | null, s: AttentionShape): AttentionOutputs {
  const out = ctx.alloc(s.batch * s.seq * s.heads * s.headDim, 'f32');
  const probs = ctx.alloc(s.batch * s.heads * s.seq * s.seq, 'f32');
  if (threads(s) > 0) {
    const qkvBuf = ctx.buffer(qkv);
    ctx.launch({
      kernel: kernelsFor(s.headDim)[0],
      storages: [qkvBuf, keyMask ? ctx.buffer(keyMask) : qkvBuf, out.buffer, probs.buffer],
      uniforms: uniforms(s, keyMask !== null),
      workgroups: grid1D(threads(s), WG),
    });
  }
  return { ctx: out, probs };
}

export function attentionGrad(ctx: GpuKernelContext, qkv: Storage, probs: Storage, dctx: Storage, s: AttentionShape): Storage {
  const dqkv = ctx.alloc(s.batch * s.seq * 3 * s.heads * s.headDim, 'f32');
  if (threads(s) === 0) return dqkv;
  const dscores = ctx.alloc(s.batch * s.heads * s.seq * s.seq, 'f32');
  const storages = [ctx.buffer(qkv), ctx.buffer(probs), ctx.buffer(dctx), dscores.buffer, dqkv.buffer];
  for (const kernel of kernelsFor(s.headDim).slice(1)) {
    ctx.launch({ kernel, storages, uniforms: uniforms(s, false), workgroups: grid1D(threads(s), WG) });
  }
  ctx.free(dscores); // safe after recording: the pool reuses it only after the submit
  return dqkv;
}

function checkPack(what: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 1 && n <= PACK_MAX)) throw new Error(`${what}: packs 1 to ${PACK_MAX} matrices, got ${n}`);
}

export function packColumns(ctx: GpuKernelContext, list: Storage[], rows: number, cols: number): Storage {
  checkPack('packColumns', list.length);
  const out = ctx.alloc(rows * cols * list.length, 'f32');
  const inputs = list.map((x) => ctx.buffer(x));
  while (inputs.length < PACK_MAX) inputs.push(inputs[0]); // read-only aliases, never read
  if (rows * cols > 0) {
    ctx.launch({ kernel: packKernel, storages: [...inputs, out.buffer], uniforms: new Uniforms().u32(rows).u32(cols).u32(list.length), workgroups: grid1D(rows * cols, 256) });
  }
  return out;
}

export function unpackColumns(ctx: GpuKernelContext, x: Storage, rows: number, cols: number, n: number): Storage[] {
  checkPack('unpackColumns', n);
  const outs: GpuStorage[] = Array.from({ length: n }, () => ctx.alloc(rows * cols, 'f32'));
  const unused = Array.from({ length: PACK_MAX - n }, () => ctx.alloc(1, 'f32')); // writable bindings may not alias
  if (rows * cols > 0) {
    ctx.launch({
      kernel: unpackKernel,
      storages: [ctx.buffer(x), ...[...outs, ...unused].map((s) => s.buffer)],
      uniforms: new Uniforms().u32(rows).u32(cols).u32(n),
      workgroups: grid1D(rows * cols, 256),
    });
  }
  for (const s of unused) ctx.free(s);
  return outs;
}

const decodeKernel: KernelSpec = { name: 'decodeAttention', code: decodeAttentionWgsl, constants: { WG } };

export function decodeAttention(ctx: GpuKernelContext, qkv: Storage, keys: Storage, values: Storage, keyMask: Storage, rows: number, heads: number, headDim: number, cacheLen: number, column: number): Storage {
  if (!(Number.isInteger(column) && column >= 0 && column < cacheLen)) throw new Error(`decodeAttention: column ${column} is outside the cache (${cacheLen})`);
  const out = ctx.alloc(rows * heads * headDim, 'f32');
  if (rows * heads === 0) return out;
  const scores = ctx.alloc(rows * heads * cacheLen, 'f32');
  ctx.launch({
    kernel: decodeKernel,
    storages: [ctx.buffer(qkv), ctx.buffer(keyMask), ctx.buffer(keys), ctx.buffer(values), scores.buffer, out.buffer],
    uniforms: new Uniforms().u32(rows).u32(heads).u32(headDim).u32(cacheLen).u32(column),
    workgroups: grid1D(rows * heads, WG),
  });
  ctx.free(scores);
  return out;
}
