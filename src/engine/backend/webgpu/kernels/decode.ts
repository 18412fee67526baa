// The fused KV-cache decode step: one dispatch per block (shaders/decode_layer_vec4.wgsl where the
// model's widths are multiples of 4, else shaders/decode_layer.wgsl; a workgroup per four generation
// rows) and one for the head and the sampler (shaders/decode_head.wgsl, a workgroup per row). The widths
// are pipeline constants (they size the workgroup arrays), so one pipeline serves every rollout of a
// model; whether they fit the device's workgroup memory is canFuseDecode's question.
import type { DecodeGeometry, DecodeHeadOutputs, DecodeHeadParams, DecodeShape, Storage } from '../../../backend';
import { checkDecodeHead, checkDecodeLayer } from '../../decode';
import type { GpuKernelContext } from '../context';
import { grid1D, type KernelSpec } from '../kernel';
import { Uniforms } from '../uniforms';
import decodeLayerWgsl from '../../../../../shaders/decode_layer.wgsl?raw';
import decodeLayerVec4Wgsl from '../../../../../shaders/decode_layer_vec4.wgsl?raw';
import decodeHeadWgsl from '../../../../../shaders/decode_head.wgsl?raw';

/** Whether decode_layer_vec4.wgsl serves this model: every width it reads as vec4s is a multiple of 4
 *  (else decode_layer.wgsl, one scalar output per thread, does). */
export function decodeLayerIsVec4(s: { dModel: number; nHeads: number; hidden: number }): boolean {
  return s.dModel % 4 === 0 && s.hidden % 4 === 0 && (s.dModel / s.nHeads) % 4 === 0;
}

/** Column blocks of 4 per thread pass in decode_layer_vec4.wgsl: the most (4, 2 or 1) that divides both
 *  D / 4 and F / 4 (a pass's blocks must lie in one of q, k, v). */
export function decodeColumnBlocks(dModel: number, hidden: number): 1 | 2 | 4 {
  for (const cb of [4, 2] as const) if ((dModel / 4) % cb === 0 && (hidden / 4) % cb === 0) return cb;
  return 1;
}

/** Bytes of workgroup memory each kernel declares with `threads` per workgroup (see the shaders'
 *  var<workgroup> lists). */
export function decodeWorkgroupBytes(s: DecodeShape, threads: number): { layer: number; head: number } {
  // Four rows per workgroup: xs, hs (4D each), qkv (12D), ctxs (4D), hid (4F), att (4·H·CTX) floats,
  // and in the vec4 kernel a vec4 of partial sums per thread.
  const partials = decodeLayerIsVec4(s) ? 4 * threads : 0;
  const layer = 4 * (24 * s.dModel + 4 * s.hidden + 4 * s.nHeads * s.maxCacheLen + partials);
  const head = 4 * (s.dModel + 4 * s.vocab + 1);
  return { layer, head };
}

export function canFuseDecode(device: GPUDevice, s: DecodeShape, threads: number): boolean {
  if (s.dModel % s.nHeads !== 0) return false;
  const bytes = decodeWorkgroupBytes(s, threads);
  const limit = device.limits.maxComputeWorkgroupStorageSize;
  return bytes.layer <= limit && bytes.head <= limit && device.limits.maxStorageBuffersPerShaderStage >= 7;
}

function layerKernel(g: DecodeGeometry, threads: number): KernelSpec {
  const D = g.dModel;
  if (decodeLayerIsVec4(g)) {
    return {
      name: 'decodeLayer.vec4',
      code: decodeLayerVec4Wgsl,
      entryPoint: 'decode_layer',
      constants: {
        WG: threads,
        D,
        H: g.nHeads,
        F: g.hidden,
        CTX: g.maxCacheLen,
        D4: D / 4,
        D3: (3 * D) / 4,
        QKV4: 3 * D,
        ATT: 4 * g.nHeads * g.maxCacheLen,
        DX4: 4 * D,
        CB: decodeColumnBlocks(D, g.hidden),
      },
    };
  }
  return {
    name: 'decodeLayer',
    code: decodeLayerWgsl,
    entryPoint: 'decode_layer',
    constants: { WG: threads, D, H: g.nHeads, F: g.hidden, CTX: g.maxCacheLen, D3: 3 * D, D4: 4 * D, HCTX4: 4 * g.nHeads * g.maxCacheLen },
  };
}

/** `threads`: per workgroup of four rows (WebGpuBackend.decodeThreads). */
export function decodeLayer(
  ctx: GpuKernelContext,
  x: Storage,
  weights: Storage,
  keys: Storage,
  values: Storage,
  rowStart: Storage,
  g: DecodeGeometry,
  threads: number,
): void {
  checkDecodeLayer(x, weights, keys, values, rowStart, g);
  ctx.launch({
    kernel: layerKernel(g, threads),
    storages: [ctx.buffer(x), ctx.buffer(weights), ctx.buffer(keys), ctx.buffer(values), ctx.buffer(rowStart)],
    uniforms: new Uniforms().u32(g.rows).u32(g.cacheLen).u32(g.column).f32(g.eps).f32(1 / Math.sqrt(g.dModel / g.nHeads)),
    workgroups: grid1D(Math.ceil(g.rows / 4), 1), // four rows per workgroup
  });
}

export function decodeHead(
  ctx: GpuKernelContext,
  x: Storage,
  headWeights: Storage,
  finished: Storage,
  rowStart: Storage,
  out: DecodeHeadOutputs,
  p: DecodeHeadParams,
  threads: number,
): void {
  checkDecodeHead(x, headWeights, finished, rowStart, out, p);
  const s = p.sample;
  // Unkept logits still need a binding: a one-element scratch the kernel never writes.
  const scratch = out.logits ? null : ctx.alloc(1, 'f32');
  ctx.launch({
    kernel: {
      // vec4 loads where the width allows (the packed head weights' offsets are then multiples of 4 too)
      name: p.dModel % 4 === 0 ? 'decodeHead.vec4' : 'decodeHead',
      code: decodeHeadWgsl,
      entryPoint: p.dModel % 4 === 0 ? 'decode_head_vec4' : 'decode_head',
      constants: p.dModel % 4 === 0 ? { WG: threads, D: p.dModel, V: p.vocab, D4: p.dModel / 4 } : { WG: threads, D: p.dModel, V: p.vocab },
    },
    storages: [
      ctx.buffer(x),
      ctx.buffer(headWeights),
      ctx.buffer(finished),
      ctx.buffer(rowStart),
      ctx.buffer(out.tokens),
      ctx.buffer(out.scores),
      ctx.buffer(out.logits ?? scratch!),
    ],
    uniforms: new Uniforms()
      .u32(p.rows)
      .u32(p.vocab)
      .f32(s.greedy ? 1 : s.invTemperature)
      .u32(s.greedy ? 1 : 0)
      .u32(s.topK)
      .f32(s.topP)
      .u32(s.seed)
      .u32(s.step)
      .i32(s.eosId)
      .i32(s.padId)
      .u32(p.steps)
      .i32(p.embedColumn)
      .f32(p.scoreInvTemperature)
      .f32(p.eps)
      .u32(out.logits ? 1 : 0)
      .u32(p.positions)
      .u32(p.step),
    workgroups: grid1D(p.rows, 1),
  });
  // Safe right after recording: the pool hands a freed buffer out again only after the next submit.
  if (scratch) ctx.free(scratch);
}
