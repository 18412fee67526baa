// Reading a run record's replicas for `npm run compare`. A record is a run file (src/experiment/runFile.ts):
// rlvr-lab-run/1 from `npm run train` or the lab's Export (one replica, whose seed is config.seed), or
// rlvr-lab-seeds/1 from `npm run train -- --seeds N` (every replica); a bare `{ replicas: [{ seed, steps,
// evaluations }] }` is read too. Only the fields a comparison uses are checked here, so a record from an
// older version still compares. The comparison itself is src/experiment/runComparison.ts, shared with
// the lab's comparison view.
import { z } from 'zod';
import type { ComparableReplica } from '../src/experiment/runComparison';
import { RUN_FORMAT, SEEDS_FORMAT } from '../src/experiment/runFile';

export { parseWindow, metricSeries, reduceWindow, valuesBySeed, type Window } from '../src/experiment/runComparison';

const stepsSchema = z.array(z.record(z.string(), z.unknown()));
const evaluationsSchema = z.array(
  z.object({
    afterSteps: z.number(),
    arms: z.array(z.record(z.string(), z.unknown())).min(1),
  }),
);
const replicaSchema = z.object({ seed: z.number().int().min(0), steps: stepsSchema, evaluations: evaluationsSchema.default([]) });
const singleRecordSchema = z.object({
  format: z.literal(RUN_FORMAT),
  config: z.object({ seed: z.number().int().min(0) }),
  steps: stepsSchema,
  evaluations: evaluationsSchema.default([]),
});
const multiRecordSchema = z.object({ replicas: z.array(replicaSchema).min(1) });
const seedsRecordSchema = z.object({ format: z.literal(SEEDS_FORMAT), replicas: z.array(z.object({ seed: z.number().int().min(0), record: singleRecordSchema })).min(1) });

export type Replica = ComparableReplica;

/** The replicas of a parsed record; throws with the file's problem in words. */
export function replicasOf(record: unknown, label: string): Replica[] {
  const format = typeof record === 'object' && record !== null ? (record as { format?: unknown }).format : undefined;
  if (format === SEEDS_FORMAT) {
    const parsed = seedsRecordSchema.safeParse(record);
    if (!parsed.success) throw new Error(`${label}: not a ${SEEDS_FORMAT} record: ${z.prettifyError(parsed.error)}`);
    return parsed.data.replicas.map((r) => ({ seed: r.seed, steps: r.record.steps, evaluations: r.record.evaluations }));
  }
  if (typeof record === 'object' && record !== null && 'replicas' in record) {
    const parsed = multiRecordSchema.safeParse(record);
    if (!parsed.success) throw new Error(`${label}: not a multi-seed run record: ${z.prettifyError(parsed.error)}`);
    return parsed.data.replicas;
  }
  const parsed = singleRecordSchema.safeParse(record);
  if (!parsed.success) throw new Error(`${label}: not a run record (${RUN_FORMAT}, ${SEEDS_FORMAT} or { replicas: [...] }): ${z.prettifyError(parsed.error)}`);
  return [{ seed: parsed.data.config.seed, steps: parsed.data.steps, evaluations: parsed.data.evaluations }];
}
