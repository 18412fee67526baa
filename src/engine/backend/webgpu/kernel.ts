// A kernel is a small descriptor (name, WGSL, entry point, override constants) plus, per launch,
// its storage bindings, uniforms and dispatch shape — the tfjs-backend-webgpu model. Pipelines are
// cached by (name, entry point, constants), see pipelineKey; bindings are @group(0) @binding(0..n-1) for the storages
// in order, then @binding(n) for the uniform block when there is one.
import type { Uniforms } from './uniforms';

export interface KernelSpec {
  /** Stable name, used in counters and profiles. */
  name: string;
  code: string;
  entryPoint?: string;
  /** WGSL `override` constants (e.g. workgroup size, tile size). */
  constants?: Record<string, number>;
}

export interface Launch {
  kernel: KernelSpec;
  storages: GPUBuffer[];
  uniforms?: Uniforms;
  workgroups: [number, number, number];
}

/** The largest workgroup count per dispatch dimension WebGPU guarantees. */
export const MAX_WORKGROUPS_PER_DIM = 65535;

/**
 * Workgroups for `invocations` threads of `workgroupSize` threads each, spread over x and y so no
 * dimension exceeds the limit. A shader recovers its linear index with
 * `let i = (wid.y * nwg.x + wid.x) * WG + lid.x;` and must bounds-check against the element count.
 */
export function grid1D(invocations: number, workgroupSize: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(invocations / workgroupSize));
  if (groups <= MAX_WORKGROUPS_PER_DIM) return [groups, 1, 1];
  const y = Math.ceil(groups / MAX_WORKGROUPS_PER_DIM);
  return [Math.ceil(groups / y), y, 1];
}

/**
 * The cache key of a pipeline: kernel name, entry point and override constants — short, and built in
 * O(number of constants) per dispatch. The WGSL source is not part of it (hashing a few kilobytes of
 * source on every dispatch was the old cost); instead each key remembers the source it was compiled
 * from, and a kernel name reused with different WGSL is an error rather than a silent wrong pipeline.
 */
export function pipelineKey(spec: KernelSpec): string {
  let key = `${spec.name}|${spec.entryPoint ?? 'main'}`;
  const constants = spec.constants;
  if (constants) {
    const names = Object.keys(constants);
    if (names.length > 1) names.sort();
    for (const name of names) key += `|${name}=${constants[name]}`;
  }
  return key;
}

interface CachedPipeline {
  pipeline: GPUComputePipeline;
  code: string;
}

/** The device calls the cache makes: a narrow slice of GPUDevice, so that tests can count them. */
export type PipelineDevice = Pick<GPUDevice, 'createShaderModule' | 'createComputePipeline'>;

export class PipelineCache {
  private pipelines = new Map<string, CachedPipeline>();
  private modules = new Map<string, GPUShaderModule>();
  compiled = 0;

  constructor(private device: PipelineDevice) {}

  get(spec: KernelSpec): GPUComputePipeline {
    const key = pipelineKey(spec);
    const cached = this.pipelines.get(key);
    if (cached) {
      // Kernels import their WGSL once (?raw), so this is the same string object: a pointer compare.
      if (cached.code !== spec.code) {
        throw new Error(`Kernel "${spec.name}" (entry point ${spec.entryPoint ?? 'main'}) was launched with two different WGSL sources; give each source its own kernel name.`);
      }
      return cached.pipeline;
    }
    // Modules are shared by the pipelines of one source (a file's entry points and constants); this
    // lookup hashes the source, but only when a new pipeline is compiled.
    let module = this.modules.get(spec.code);
    if (!module) {
      module = this.device.createShaderModule({ label: spec.name, code: spec.code });
      this.modules.set(spec.code, module);
    }
    const pipeline = this.device.createComputePipeline({
      label: spec.name,
      layout: 'auto',
      compute: { module, entryPoint: spec.entryPoint ?? 'main', constants: spec.constants },
    });
    this.pipelines.set(key, { pipeline, code: spec.code });
    this.compiled++;
    return pipeline;
  }
}
