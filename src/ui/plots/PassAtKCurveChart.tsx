// pass@k against k at two chosen evaluations (first vs latest by default): how far RL moved pass@1
// compared with pass@k for large k: the "does RL only sharpen what the base could sample?" question.
import { useMemo, useState } from 'react';
import type { RunRecord } from '../../state/runsStore';
import { MetricChart } from './MetricChart';
import { dashFor, passAtKCurve, pickEvaluation, type EvaluationPick, type RunSeries } from './series';
import { groupSeedSeries, type SeedView } from './seedBands';

interface Props {
  runs: RunRecord[];
  /** The store version: the runs' evaluations change in place. */
  version: number;
  activeRunId: string | null;
  /** How multi-seed runs are drawn (null: no visible run has several seeds). */
  seedView?: SeedView | null;
}

function parsePick(v: string): EvaluationPick {
  return v === 'first' || v === 'latest' ? v : Number(v);
}

function pickLabel(pick: EvaluationPick): string {
  return typeof pick === 'number' ? `step ${pick}` : pick;
}

export function PassAtKCurveChart({ runs, version, activeRunId, seedView = null }: Props) {
  const [picks, setPicks] = useState<[EvaluationPick, EvaluationPick]>(['first', 'latest']);

  const { series, ks, steps } = useMemo(() => {
    const out: RunSeries[] = [];
    const kSet = new Set<number>();
    picks.forEach((pick, i) => {
      for (const run of runs) {
        const evaluation = pickEvaluation(run, pick);
        if (!evaluation) continue;
        const curve = passAtKCurve(evaluation.results);
        curve.forEach((p) => kSet.add(p.k));
        out.push({
          runId: run.id,
          runLabel: run.label,
          color: run.color,
          line: `pick${i}`,
          lineLabel: `${pickLabel(pick)} (step ${evaluation.step})`,
          dash: dashFor(i === 0 ? 1 : 0),
          points: curve.map((p) => ({ step: p.k, wall: p.k, value: p.value })),
        });
      }
    });
    const active = runs.find((r) => r.id === activeRunId) ?? runs[0];
    return { series: seedView ? groupSeedSeries(out, runs, seedView) : out, ks: [...kSet].sort((a, b) => a - b), steps: active ? active.evaluations.map((e) => e.step) : [] };
  }, [runs, version, picks, activeRunId, seedView]);

  const select = (i: 0 | 1) => (
    <select
      aria-label={i === 0 ? 'first evaluation to compare' : 'second evaluation to compare'}
      value={String(picks[i])}
      onChange={(e) => setPicks((p) => (i === 0 ? [parsePick(e.target.value), p[1]] : [p[0], parsePick(e.target.value)]))}
    >
      <option value="first">first</option>
      <option value="latest">latest</option>
      {steps.map((s) => (
        <option key={s} value={String(s)}>
          step {s}
        </option>
      ))}
    </select>
  );

  return (
    <MetricChart
      id="pass_at_k_curve"
      title="pass@k vs k"
      about="Held-out pass@k (unbiased estimator, mean over arms) against k at two evaluations: dashed the first pick, solid the second."
      series={series}
      xMode="step"
      xLabel="k"
      yTitle="pass@k"
      range="probability"
      xTicks={ks}
      logX
      smoothing={0}
      activeRunId={activeRunId}
      controls={
        <span className="chart-picks">
          {select(0)} vs {select(1)}
        </span>
      }
    />
  );
}
