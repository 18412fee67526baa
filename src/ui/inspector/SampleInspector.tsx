// The rollouts of the active run, token by token: each completion token is a chip coloured by the
// sample's advantage, the token's log-prob, or the policy's entropy there. Seeing a right answer
// with A = 0 (its whole group was right) or a confident wrong token is what makes the plots concrete.
// The run keeps its last steps' samples (runRecord.sampleHistory): a step picker goes back to them, and
// choosing a token explains its loss term ("Explain this number", ExplainPanel) and pins that step, so
// the explanation stays put while training goes on.
import { useMemo, useState } from 'react';
import type { RunRecord, SampleStep } from '../../state/runsStore';
import { useRunsStore } from '../../state/runsStore';
import { SampleRow } from './SampleRow';
import { advantageScale, entropyScale, INSPECTOR_MODES, logProbScale, type InspectorMode } from './tokenColors';
import '../plots/plots.css';
import './explain.css';

/** The run's kept steps, oldest first (a run loaded from storage has only its latest samples). */
function sampleSteps(run: RunRecord | undefined): SampleStep[] {
  if (!run) return [];
  if (run.sampleHistory && run.sampleHistory.length > 0) return run.sampleHistory;
  const step = run.metrics[run.metrics.length - 1]?.step;
  return run.samples.length > 0 && step !== undefined ? [{ step, samples: run.samples }] : [];
}

interface Selection {
  runId: string;
  step: number;
  sample: number;
  token: number;
}

export function SampleInspector() {
  useRunsStore((s) => s.version); // samples are replaced in place, once per frame at most
  const run = useRunsStore((s) => s.runs.find((r) => r.id === s.activeRunId));
  const [mode, setMode] = useState<InspectorMode>('advantage');
  /** The step the picker holds, or null to follow the latest. */
  const [picked, setPicked] = useState<{ runId: string; step: number } | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const steps = sampleSteps(run);
  const latest = steps[steps.length - 1];
  const pinned = run && picked?.runId === run.id ? steps.find((s) => s.step === picked.step) : undefined;
  const shown = pinned ?? latest;
  const samples = shown?.samples ?? (run?.samples ?? []);
  const maxAbsAdvantage = samples.reduce((m, s) => Math.max(m, Math.abs(s.advantage)), 0);
  const scale = useMemo(() => (mode === 'advantage' ? advantageScale(maxAbsAdvantage) : mode === 'logprob' ? logProbScale() : entropyScale()), [mode, maxAbsAdvantage]);
  const open = run && shown && selection?.runId === run.id && selection.step === shown.step ? selection : null;

  const explain = (sample: number, token: number | null) => {
    if (!run || !shown) return;
    if (token === null) return setSelection(null);
    setPicked({ runId: run.id, step: shown.step }); // keep this step on screen while training goes on
    setSelection({ runId: run.id, step: shown.step, sample, token });
  };

  return (
    <section className="panel sample-inspector" data-testid="sample-inspector" aria-labelledby="inspector-heading">
      <div className="inspector-header">
        <h2 id="inspector-heading">Samples</h2>
        <label className="muted">
          step{' '}
          <select
            data-testid="inspector-step"
            value={pinned ? String(pinned.step) : 'latest'}
            disabled={steps.length === 0}
            onChange={(e) => {
              setSelection(null);
              setPicked(e.target.value === 'latest' || !run ? null : { runId: run.id, step: Number(e.target.value) });
            }}
          >
            <option value="latest">latest{latest ? ` (${latest.step})` : ''}</option>
            {[...steps].reverse().map((s) => (
              <option key={s.step} value={String(s.step)}>
                {s.step}
              </option>
            ))}
          </select>
        </label>
        <label className="muted">
          colour by{' '}
          <select data-testid="inspector-mode" value={mode} onChange={(e) => setMode(e.target.value as InspectorMode)}>
            {INSPECTOR_MODES.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <span className="inspector-legend" aria-label="colour scale">
          {scale.minLabel}
          <span className="inspector-legend-bar" style={{ background: scale.gradient }} />
          {scale.maxLabel}
        </span>
      </div>
      {run ? (
        <p className="muted sample-meta" data-testid="inspector-shown-step" data-step={shown?.step ?? ''}>
          <span className="swatch" style={{ background: run.color }} />
          {run.label}
          {shown ? ` · step ${shown.step}${pinned && pinned !== latest ? ` (latest ${latest.step})` : ''}` : ''}
          {samples.length > 0 ? ' · choose a token to explain its loss' : ''}
        </p>
      ) : null}
      {samples.length === 0 ? (
        <p className="muted">{run ? 'No samples yet: they appear after the first step.' : 'No active run.'}</p>
      ) : (
        <ul className="samples">
          {samples.map((s, i) => (
            <SampleRow key={i} sample={s} index={i} mode={mode} scale={scale} step={shown?.step} openToken={open?.sample === i ? open.token : null} onExplain={(t) => explain(i, t)} />
          ))}
        </ul>
      )}
    </section>
  );
}

export default SampleInspector;
