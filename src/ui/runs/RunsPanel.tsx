// The runs of this tab (and those restored from IndexedDB): colour, label, status, steps, show/hide,
// delete. Clicking a row makes it the active run (the one the sample inspector shows). Re-renders with
// the store's per-frame `version` so step counts stay live without a render per step.
import { useRunsStore, type RunRecord } from '../../state/runsStore';
import { runLoop } from '../plots/selfplayCharts';
import '../plots/plots.css';
import { ExportRunButton, RunFileControls } from './RunFileControls';

function stepCount(run: RunRecord): number {
  const last = run.metrics[run.metrics.length - 1];
  return last ? last.step + 1 : 0;
}

/** A self-play run counts loop iterations, not RL steps (null for an RL run). */
function iterationCount(run: RunRecord): number | null {
  return runLoop(run) === 'none' ? null : (run.selfplay?.points.at(-1)?.iteration ?? 0);
}

function RunRow({ run, active }: { run: RunRecord; active: boolean }) {
  const toggleVisible = useRunsStore((s) => s.toggleVisible);
  const deleteRun = useRunsStore((s) => s.deleteRun);
  const setActiveRun = useRunsStore((s) => s.setActiveRun);
  const confirmDelete = () => {
    // Deleting also removes the run from browser storage: there is no undo.
    if (window.confirm(`Delete run "${run.label}" and its recorded metrics? This cannot be undone.`)) deleteRun(run.id);
  };
  const last = run.metrics[run.metrics.length - 1];
  const iterations = iterationCount(run);
  return (
    <li
      className={`run-row${active ? ' active' : ''}${run.visible ? '' : ' hidden-run'}`}
      data-testid="run-row"
      data-run-id={run.id}
      data-color={run.color}
      data-steps={stepCount(run)}
      // The last step's headline metrics at full precision, for e2e checks (same seed → same numbers).
      data-last-reward={last?.reward}
      data-last-loss={last?.loss}
      data-last-entropy={last?.entropy}
      aria-current={active ? 'true' : undefined}
      onClick={() => setActiveRun(run.id)}
    >
      <span className="swatch" style={{ background: run.color }} aria-hidden="true" />
      <span className="run-label" title={run.label}>
        {run.label}
      </span>
      <span className={`run-status run-status-${run.status}`}>{run.status}</span>
      {iterations === null ? (
        <span className="run-steps" title="Optimisation steps recorded">
          {stepCount(run)} steps
        </span>
      ) : (
        <span className="run-steps" title="Self-play iterations recorded">
          {iterations} iterations
        </span>
      )}
      <span className="run-actions" onClick={(e) => e.stopPropagation()}>
        <label title={run.visible ? 'Hide from the plots' : 'Show on the plots'}>
          <input type="checkbox" data-testid="run-toggle" checked={run.visible} onChange={() => toggleVisible(run.id)} aria-label={`show ${run.label} on the plots`} />
        </label>{' '}
        <ExportRunButton run={run} />{' '}
        <button type="button" className="run-button" data-testid="run-delete" onClick={confirmDelete} aria-label={`delete ${run.label}`} title="Delete this run">
          ✕
        </button>
      </span>
      {run.error ? (
        <p className="run-error" role="alert">
          {run.error}
        </p>
      ) : null}
    </li>
  );
}

export function RunsPanel() {
  // `version` is read so the rows re-render (at most once per frame) when steps are appended in place.
  useRunsStore((s) => s.version);
  const runs = useRunsStore((s) => s.runs);
  const activeRunId = useRunsStore((s) => s.activeRunId);
  const storageError = useRunsStore((s) => s.storageError);
  const dismissStorageError = useRunsStore((s) => s.dismissStorageError);

  return (
    <section className="panel runs-panel" aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
      <RunFileControls />
      {storageError ? (
        <div className="storage-error" role="alert" data-testid="storage-error">
          <span>{storageError}</span>
          <button type="button" className="run-button" onClick={dismissStorageError} aria-label="dismiss">
            ✕
          </button>
        </div>
      ) : null}
      {runs.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <ul className="runs-list">
          {runs.map((run) => (
            <RunRow key={run.id} run={run} active={run.id === activeRunId} />
          ))}
        </ul>
      )}
    </section>
  );
}

export default RunsPanel;
