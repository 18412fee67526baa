// Shows which compute backend the lab will use: the WebGPU adapter found, or why the CPU fallback.
// The data-* attributes are the contract with e2e tests (e2e/app.spec.ts).
import { adapterName, KEY_FEATURES, KEY_LIMITS, type WebGpuAdapterSummary, type WebGpuStatus } from './webgpuStatus';

export function WebGpuStatusPanel({ status }: { status: WebGpuStatus | null }) {
  if (!status) {
    return (
      <section className="panel status" data-testid="webgpu-status" data-state="detecting" aria-busy="true">
        <h2>Compute backend</h2>
        <p className="muted">Asking the browser for a WebGPU adapter…</p>
      </section>
    );
  }
  if (status.kind === 'cpu') {
    return (
      <section className="panel status status-cpu" data-testid="webgpu-status" data-state="done" data-backend="cpu">
        <h2>
          Compute backend: <span className="badge badge-warn">CPU</span>
        </h2>
        <p>
          <strong>WebGPU is unavailable.</strong> {status.reason} The lab trains on its CPU backend instead
          (WebAssembly SIMD): every experiment here runs, and for this lab's small default model it is about as fast
          as a software-emulated GPU (on the project's 2-core test machine a default step takes about 1.5 s on the CPU
          backend and 2.5 s on SwiftShader). A real GPU is faster for larger batches and models.
        </p>
        <p className="muted">
          To enable WebGPU, use a recent Chrome, Edge or Chromium (WebGPU is on by default on Windows, macOS and
          ChromeOS; on Linux start it with <code>--enable-unsafe-webgpu --enable-features=Vulkan</code>), or check{' '}
          <code>chrome://gpu</code> for a blocklisted driver. Firefox and Safari have WebGPU in their latest versions.
        </p>
      </section>
    );
  }
  return <AdapterDetails status={status} />;
}

function AdapterDetails({ status }: { status: WebGpuAdapterSummary }) {
  const name = adapterName(status);
  const otherFeatures = status.features.filter((f) => !(KEY_FEATURES as readonly string[]).includes(f));
  return (
    <section
      className="panel status status-webgpu"
      data-testid="webgpu-status"
      data-state="done"
      data-backend="webgpu"
      data-adapter={name}
      data-vendor={status.vendor}
      data-features={status.features.join(' ')}
    >
      <h2>
        Compute backend: <span className="badge badge-ok">WebGPU</span>
      </h2>
      <dl className="facts">
        <dt>Vendor</dt>
        <dd data-testid="adapter-vendor">{status.vendor || '—'}</dd>
        <dt>Architecture</dt>
        <dd data-testid="adapter-architecture">{status.architecture || '—'}</dd>
        <dt>Description</dt>
        <dd data-testid="adapter-description">{status.description || '—'}</dd>
      </dl>
      {(status.isFallbackAdapter || name === 'swiftshader') && (
        <p className="muted" data-testid="adapter-software-note">
          This is a software adapter ({name === 'swiftshader' ? "SwiftShader, Chromium's GPU emulated on the CPU" : 'a fallback adapter'}):
          every kernel runs correctly, but slowly. Expect small models only.
        </p>
      )}

      <h3>Key features</h3>
      <ul className="features" data-testid="adapter-key-features">
        {KEY_FEATURES.map((feature) => {
          const has = status.features.includes(feature);
          return (
            <li key={feature} className={has ? 'has' : 'lacks'} data-feature={feature} data-present={String(has)}>
              <span aria-hidden="true">{has ? '✓' : '✗'}</span> {feature}
            </li>
          );
        })}
      </ul>

      <h3>Key limits</h3>
      <table className="limits">
        <tbody>
          {KEY_LIMITS.map((limit) => (
            <tr key={limit}>
              <th scope="row">{limit}</th>
              <td>{formatLimit(limit, status.limits[limit])}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {otherFeatures.length > 0 && (
        <details>
          <summary>All {status.features.length} features</summary>
          <p className="feature-list">{status.features.join(', ')}</p>
        </details>
      )}
    </section>
  );
}

function formatLimit(name: string, value: number): string {
  if (!/Size$/.test(name) || name.includes('WorkgroupSizeX')) return value.toLocaleString('en-US');
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return `${Number.isInteger(scaled) ? scaled : scaled.toFixed(1)} ${units[unit]}`;
}
