// GRPO-family advantages on the GPU (docs/rl-reference.md, "Advantages"): one workgroup per group; for
// 'batch' a one-workgroup pre-pass first writes the batch std into a 1-element scratch storage, so the
// whole estimate stays on the device (two launches, no readback).
import type { AdvantageScale, Storage } from '../../../backend';
import type { GpuKernelContext } from '../context';
import type { GpuStorage } from '../gpuStorage';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import advantageWgsl from '../../../../../shaders/advantage.wgsl?raw';

const MODE: Record<AdvantageScale, number> = { group: 0, batch: 1, none: 2 };

/** Threads per group's workgroup: groups are small (G = 4..64), so a small power of two. */
function groupWorkgroupSize(groupSize: number): number {
  let wg = 32;
  while (wg < groupSize && wg < 256) wg *= 2;
  return wg;
}

export function groupAdvantages(
  ctx: GpuKernelContext,
  rewards: Storage,
  numGroups: number,
  groupSize: number,
  scale: AdvantageScale,
  eps: number,
): GpuStorage {
  if (!(scale in MODE)) throw new Error(`groupAdvantages: unknown scale ${String(scale)}`);
  if (!Number.isInteger(numGroups) || numGroups < 0 || !Number.isInteger(groupSize) || groupSize < 0) {
    throw new Error(`groupAdvantages: bad shape ${numGroups} groups x ${groupSize}`);
  }
  const total = numGroups * groupSize;
  if (rewards.dtype !== 'f32' || rewards.size < total) {
    throw new Error(`groupAdvantages: rewards must be f32 with at least ${total} elements (got ${rewards.dtype}[${rewards.size}])`);
  }
  const out = ctx.alloc(total, 'f32');
  if (total === 0) return out;

  const rewardsBuf = ctx.buffer(rewards);
  const stats = ctx.alloc(1, 'f32'); // written by batch_std; unread (but bound) for 'group' and 'none'
  const uniforms = new Uniforms().u32(numGroups).u32(groupSize).u32(MODE[scale]).f32(eps);
  const storages = [rewardsBuf, stats.buffer, out.buffer];
  if (scale === 'batch') {
    ctx.launch({
      kernel: { name: 'advantageBatchStd', code: advantageWgsl, entryPoint: 'batch_std', constants: { WG: 256 } },
      storages,
      uniforms,
      workgroups: [1, 1, 1],
    });
  }
  const kernel: KernelSpec = {
    name: 'groupAdvantages',
    code: advantageWgsl,
    entryPoint: 'main',
    constants: { WG: groupWorkgroupSize(groupSize) },
  };
  ctx.launch({ kernel, storages, uniforms, workgroups: grid1D(numGroups, 1) });
  ctx.free(stats);
  return out;
}
