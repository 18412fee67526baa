// One inspected sample: its verdict, prompt, completion and reward, then its completion tokens as chips
// coloured by the inspector's mode. Each chip is a button: clicking it (or Enter / Space on it) opens
// "Explain this number" for that token under the chips.
import type { InspectedSample } from '../../rl/metrics';
import { ExplainPanel } from './ExplainPanel';
import { tokenText, type ColorScale, type InspectorMode } from './tokenColors';

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v));
export const signed = (v: number) => (v > 0 ? `+${fmt(v)}` : fmt(v));

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

interface Props {
  sample: InspectedSample;
  index: number;
  mode: InspectorMode;
  scale: ColorScale;
  step: number | undefined;
  /** The token whose explanation is open in this sample, or null. */
  openToken: number | null;
  onExplain: (token: number | null) => void;
}

export function SampleRow({ sample, index, mode, scale, step, openToken, onExplain }: Props) {
  // Right by the verifier, not by the reward: a proxy (coin, length bonus) can pay a wrong answer.
  const correct = (sample.components.correctness ?? sample.reward) > 0;
  const components = Object.entries(sample.components);
  const detailMissing = mode !== 'advantage' && sample.tokens.length > 0 && (mode === 'logprob' ? sample.logProbs : sample.entropies).length === 0;
  const panelId = `explain-panel-${index}`;
  const chipId = (i: number) => `token-chip-${index}-${i}`;
  return (
    <li className="sample" data-testid="inspected-sample" data-reward={sample.reward} data-completion={sample.completion} data-answer={sample.answer}>
      <div className="sample-head">
        <span className={`sample-verdict ${correct ? 'correct' : 'incorrect'}`} role="img" aria-label={correct ? 'correct' : 'incorrect'}>
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
      <div className="token-chips" role="group" aria-label={`tokens of sample ${index + 1}: choose one to explain its loss`}>
        {sample.tokens.map((id, i) => {
          const { text, special } = tokenText(id);
          const value = tokenValue(sample, i, mode);
          const open = openToken === i;
          return (
            <button
              type="button"
              key={i}
              id={chipId(i)}
              data-testid="token-chip"
              className={`token-chip${special ? ' special' : ''}${open ? ' open' : ''}`}
              style={{ background: value === undefined ? '#5a6372' : scale.color(value) }}
              title={chipTitle(sample, id, i)}
              aria-expanded={open}
              aria-controls={open ? panelId : undefined}
              onClick={() => onExplain(open ? null : i)}
            >
              {text}
            </button>
          );
        })}
      </div>
      {detailMissing ? <p className="chart-note muted">No per-token detail for this step (dynamic sampling regrouped the batch).</p> : null}
      {openToken !== null && openToken < sample.tokens.length ? (
        <ExplainPanel
          id={panelId}
          sample={sample}
          tokenIndex={openToken}
          step={step}
          onClose={() => {
            onExplain(null);
            document.getElementById(chipId(openToken))?.focus();
          }}
        />
      ) : null}
    </li>
  );
}
