import { useEffect, useState } from 'react';
import { probeWebGpu, type WebGpuStatus } from './webgpuStatus';

/** Runs the WebGPU probe once on mount; `null` while it is still asking the browser. */
export function useWebGpuStatus(): WebGpuStatus | null {
  const [status, setStatus] = useState<WebGpuStatus | null>(null);
  useEffect(() => {
    let cancelled = false; // StrictMode mounts twice in development; keep only the live result
    void probeWebGpu().then((result) => {
      if (!cancelled) setStatus(result);
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return status;
}
