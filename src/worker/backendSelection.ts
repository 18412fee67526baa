// The worker's backend: WebGPU when the browser offers it, otherwise the CPU backend with the reason.
// The WebGPU module is imported lazily: it reads GPUBufferUsage at load, which Node (tests) lacks.
import type { Backend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import type { AdapterDescription, BackendKind } from './protocol';

export interface SelectedBackend {
  backend: Backend;
  kind: BackendKind;
  adapter?: AdapterDescription;
  fallbackReason?: string;
  /** Resolves with a sentence when the GPU device is lost (never, for the CPU backend). */
  lost?: Promise<string>;
}

export type BackendFactory = () => Promise<SelectedBackend>;

export function cpuBackend(fallbackReason?: string): SelectedBackend {
  return { backend: new CpuBackend(), kind: 'cpu', ...(fallbackReason ? { fallbackReason } : {}) };
}

/** WebGPU if navigator.gpu exists and a device comes up; the CPU backend (and why) otherwise. */
export const selectBackend: BackendFactory = async () => {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) return cpuBackend('This browser does not expose WebGPU (navigator.gpu is missing); training runs on the CPU, much more slowly.');
  try {
    const { WebGpuBackend } = await import('../engine/backend/webgpu/webgpuBackend');
    const backend = await WebGpuBackend.create(gpu);
    return {
      backend,
      kind: 'webgpu',
      adapter: { ...backend.adapterInfo },
      lost: backend.lost.then((info) => `The GPU device was lost (${info.reason}): ${info.message || 'no details'}.`),
    };
  } catch (e) {
    return cpuBackend(`WebGPU could not start (${(e as Error).message}); training runs on the CPU, much more slowly.`);
  }
};

/** Errors that mean the device is gone (DeviceLostError from the WebGPU backend), without importing it. */
export function isDeviceLostError(e: unknown): boolean {
  return e instanceof Error && e.name === 'DeviceLostError';
}
