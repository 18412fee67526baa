// The aggregate over seeds a multi-seed record carries (rlvr-lab-seeds/1 `aggregate`): for every
// numeric step metric (by its path: `reward`, `kl.k3`, `arms.d1.reward`) and every held-out pass@k
// (`eval.pass@k`, mean over arms), per step the mean over the seeds that have it, its 95 % t-band and
// the min–max — the band the lab draws, computed by the same code (stats/stepBand.ts), unsmoothed.
import { stepBand } from '../stats';
import type { SeedAggregatePoint } from './runFile';
import { metricSeries, type ComparableReplica } from './runComparison';

/** Every path to a finite number in a step's metrics, except the step index itself. */
function numericPaths(value: unknown, prefix: string, out: Set<string>): void {
  if (typeof value === 'number') {
    if (prefix !== 'step' && Number.isFinite(value)) out.add(prefix);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) numericPaths(v, prefix ? `${prefix}.${k}` : k, out);
  }
}

function valueAt(object: unknown, path: string): unknown {
  let v: unknown = object;
  for (const key of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

export function seedAggregate(replicas: readonly ComparableReplica[]): Record<string, SeedAggregatePoint[]> {
  const paths = new Set<string>();
  for (const r of replicas) for (const s of r.steps) numericPaths(s, '', paths);
  const ks = new Set<string>();
  for (const r of replicas) for (const e of r.evaluations) for (const a of e.arms) for (const k of Object.keys((valueAt(a, 'passAtK') as object | undefined) ?? {})) ks.add(k);
  const out: Record<string, SeedAggregatePoint[]> = {};
  const add = (metric: string, seeds: { x: number; y: number }[][]) => {
    if (seeds.every((s) => s.length === 0)) return;
    out[metric] = stepBand(seeds).map(({ x, n, mean, tLow, tHigh, min, max }) => ({ step: x, n, mean, tLow, tHigh, min, max }));
  };
  for (const path of [...paths].sort()) {
    // A metric some steps lack (an arm a batch did not draw) is aggregated over the steps that have it.
    add(path, replicas.map((r) => r.steps.flatMap((s, i) => {
      const y = valueAt(s, path);
      const x = valueAt(s, 'step');
      return typeof y === 'number' && Number.isFinite(y) ? [{ x: typeof x === 'number' ? x : i, y }] : [];
    })));
  }
  for (const k of [...ks].sort((a, b) => Number(a) - Number(b))) {
    add(`eval.pass@${k}`, replicas.map((r) => (r.evaluations.length === 0 ? [] : metricSeries(r, `eval.pass@${k}`, 'aggregate'))));
  }
  return out;
}
