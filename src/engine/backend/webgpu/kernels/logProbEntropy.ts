// The fused log-softmax + target gather + entropy kernel (the RL hot path) and its backward: a thread per
// narrow row, a workgroup per wide one, the row's statistics in a single read. See shaders/logprob.wgsl.
import type { LogProbResult, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { rowGrid, rowWorkgroupSize } from './softmax';
import logprobWgsl from '../../../../../shaders/logprob.wgsl?raw';

const forwardKernel: KernelSpec = { name: 'logProbEntropy', code: logprobWgsl, entryPoint: 'logprob_forward' };
const backwardKernel: KernelSpec = { name: 'logProbEntropyGrad', code: logprobWgsl, entryPoint: 'logprob_backward' };
const forwardRowsKernel: KernelSpec = { name: 'logProbEntropy.rows', code: logprobWgsl, entryPoint: 'logprob_forward_rows', constants: { WG: 64 } };
const backwardRowsKernel: KernelSpec = { name: 'logProbEntropyGrad.rows', code: logprobWgsl, entryPoint: 'logprob_backward_rows', constants: { WG: 64 } };

/** Vocabularies up to this size get a thread per row; larger ones a workgroup per row. */
export const LOGPROB_THREAD_PER_ROW_MAX_VOCAB = 128;

function checkArgs(what: string, targets: Storage, rows: number, vocab: number, invTemperature: number): void {
  if (targets.dtype !== 'i32') throw new Error(`${what}: targets must be i32, got ${targets.dtype}`);
  if (targets.size < rows) throw new Error(`${what}: ${rows} rows but only ${targets.size} targets`);
  if (!(Number.isFinite(invTemperature) && invTemperature > 0)) {
    throw new Error(`${what}: invTemperature must be a positive finite number, got ${invTemperature}`);
  }
  if (rows > 0 && vocab === 0) throw new Error(`${what}: vocab must be positive`);
}

/** The kernel and grid for `rows` rows of `vocab`: the thread-per-row variant or the workgroup one. */
function plan(rowsKernel: KernelSpec, wgKernel: KernelSpec, rows: number, vocab: number): { kernel: KernelSpec; workgroups: [number, number, number] } {
  if (vocab <= LOGPROB_THREAD_PER_ROW_MAX_VOCAB) return { kernel: rowsKernel, workgroups: grid1D(rows, 64) };
  return { kernel: { ...wgKernel, constants: { WG: rowWorkgroupSize(vocab) } }, workgroups: rowGrid(rows) };
}

export function logProbEntropy(ctx: GpuKernelContext, logits: Storage, targets: Storage, rows: number, vocab: number, invTemperature: number): LogProbResult {
  checkArgs('logProbEntropy', targets, rows, vocab, invTemperature);
  const logp = ctx.alloc(rows, 'f32');
  const entropy = ctx.alloc(rows, 'f32');
  if (rows > 0) {
    ctx.launch({
      ...plan(forwardRowsKernel, forwardKernel, rows, vocab),
      storages: [ctx.buffer(logits), ctx.buffer(targets), logp.buffer, entropy.buffer],
      uniforms: new Uniforms().u32(rows).u32(vocab).f32(invTemperature).u32(0),
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
      ...plan(backwardRowsKernel, backwardKernel, rows, vocab),
      // Without dentropy the shader never reads binding 3; dlogp stands in (read-only bindings may alias).
      storages: [ctx.buffer(logits), ctx.buffer(targets), dlogpBuf, dentropy ? ctx.buffer(dentropy) : dlogpBuf, dlogits.buffer],
      uniforms: new Uniforms().u32(rows).u32(vocab).f32(invTemperature).u32(dentropy ? 1 : 0),
    });
  }
  return dlogits;
}
