// The fused log-softmax + target gather + entropy kernel (the RL hot path) and its backward: one
// workgroup per row, the row's statistics in a single read. See shaders/logprob.wgsl.
import type { LogProbResult, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import type { KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { rowGrid, rowWorkgroupSize } from './softmax';
import logprobWgsl from '../../../../../shaders/logprob.wgsl?raw';

const forwardKernel: KernelSpec = { name: 'logProbEntropy', code: logprobWgsl, entryPoint: 'logprob_forward' };
const backwardKernel: KernelSpec = { name: 'logProbEntropyGrad', code: logprobWgsl, entryPoint: 'logprob_backward' };

function checkArgs(what: string, targets: Storage, rows: number, vocab: number, invTemperature: number): void {
  if (targets.dtype !== 'i32') throw new Error(`${what}: targets must be i32, got ${targets.dtype}`);
  if (targets.size < rows) throw new Error(`${what}: ${rows} rows but only ${targets.size} targets`);
  if (!(Number.isFinite(invTemperature) && invTemperature > 0)) {
    throw new Error(`${what}: invTemperature must be a positive finite number, got ${invTemperature}`);
  }
  if (rows > 0 && vocab === 0) throw new Error(`${what}: vocab must be positive`);
}

export function logProbEntropy(ctx: GpuKernelContext, logits: Storage, targets: Storage, rows: number, vocab: number, invTemperature: number): LogProbResult {
  checkArgs('logProbEntropy', targets, rows, vocab, invTemperature);
  const logp = ctx.alloc(rows, 'f32');
  const entropy = ctx.alloc(rows, 'f32');
  if (rows > 0) {
    ctx.launch({
      kernel: { ...forwardKernel, constants: { WG: rowWorkgroupSize(vocab) } },
      storages: [ctx.buffer(logits), ctx.buffer(targets), logp.buffer, entropy.buffer],
      uniforms: new Uniforms().u32(rows).u32(vocab).f32(invTemperature).u32(0),
      workgroups: rowGrid(rows),
    });
  }
  return { logp, entropy };
}

export function logProbEntropyGrad(
  ctx: GpuKernelContext,
  logits: Storage,
  targets: Storage,
  dlogp: Storage,
  dentropy: Storage | null,
  rows: number,
  vocab: number,
  invTemperature: number,
): GpuStorage {
  checkArgs('logProbEntropyGrad', targets, rows, vocab, invTemperature);
  const dlogits = ctx.alloc(rows * vocab, 'f32');
  if (rows > 0) {
    const dlogpBuf = ctx.buffer(dlogp);
    ctx.launch({
      kernel: { ...backwardKernel, constants: { WG: rowWorkgroupSize(vocab) } },
      // Without dentropy the shader never reads binding 3; dlogp stands in (read-only bindings may alias).
      storages: [ctx.buffer(logits), ctx.buffer(targets), dlogpBuf, dentropy ? ctx.buffer(dentropy) : dlogpBuf, dlogits.buffer],
      uniforms: new Uniforms().u32(rows).u32(vocab).f32(invTemperature).u32(dentropy ? 1 : 0),
      workgroups: rowGrid(rows),
    });
  }
  return dlogits;
}
