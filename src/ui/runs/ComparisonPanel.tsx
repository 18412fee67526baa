// "Is the difference real?": pick two runs, a metric and a window; the replicas are paired by seed and
// the mean paired difference A − B gets a 95 % t-interval and a bootstrap interval, with the verdict in
// words. The numbers come from compareRuns (experiment/runComparison.ts), the function `npm run
// compare` prints and the gallery's verdicts use, so the lab, the CLI and the gallery agree.
import { useMemo, useState } from 'react';
import { compareRuns, type RunComparison, type Window } from '../../experiment/runComparison';
import { groupRuns, seedsSuffix, type RunGroup } from '../../state/runGroups';
import { comparableReplica } from '../../state/runFiles';
import { useRunsStore } from '../../state/runsStore';

/** Step metrics by their path in StepMetrics, as `npm run compare -- --metric` names them. */
const STEP_METRICS: readonly [string, string][] = [
  ['reward', 'reward (train batch)'],
  ['rewards.correctness', 'correctness reward'],
  ['entropy', 'entropy'],
  ['kl.k3', 'KL (k3)'],
  ['completions.mean_length', 'completion length'],
  ['frac_reward_zero_std', 'zero-std groups'],
  ['clip_ratio.region_mean', 'clip ratio'],
  ['grad_norm', 'gradient norm'],
  ['loss', 'loss'],
];

/** Evaluation metrics the groups report: pass@k (mean over arms) for each k, and pass@k of each arm. */
function evaluationMetrics(groups: RunGroup[]): [string, string][] {
  const ks = new Set<number>();
  const arms = new Set<string>();
  for (const g of groups) for (const r of g.replicas) for (const e of r.evaluations) for (const a of e.results) {
    arms.add(a.arm);
    for (const k of Object.keys(a.passAtK)) ks.add(Number(k));
  }
  const sortedKs = [...ks].sort((a, b) => a - b);
  const out: [string, string][] = sortedKs.map((k) => [`eval.pass@${k}`, `pass@${k} (eval, mean over arms)`]);
  if (arms.size > 1) for (const arm of [...arms].sort()) for (const k of sortedKs) out.push([`eval.${arm}.pass@${k}`, `pass@${k} (eval, arm ${arm})`]);
  return out;
}

type WindowKind = Window['kind'];

const f = (v: number | null) => (v === null ? '—' : v.toFixed(4));

function Result({ comparison }: { comparison: RunComparison }) {
  const { pairs, result } = comparison;
  const { t, bootstrap } = result;
  return (
    <div data-testid="comparison-result">
      <table>
        <thead>
          <tr>
            <th>seed</th>
            <th>A</th>
            <th>B</th>
            <th>A − B</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={p.seed} data-testid="comparison-pair">
              <td>{p.seed}</td>
              <td>{f(p.a)}</td>
              <td>{f(p.b)}</td>
              <td>{f(p.difference)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="comparison-difference">
        Mean paired difference A − B: <strong>{f(t.mean)}</strong> (n = {pairs.length})
      </p>
      {t.low !== null && t.high !== null ? (
        <p data-testid="comparison-intervals">
          95 % t-interval [{f(t.low)}, {f(t.high)}]; bootstrap (percentile, {bootstrap.resamples.toLocaleString('en')} resamples, seed {bootstrap.seed}) [{f(bootstrap.low)}, {f(bootstrap.high)}]
          {pairs.length <= 5 ? ' — with so few seeds the bootstrap is coarse; the verdict follows the t-interval.' : '.'}
        </p>
      ) : null}
      <p className="comparison-verdict" data-testid="comparison-verdict">
        {comparison.words}
      </p>
      {comparison.leftOut ? (
        <p className="muted" data-testid="comparison-left-out">
          {comparison.leftOut}
        </p>
      ) : null}
    </div>
  );
}

export function ComparisonPanel() {
  const version = useRunsStore((s) => s.version);
  const runs = useRunsStore((s) => s.runs);
  const groups = useMemo(() => groupRuns(runs), [runs]);
  const [picked, setPicked] = useState<[string | null, string | null]>([null, null]);
  const [metric, setMetric] = useState('reward');
  const [windowKind, setWindowKind] = useState<WindowKind>('last');
  const [k, setK] = useState(10);
  // Unpicked (or deleted) choices fall back to the first two runs.
  const a = groups.find((g) => g.id === picked[0]) ?? groups[0];
  const b = groups.find((g) => g.id === picked[1]) ?? groups.find((g) => g !== a);
  const evalMetrics = useMemo(() => evaluationMetrics(groups), [groups, version]);
  const window: Window = windowKind === 'last' ? { kind: 'last', k } : { kind: windowKind };

  const outcome = useMemo((): { comparison: RunComparison } | { error: string } | null => {
    if (!a || !b) return null;
    try {
      return { comparison: compareRuns(a.replicas.map(comparableReplica), b.replicas.map(comparableReplica), metric, window, { a: `A (${a.label})`, b: `B (${b.label})` }) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
    // `version`: the runs' series grow in place.
  }, [a, b, metric, windowKind, k, version]);

  const groupSelect = (i: 0 | 1, value: RunGroup | undefined) => (
    <select aria-label={i === 0 ? 'run A' : 'run B'} data-testid={i === 0 ? 'compare-a' : 'compare-b'} value={value?.id ?? ''} onChange={(e) => setPicked((p) => (i === 0 ? [e.target.value, p[1]] : [p[0], e.target.value]))}>
      {groups.map((g) => (
        <option key={g.id} value={g.id}>
          {g.label}
          {seedsSuffix(g)}
        </option>
      ))}
    </select>
  );

  return (
    <section className="comparison" aria-labelledby="comparison-heading" data-testid="comparison">
      <h3 id="comparison-heading">Is the difference real?</h3>
      <div className="comparison-form">
        <span>A</span>
        {groupSelect(0, a)}
        <span>B</span>
        {groupSelect(1, b)}
        <span>metric</span>
        <select aria-label="metric" data-testid="compare-metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
          <optgroup label="per step">
            {STEP_METRICS.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </optgroup>
          {evalMetrics.length > 0 ? (
            <optgroup label="held-out evaluation">
              {evalMetrics.map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
        <span>window</span>
        <span>
          <select aria-label="window" data-testid="compare-window" value={windowKind} onChange={(e) => setWindowKind(e.target.value as WindowKind)}>
            <option value="last">mean of the last k points</option>
            <option value="final">final value (e.g. the final evaluation)</option>
            <option value="auc">area under the curve (÷ x-range)</option>
          </select>
          {windowKind === 'last' ? (
            <label>
              {' '}k <input type="number" min={1} max={10000} value={k} aria-label="last k" data-testid="compare-k" onChange={(e) => setK(Math.max(1, Math.round(Number(e.target.value)) || 1))} style={{ width: '4.5em' }} />
            </label>
          ) : null}
        </span>
      </div>
      <p className="muted">Fix the window before looking (a window picked after seeing the curves is a different claim). Replicas are paired by seed: seed s of A and of B share a base, a prompt stream and the evaluation prompts.</p>
      {!a || !b ? <p className="muted">Two runs are needed.</p> : null}
      {outcome && 'error' in outcome ? (
        <p className="run-files-error" role="alert" data-testid="comparison-error">
          {outcome.error}
        </p>
      ) : null}
      {outcome && 'comparison' in outcome ? <Result comparison={outcome.comparison} /> : null}
    </section>
  );
}
