// The fused clipped policy-gradient loss and its gradient: one single-workgroup launch each (the
// token count and the metrics are reductions over the whole batch). See shaders/policy_loss.wgsl.
import type { PolicyLossOutputs, PolicyLossParams, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import policyLossWgsl from '../../../../../shaders/policy_loss.wgsl?raw';

const forwardKernel: KernelSpec = { name: 'policyLoss', code: policyLossWgsl, entryPoint: 'policy_loss_forward', constants: { WG: 256 } };
const backwardKernel: KernelSpec = { name: 'policyLossGrad', code: policyLossWgsl, entryPoint: 'policy_loss_backward', constants: { WG: 256 } };

function uniforms(p: PolicyLossParams, hasOld: boolean, hasPerToken: boolean, hasLoss: boolean): Uniforms {
  if (!(p.advCols === 1 || p.advCols === p.cols)) throw new Error(`policyLoss: advCols must be 1 or ${p.cols}, got ${p.advCols}`);
  return new Uniforms()
    .u32(p.rows * p.cols)
    .u32(Math.max(p.cols, 1))
    .u32(p.advCols)
    .u32(hasOld ? 1 : 0)
    .f32(p.clipLow)
    .f32(p.clipHigh)
    .f32(p.dualClip)
    .f32(p.positiveWeight)
    .f32(p.negativeWeight)
    .u32(hasPerToken ? 1 : 0)
    .u32(hasLoss ? 1 : 0);
}

export function policyLoss(ctx: GpuKernelContext, logp: Storage, oldLogp: Storage | null, adv: Storage, mask: Storage, p: PolicyLossParams): PolicyLossOutputs {
  const perToken = ctx.alloc(p.rows * p.cols, 'f32');
  const loss = ctx.alloc(1, 'f32');
  const metrics = ctx.alloc(4, 'f32');
  const logpBuf = ctx.buffer(logp);
  ctx.launch({
    kernel: forwardKernel,
    // Read-only aliases are allowed: without oldLogp the kernel reads logp in its place (ρ ≡ 1).
    storages: [logpBuf, oldLogp ? ctx.buffer(oldLogp) : logpBuf, ctx.buffer(adv), ctx.buffer(mask), perToken.buffer, loss.buffer, metrics.buffer],
    uniforms: uniforms(p, oldLogp !== null, false, false),
    workgroups: [1, 1, 1],
  });
  return { perToken, loss, metrics };
}

export function policyLossGrad(
  ctx: GpuKernelContext,
  logp: Storage,
  oldLogp: Storage | null,
  adv: Storage,
  mask: Storage,
  dPerToken: Storage | null,
  dLoss: Storage | null,
  p: PolicyLossParams,
): Storage {
  const dlogp = ctx.alloc(p.rows * p.cols, 'f32');
  const logpBuf = ctx.buffer(logp);
  const maskBuf = ctx.buffer(mask);
  ctx.launch({
    kernel: backwardKernel,
    storages: [
      logpBuf,
      oldLogp ? ctx.buffer(oldLogp) : logpBuf,
      ctx.buffer(adv),
      maskBuf,
      dPerToken ? ctx.buffer(dPerToken) : maskBuf, // unread stand-ins when absent (the flags say so)
      dLoss ? ctx.buffer(dLoss) : maskBuf,
      dlogp.buffer,
    ],
    uniforms: uniforms(p, oldLogp !== null, dPerToken !== null, dLoss !== null),
    workgroups: [1, 1, 1],
  });
  return dlogp;
}
