// A kernel is a small descriptor (name, WGSL, entry point, override constants) plus, per launch,
// its storage bindings, uniforms and dispatch shape — the tfjs-backend-webgpu model. Pipelines are
// cached by (code, entry point, constants); bindings are @group(0) @binding(0..n-1) for the storages
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

export class PipelineCache {
  private pipelines = new Map<string, GPUComputePipeline>();
  private modules = new Map<string, GPUShaderModule>();
  compiled = 0;

  constructor(private device: GPUDevice) {}

  get(spec: KernelSpec): GPUComputePipeline {
    const entryPoint = spec.entryPoint ?? 'main';
    const constantsKey = spec.constants ? JSON.stringify(Object.entries(spec.constants).sort()) : '';
    const key = `${spec.name}|${entryPoint}|${constantsKey}|${spec.code}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      let module = this.modules.get(spec.code);
      if (!module) {
        module = this.device.createShaderModule({ label: spec.name, code: spec.code });
        this.modules.set(spec.code, module);
      }
      pipeline = this.device.createComputePipeline({
        label: spec.name,
        layout: 'auto',
        compute: { module, entryPoint, constants: spec.constants },
      });
      this.pipelines.set(key, pipeline);
      this.compiled++;
    }
    return pipeline;
  }
}
