// The runs of this tab (and those restored from IndexedDB): colour, label, status, steps, show/hide,
// rename, delete — one row per run as the user sees it (a multi-seed run's replicas are one row). Clicking a row makes it the active run (the one the sample inspector shows). Re-renders with
// the store's per-frame `version` so step counts stay live without a render per step.
import { groupRuns, seedsSuffix, type RunGroup } from '../../state/runGroups';
import { useRunsStore, type RunRecord } from '../../state/runsStore';
import { CompareWithButton } from './CompareWith';
import { deleteGroup, renameGroup, setGroupVisible } from './groupActions';
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

/** A group's status: the one its replicas share, else the most pressing one (error, paused, running). */
function groupStatus(group: RunGroup): RunRecord['status'] {
  const statuses = new Set(group.replicas.map((r) => r.status));
  if (statuses.size === 1) return group.replicas[0].status;
  for (const s of ['error', 'paused', 'running'] as const) if (statuses.has(s)) return s;
  return group.replicas[0].status;
}

/** One row per run as the user sees it: a single-seed run, or a multi-seed run's replicas as one
 *  ("… ×N seeds"), whose show/hide, rename and delete act on every replica; an expander lists the seeds. */
function RunRow({ group, active }: { group: RunGroup; active: boolean }) {
  const toggleVisible = useRunsStore((s) => s.toggleVisible);
  const deleteRun = useRunsStore((s) => s.deleteRun);
  const setLabel = useRunsStore((s) => s.setLabel);
  const store = { toggleVisible, deleteRun, setLabel };
  const setActiveRun = useRunsStore((s) => s.setActiveRun);
  const run = group.replicas[0];
  const multi = group.replicas.length > 1;
  const label = `${group.label}${seedsSuffix(group)}`;
  const confirmDelete = () => {
    // Deleting also removes the run from browser storage: there is no undo.
    const what = multi ? `run "${label}" (all ${group.replicas.length} seeds)` : `run "${label}"`;
    if (window.confirm(`Delete ${what} and its recorded metrics? This cannot be undone.`)) deleteGroup(store, group);
  };
  const rename = () => {
    const next = window.prompt('Rename the run', group.label);
    if (next) renameGroup(store, group, next);
  };
  // The group's visibility is its first replica's; a toggle brings every replica to the new value.
  const setVisible = (visible: boolean) => setGroupVisible(store, group, visible);
  const last = run.metrics[run.metrics.length - 1];
  const iterations = iterationCount(run);
  const steps = Math.min(...group.replicas.map(stepCount));
  const status = groupStatus(group);
  const error = group.replicas.find((r) => r.error)?.error ?? null;
  return (
    <li
      className={`run-row${active ? ' active' : ''}${run.visible ? '' : ' hidden-run'}`}
      data-testid="run-row"
      data-run-id={run.id}
      data-group-id={group.id}
      data-seeds={group.replicas.length}
      data-status={status}
      data-color={run.color}
      data-steps={steps}
      // The last step's headline metrics at full precision, for e2e checks (same seed → same numbers).
      data-last-reward={last?.reward}
      data-last-loss={last?.loss}
      data-last-entropy={last?.entropy}
      aria-current={active ? 'true' : undefined}
      onClick={() => setActiveRun(run.id)}
    >
      <span className="swatch" style={{ background: run.color }} aria-hidden="true" />
      <span className="run-label" title={label} data-testid="run-label">
        {label}
      </span>
      <span className={`run-status run-status-${status}`}>{status}</span>
      {iterations === null ? (
        <span className="run-steps" title={multi ? 'Optimisation steps recorded by every seed' : 'Optimisation steps recorded'}>
          {steps} steps
        </span>
      ) : (
        <span className="run-steps" title="Self-play iterations recorded">
          {iterations} iterations
        </span>
      )}
      <span className="run-actions" onClick={(e) => e.stopPropagation()}>
        <label title={run.visible ? 'Hide from the plots' : 'Show on the plots'}>
          <input type="checkbox" data-testid="run-toggle" checked={run.visible} onChange={() => setVisible(!run.visible)} aria-label={`show ${label} on the plots`} />
        </label>{' '}
        <button type="button" className="run-button" data-testid="run-rename" onClick={rename} aria-label={`rename ${label}`} title="Rename this run">
          ✎
        </button>{' '}
        <ExportRunButton run={run} />{' '}
        <CompareWithButton group={group} label={label} />{' '}
        <button type="button" className="run-button" data-testid="run-delete" onClick={confirmDelete} aria-label={`delete ${label}`} title="Delete this run">
          ✕
        </button>
      </span>
      {multi ? <SeedList group={group} /> : null}
      {error ? (
        <p className="run-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/** The seeds of a multi-seed run, each with its status and steps (the per-seed numbers for e2e checks). */
function SeedList({ group }: { group: RunGroup }) {
  return (
    <details className="run-seeds" data-testid="run-seeds" onClick={(e) => e.stopPropagation()}>
      <summary>{group.replicas.length} seeds</summary>
      <ul>
        {group.replicas.map((r, i) => {
          const first = r.metrics[0];
          return (
            <li
              key={r.id}
              data-testid="run-seed"
              data-run-id={r.id}
              data-seed={group.seeds[i]}
              data-steps={stepCount(r)}
              data-first-reward={first?.reward}
              data-first-loss={first?.loss}
              data-first-entropy={first?.entropy}
            >
              seed {group.seeds[i]} · <span className={`run-status run-status-${r.status}`}>{r.status}</span> · {stepCount(r)} steps
              {r.error ? <span className="run-error"> {r.error}</span> : null}
            </li>
          );
        })}
      </ul>
    </details>
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
          {groupRuns(runs).map((group) => (
            <RunRow key={group.id} group={group} active={group.replicas.some((r) => r.id === activeRunId)} />
          ))}
        </ul>
      )}
    </section>
  );
}

export default RunsPanel;
