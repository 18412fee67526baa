// Token sampling for generation: one workgroup per row, see shaders/sample.wgsl. The argument checks
// are the CPU oracle's, so both backends reject the same misuse.
import type { SampleParams, Storage } from '../../../backend';
import { checkSampleParams } from '../../sampling';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import type { KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import { rowGrid, rowWorkgroupSize } from './softmax';
import sampleWgsl from '../../../../../shaders/sample.wgsl?raw';

const sampleKernel: KernelSpec = { name: 'sampleTokens', code: sampleWgsl };

export function sampleTokens(ctx: GpuKernelContext, logits: Storage, finished: Storage, p: SampleParams): GpuStorage {
  checkSampleParams(p);
  if (logits.dtype !== 'f32' || logits.size < p.rows * p.vocab) {
    throw new Error(`sampleTokens: logits must be f32 with ${p.rows * p.vocab} elements, got ${logits.dtype}[${logits.size}]`);
  }
  if (finished.dtype !== 'i32' || finished.size < p.rows) {
    throw new Error(`sampleTokens: finished must be i32 with ${p.rows} elements, got ${finished.dtype}[${finished.size}]`);
  }
  const out = ctx.alloc(p.rows, 'i32');
  if (p.rows > 0) {
    ctx.launch({
      kernel: { ...sampleKernel, constants: { WG: rowWorkgroupSize(p.vocab) } },
      storages: [ctx.buffer(logits), ctx.buffer(finished), out.buffer],
      uniforms: new Uniforms()
        .u32(p.rows)
        .u32(p.vocab)
        .f32(p.greedy ? 1 : p.invTemperature)
        .u32(p.greedy ? 1 : 0)
        .u32(p.topK)
        .f32(p.topP)
        .u32(p.seed)
        .u32(p.step)
        .i32(p.eosId)
        .i32(p.padId),
      workgroups: rowGrid(p.rows),
    });
  }
  return out;
}
