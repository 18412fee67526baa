// A small, UI-only probe of WebGPU: which adapter the browser offers and what it can do.
// It only asks navigator.gpu for an adapter (no device, no buffers), so it is cheap and safe to run on
// the main thread. The training worker does its own device bring-up; this is what the page shows.

/** Features that change how the lab's kernels can run; shown first, whether present or not. */
export const KEY_FEATURES = ['shader-f16', 'subgroups', 'timestamp-query'] as const;

/** Limits that bound kernel design (tile sizes, bindings per kernel, largest tensor). */
export const KEY_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBuffersPerShaderStage',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
] as const;

export type KeyLimit = (typeof KEY_LIMITS)[number];

export interface WebGpuAdapterSummary {
  kind: 'webgpu';
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** All features the adapter reports, sorted. */
  features: string[];
  limits: Record<KeyLimit, number>;
}

export interface WebGpuUnavailable {
  kind: 'cpu';
  /** Why WebGPU cannot be used, in words for the page. */
  reason: string;
}

export type WebGpuStatus = WebGpuAdapterSummary | WebGpuUnavailable;

/** Asks the browser for a WebGPU adapter and summarises it; never throws. */
export async function probeWebGpu(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<WebGpuStatus> {
  if (!gpu) {
    const insecure = typeof window !== 'undefined' && !window.isSecureContext;
    return {
      kind: 'cpu',
      reason: insecure
        ? 'This page is not a secure context (WebGPU needs https:// or http://localhost).'
        : 'This browser does not expose navigator.gpu.',
    };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { kind: 'cpu', reason: `requestAdapter() failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!adapter) return { kind: 'cpu', reason: 'navigator.gpu exists, but requestAdapter() returned no adapter.' };

  const info = adapter.info;
  const limits = {} as Record<KeyLimit, number>;
  for (const name of KEY_LIMITS) limits[name] = adapter.limits[name];
  return {
    kind: 'webgpu',
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter ?? false,
    features: [...adapter.features].sort(),
    limits,
  };
}

/** A short, stable name for the adapter, e.g. "swiftshader" or "nvidia". */
export function adapterName(status: WebGpuAdapterSummary): string {
  return status.architecture || status.vendor || status.description || 'unknown';
}
