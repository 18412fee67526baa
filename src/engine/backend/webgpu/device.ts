// WebGPU bring-up with errors a student can act on. The training worker alone owns the device;
// everything else receives it from here.

export class WebGpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

export interface GpuContext {
  device: GPUDevice;
  adapterInfo: { vendor: string; architecture: string; description: string };
  features: string[];
  /** Resolves when the device is lost (destroyed, driver reset, tab backgrounded too long ...). */
  lost: Promise<GPUDeviceLostInfo>;
}

/** Limits we ask for: as much storage-buffer room as the adapter offers, within reason. */
function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const a = adapter.limits;
  return {
    maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
    maxBufferSize: a.maxBufferSize,
    maxComputeWorkgroupStorageSize: a.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: a.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: a.maxComputeWorkgroupSizeX,
    maxStorageBuffersPerShaderStage: a.maxStorageBuffersPerShaderStage,
  };
}

export async function createGpuContext(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<GpuContext> {
  if (!gpu) {
    throw new WebGpuUnavailableError(
      'This browser does not expose WebGPU (navigator.gpu is missing). Use a recent Chrome/Edge, or enable ' +
        'WebGPU in the browser flags; the lab falls back to the (slower) CPU backend.',
    );
  }
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    throw new WebGpuUnavailableError(`WebGPU adapter request failed: ${(e as Error).message}`);
  }
  if (!adapter) {
    throw new WebGpuUnavailableError(
      'WebGPU is present but no GPU adapter is available (blocked GPU, or no driver). The CPU backend is used.',
    );
  }
  const features: GPUFeatureName[] = [];
  for (const f of ['timestamp-query', 'subgroups', 'shader-f16'] as GPUFeatureName[]) {
    if (adapter.features.has(f)) features.push(f);
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredFeatures: features, requiredLimits: requiredLimits(adapter) });
  } catch (e) {
    throw new WebGpuUnavailableError(`Could not create a WebGPU device: ${(e as Error).message}`);
  }
  const info = adapter.info;
  return {
    device,
    adapterInfo: { vendor: info.vendor, architecture: info.architecture, description: info.description },
    features: features as string[],
    lost: device.lost,
  };
}
