// The latest rollouts of the active run, token by token: each completion token is a chip coloured by
// the sample's advantage, the token's log-prob, or the policy's entropy there. Seeing a right answer
// with A = 0 (its whole group was right) or a confident wrong token is what makes the plots concrete.
import { useMemo, useState } from 'react';
import type { InspectedSample } from '../../rl/metrics';
import { useRunsStore } from '../../state/runsStore';
import { advantageScale, entropyScale, INSPECTOR_MODES, logProbScale, tokenText, type ColorScale, type InspectorMode } from './tokenColors';
import '../plots/plots.css';

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v));
const signed = (v: number) => (v > 0 ? `+${fmt(v)}` : fmt(v));

/** The value a token is coloured by in this mode; undefined when the step kept no per-token detail. */
function tokenValue(sample: InspectedSample, i: number, mode: InspectorMode): number | undefined {
  if (mode === 'advantage') return sample.advantage;
  return (mode === 'logprob' ? sample.logProbs : sample.entropies)[i];
}

function chipTitle(sample: InspectedSample, id: number, i: number): string {
  const parts = [`token ${JSON.stringify(tokenText(id).text)} (id ${id})`];
  const logp = sample.logProbs[i];
  if (logp !== undefined) parts.push(`log p ${fmt(logp)} (p = ${fmt(Math.exp(logp))})`);
  const h = sample.entropies[i];
  if (h !== undefined) parts.push(`entropy ${fmt(h)}`);
  parts.push(`A ${signed(sample.advantage)}`);
  return parts.join(' · ');
}

function SampleRow({ sample, mode, scale }: { sample: InspectedSample; mode: InspectorMode; scale: ColorScale }) {
  const correct = sample.reward > 0;
  const components = Object.entries(sample.components);
  const detailMissing = mode !== 'advantage' && sample.tokens.length > 0 && (mode === 'logprob' ? sample.logProbs : sample.entropies).length === 0;
  return (
    <li className="sample" data-testid="inspected-sample" data-reward={sample.reward} data-completion={sample.completion} data-answer={sample.answer}>
      <div className="sample-head">
        <span className={`sample-verdict ${correct ? 'correct' : 'incorrect'}`} aria-label={correct ? 'correct' : 'incorrect'}>
          {correct ? '✓' : '✗'}
        </span>
        <span className="sample-prompt">{sample.prompt}</span>
        <span className="sample-meta">→ {JSON.stringify(sample.completion)}</span>
        <span className="sample-meta">answer {JSON.stringify(sample.answer)}</span>
      </div>
      <div className="sample-head sample-meta">
        <span>arm {sample.arm}</span>
        <span>reward {fmt(sample.reward)}</span>
        {components.length > 1 || (components.length === 1 && components[0][1] !== sample.reward)
          ? components.map(([name, v]) => (
              <span key={name}>
                {name} {fmt(v)}
              </span>
            ))
          : null}
        <span>A {signed(sample.advantage)}</span>
      </div>
      <div className="token-chips">
        {sample.tokens.map((id, i) => {
          const { text, special } = tokenText(id);
          const value = tokenValue(sample, i, mode);
          return (
            <span key={i} className={`token-chip${special ? ' special' : ''}`} style={{ background: value === undefined ? '#5a6372' : scale.color(value) }} title={chipTitle(sample, id, i)}>
              {text}
            </span>
          );
        })}
      </div>
      {detailMissing ? <p className="chart-note muted">No per-token detail for this step (dynamic sampling regrouped the batch).</p> : null}
    </li>
  );
}

export function SampleInspector() {
  useRunsStore((s) => s.version); // samples are replaced in place, once per frame at most
  const run = useRunsStore((s) => s.runs.find((r) => r.id === s.activeRunId));
  const [mode, setMode] = useState<InspectorMode>('advantage');
  const samples = run?.samples ?? [];
  const maxAbsAdvantage = samples.reduce((m, s) => Math.max(m, Math.abs(s.advantage)), 0);
  const scale = useMemo(() => (mode === 'advantage' ? advantageScale(maxAbsAdvantage) : mode === 'logprob' ? logProbScale() : entropyScale()), [mode, maxAbsAdvantage]);
  const step = run?.metrics[run.metrics.length - 1]?.step;

  return (
    <section className="panel sample-inspector" data-testid="sample-inspector" aria-labelledby="inspector-heading">
      <div className="inspector-header">
        <h2 id="inspector-heading">Samples</h2>
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
        <p className="muted sample-meta">
          <span className="swatch" style={{ background: run.color }} />
          {run.label}
          {step !== undefined ? ` · step ${step}` : ''}
        </p>
      ) : null}
      {samples.length === 0 ? (
        <p className="muted">{run ? 'No samples yet: they appear after the first step.' : 'No active run.'}</p>
      ) : (
        <ul className="samples">
          {samples.map((s, i) => (
            <SampleRow key={i} sample={s} mode={mode} scale={scale} />
          ))}
        </ul>
      )}
    </section>
  );
}

export default SampleInspector;
