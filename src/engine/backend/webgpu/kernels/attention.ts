// Fused causal multi-head attention: one launch forward, two backward, a thread per (batch, head,
// position), heads read by strides from the projections' layout. See shaders/attention.wgsl.
import type { AttentionGrads, AttentionOutputs, AttentionShape, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import attentionWgsl from '../../../../../shaders/attention.wgsl?raw';

const WG = 64;
const forwardKernel: KernelSpec = { name: 'attention', code: attentionWgsl, entryPoint: 'attention_forward', constants: { WG } };
const backwardQKernel: KernelSpec = { name: 'attentionGrad.q', code: attentionWgsl, entryPoint: 'attention_backward_q', constants: { WG } };
const backwardKvKernel: KernelSpec = { name: 'attentionGrad.kv', code: attentionWgsl, entryPoint: 'attention_backward_kv', constants: { WG } };

function uniforms(s: AttentionShape, hasMask: boolean): Uniforms {
  return new Uniforms().u32(s.batch).u32(s.seq).u32(s.heads).u32(s.headDim).f32(s.scale).u32(hasMask ? 1 : 0);
}

const threads = (s: AttentionShape) => s.batch * s.heads * s.seq;

export function attention(ctx: GpuKernelContext, q: Storage, k: Storage, v: Storage, keyMask: Storage | null, s: AttentionShape): AttentionOutputs {
  const out = ctx.alloc(s.batch * s.seq * s.heads * s.headDim, 'f32');
  const probs = ctx.alloc(s.batch * s.heads * s.seq * s.seq, 'f32');
  if (threads(s) > 0) {
    const qBuf = ctx.buffer(q);
    ctx.launch({
      kernel: forwardKernel,
      storages: [qBuf, ctx.buffer(k), ctx.buffer(v), keyMask ? ctx.buffer(keyMask) : qBuf, out.buffer, probs.buffer],
      uniforms: uniforms(s, keyMask !== null),
      workgroups: grid1D(threads(s), WG),
    });
  }
  return { ctx: out, probs };
}

export function attentionGrad(ctx: GpuKernelContext, q: Storage, k: Storage, v: Storage, probs: Storage, dctx: Storage, s: AttentionShape): AttentionGrads {
  const size = s.batch * s.seq * s.heads * s.headDim;
  const dq = ctx.alloc(size, 'f32');
  const dk = ctx.alloc(size, 'f32');
  const dv = ctx.alloc(size, 'f32');
  if (threads(s) === 0) return { dq, dk, dv };
  const dscores = ctx.alloc(s.batch * s.heads * s.seq * s.seq, 'f32');
  const [probsBuf, dctxBuf] = [ctx.buffer(probs), ctx.buffer(dctx)];
  ctx.launch({
    kernel: backwardQKernel,
    storages: [ctx.buffer(k), ctx.buffer(v), probsBuf, dctxBuf, dscores.buffer, dq.buffer],
    uniforms: uniforms(s, false),
    workgroups: grid1D(threads(s), WG),
  });
  ctx.launch({
    kernel: backwardKvKernel,
    storages: [ctx.buffer(q), probsBuf, dctxBuf, dscores.buffer, dk.buffer, dv.buffer],
    uniforms: uniforms(s, false),
    workgroups: grid1D(threads(s), WG),
  });
  ctx.free(dscores); // safe after recording: the pool reuses it only after the submit
  return { dq, dk, dv };
}
