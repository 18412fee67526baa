// Reading one number per seed out of a run record, for `npm run compare`. A record is what
// `npm run train` writes (format rlvr-lab-run/1: one replica, whose seed is config.seed), or a
// multi-seed record `{ replicas: [{ seed, steps, evaluations }] }`. Metric names are paths into a
// step's metrics (`reward`, `entropy`, `kl.k3`, `rewards.correctness`) or `eval.<field>` for the
// held-out evaluations, averaged over the evaluation's arms (`eval.pass@1`, `eval.meanAtN`,
// `eval.greedyAccuracy`). A window reduces the series to one number: `last:K`, `final` or `auc`.
import { z } from 'zod';
import { areaUnderCurve, finalValue, lastK } from '../src/stats';

const stepsSchema = z.array(z.record(z.string(), z.unknown()));
const evaluationsSchema = z.array(
  z.object({
    afterSteps: z.number(),
    arms: z.array(z.record(z.string(), z.unknown())).min(1),
  }),
);
const replicaSchema = z.object({ seed: z.number().int().min(0), steps: stepsSchema, evaluations: evaluationsSchema.default([]) });
const singleRecordSchema = z.object({
  format: z.literal('rlvr-lab-run/1'),
  config: z.object({ seed: z.number().int().min(0) }),
  steps: stepsSchema,
  evaluations: evaluationsSchema.default([]),
});
const multiRecordSchema = z.object({ replicas: z.array(replicaSchema).min(1) });

export type Replica = z.infer<typeof replicaSchema>;

/** The replicas of a parsed record; throws with the file's problem in words. */
export function replicasOf(record: unknown, label: string): Replica[] {
  if (typeof record === 'object' && record !== null && 'replicas' in record) {
    const parsed = multiRecordSchema.safeParse(record);
    if (!parsed.success) throw new Error(`${label}: not a multi-seed run record: ${z.prettifyError(parsed.error)}`);
    const seeds = parsed.data.replicas.map((r) => r.seed);
    const repeated = seeds.find((s, i) => seeds.indexOf(s) !== i);
    if (repeated !== undefined) throw new Error(`${label}: seed ${repeated} appears in more than one replica`);
    return parsed.data.replicas;
  }
  const parsed = singleRecordSchema.safeParse(record);
  if (!parsed.success) throw new Error(`${label}: not a run record (rlvr-lab-run/1 or { replicas: [...] }): ${z.prettifyError(parsed.error)}`);
  return [{ seed: parsed.data.config.seed, steps: parsed.data.steps, evaluations: parsed.data.evaluations }];
}

export type Window = { kind: 'last'; k: number } | { kind: 'final' } | { kind: 'auc' };

export function parseWindow(text: string): Window {
  if (text === 'final') return { kind: 'final' };
  if (text === 'auc') return { kind: 'auc' };
  const m = /^last:([0-9]+)$/.exec(text);
  if (m && Number(m[1]) >= 1) return { kind: 'last', k: Number(m[1]) };
  throw new Error(`window must be last:K (K ≥ 1), final or auc; got ${JSON.stringify(text)}`);
}

function valueAt(object: Record<string, unknown>, path: string): unknown {
  let v: unknown = object;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function finite(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: not a finite number (${JSON.stringify(v)})`);
  return v;
}

/** The metric's series as points: x = step (step metrics) or training steps done (evaluations). */
export function metricSeries(replica: Replica, metric: string, label: string): { x: number; y: number }[] {
  if (metric.startsWith('eval.')) {
    const field = metric.slice('eval.'.length);
    const pass = /^pass@([0-9]+)$/.exec(field);
    if (replica.evaluations.length === 0) throw new Error(`${label}, seed ${replica.seed}: no evaluations recorded, so no ${metric}`);
    return replica.evaluations.map((e) => {
      // Mean over the evaluation's arms: one number per evaluation, as the lab's pass@k line.
      const perArm = e.arms.map((arm, i) => {
        const where = `${label}, seed ${replica.seed}, evaluation after ${e.afterSteps} steps, arm ${String(arm.arm ?? i)}: ${metric}`;
        return finite(pass ? valueAt(arm, `passAtK.${pass[1]}`) : arm[field], where);
      });
      return { x: e.afterSteps, y: perArm.reduce((s, v) => s + v, 0) / perArm.length };
    });
  }
  if (replica.steps.length === 0) throw new Error(`${label}, seed ${replica.seed}: no steps recorded`);
  return replica.steps.map((step, i) => ({
    x: typeof step.step === 'number' ? step.step : i,
    y: finite(valueAt(step, metric), `${label}, seed ${replica.seed}, step ${i}: metric ${metric}`),
  }));
}

export function reduceWindow(points: { x: number; y: number }[], window: Window): number {
  const ys = points.map((p) => p.y);
  if (window.kind === 'final') return finalValue(ys);
  if (window.kind === 'last') return lastK(ys, window.k);
  return areaUnderCurve(points);
}

/** One number per seed (of `seeds`, or every replica's): the metric reduced over the window. Only the
 *  paired seeds are asked for, so a replica the other run lacks cannot fail the comparison. */
export function valuesBySeed(replicas: Replica[], metric: string, window: Window, label: string, seeds?: ReadonlySet<number>): Record<number, number> {
  const out: Record<number, number> = {};
  for (const replica of replicas) {
    if (seeds && !seeds.has(replica.seed)) continue;
    try {
      out[replica.seed] = reduceWindow(metricSeries(replica, metric, label), window);
    } catch (e) {
      if (e instanceof RangeError) throw new Error(`${label}, seed ${replica.seed}: ${e.message}`);
      throw e;
    }
  }
  return out;
}
