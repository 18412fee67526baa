// The compute backend in the top bar: a chip with the adapter's name (or "CPU"), opening to the full
// WebGpuStatusPanel (the probe's details; data-testid="webgpu-status" with its data-* contract). Once
// the training worker is up, its own `ready` (the device that will train) is shown too.
import { useSessionStore } from '../state/sessionStore';
import { useWebGpuStatus } from './useWebGpuStatus';
import { adapterName } from './webgpuStatus';
import { WebGpuStatusPanel } from './WebGpuStatusPanel';

export function BackendStatus() {
  const probe = useWebGpuStatus();
  const workerBackend = useSessionStore((s) => s.backend);
  const workerAdapter = useSessionStore((s) => s.adapter);
  const fallbackReason = useSessionStore((s) => s.fallbackReason);
  const cpu = probe?.kind === 'cpu' || workerBackend === 'cpu';
  const label = !probe ? 'detecting…' : probe.kind === 'cpu' ? 'CPU fallback' : `WebGPU · ${adapterName(probe)}`;
  return (
    // Closed until asked: the chip already says CPU, and an open popover would cover the charts.
    <details className={`backend${cpu ? ' backend-cpu' : ''}`}>
      <summary data-testid="backend-chip" data-worker-backend={workerBackend ?? 'starting'} title="Compute backend: click for details">
        <span className={`badge ${cpu ? 'badge-warn' : probe ? 'badge-ok' : ''}`}>{cpu ? 'CPU' : 'GPU'}</span> {label}
      </summary>
      <div className="backend-popover">
        <WebGpuStatusPanel status={probe} />
        <p className="muted small" data-testid="worker-backend">
          Training worker:{' '}
          {workerBackend === null
            ? 'starting…'
            : workerBackend === 'webgpu'
              ? `WebGPU${workerAdapter ? ` (${[workerAdapter.vendor, workerAdapter.architecture || workerAdapter.description].filter(Boolean).join(' ')})` : ''}`
              : `CPU backend${fallbackReason ? `: ${fallbackReason}` : ''}`}
        </p>
      </div>
    </details>
  );
}
