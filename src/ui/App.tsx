// The application shell. For now it reports the compute backend; the experiment panels
// (config, live plots, reward editor, sample inspector) arrive in later changes.
import { useWebGpuStatus } from './useWebGpuStatus';
import { WebGpuStatusPanel } from './WebGpuStatusPanel';

const plannedPanels: { title: string; what: string }[] = [
  { title: 'Experiment', what: 'Task, model size, algorithm, curriculum and reward — one config, mirrored into the URL.' },
  { title: 'Live metrics', what: 'Reward, pass@k, entropy and KL per step, with smoothing and run overlays.' },
  { title: 'Reward editor', what: 'Write your own verifier in JavaScript; it runs sandboxed in a worker.' },
  { title: 'Samples', what: 'The prompts, completions and rewards of the latest step.' },
];

export function App() {
  const status = useWebGpuStatus();
  return (
    <div className="app">
      <header className="app-header">
        <h1>RLVR Lab</h1>
        <p className="tagline">
          A tiny GPT, trained in this tab on your GPU by reinforcement learning from verifiable rewards.
        </p>
      </header>
      <main className="app-main">
        <WebGpuStatusPanel status={status} />
        <section className="panel planned" aria-labelledby="planned-heading">
          <h2 id="planned-heading">Coming next</h2>
          <p className="muted">These panels are not built yet. This page currently only checks your compute backend.</p>
          <ul className="planned-list">
            {plannedPanels.map((panel) => (
              <li key={panel.title}>
                <strong>{panel.title}</strong> — {panel.what}
              </li>
            ))}
          </ul>
        </section>
      </main>
      <footer className="app-footer muted">
        Everything runs in your browser; no server does any work.
      </footer>
    </div>
  );
}
