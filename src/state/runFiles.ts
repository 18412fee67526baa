// Runs as files, on the lab's side: a run (a group of replicas) written in the Node format — so
// `npm run compare` and the gallery scripts read it like a recording — and a file read back into the
// runs store as stopped runs (a multi-seed file becomes one group). Importing goes through the store's
// own actions (createRunGroup, appendMetrics, appendEvaluation, appendSelfplay, setStatus), so an imported run is
// persisted and drawn exactly like one trained here. The file is fully validated (runFileRead.ts)
// before the store is touched: a bad file changes nothing.
import type { CurriculumState } from '../curriculum/types';
import { RUN_FORMAT, SEEDS_FORMAT, type RunFile, type SeedsFile } from '../experiment/runFile';
import { readRunFile } from '../experiment/runFileRead';
import type { ComparableReplica } from '../experiment/runComparison';
import { MAX_SEEDS, replicaSeed, type ExperimentConfig } from '../experiment/schema';
import { encodeExperiment } from '../experiment/urlCodec';
import { isSelfplayLoopId } from '../selfplay/registry';
import type { RunGroup } from './runGroups';
import type { CurriculumTrace, RunRecord, RunsState } from './runRecord';

/** The curriculum's state after each step, rebuilt from the compact trace the lab keeps (null where
 *  the trace has no point). The trace keeps per-step probabilities, scores, |A| and accuracies; the
 *  arms' all-time `samples` and `chosen` counts exist only for the latest state and are written as such. */
function curriculumStates(run: RunRecord, trace: CurriculumTrace | null): (CurriculumState | null)[] {
  if (!trace) return run.metrics.map(() => null);
  const at = new Map(trace.points.map((p) => [p.step, p]));
  return run.metrics.map((m, i) => {
    const p = at.get(m.step);
    if (!p) return null;
    return {
      kind: trace.kind as CurriculumState['kind'],
      name: trace.name,
      step: i + 1,
      scoreLabel: trace.scoreLabel,
      window: trace.latest.window,
      arms: trace.arms.map((id, a) => {
        const latest = trace.latest.arms.find((arm) => arm.id === id);
        return { id, level: latest?.level ?? a, probability: p.probability[a], score: p.score[a], meanAbsAdvantage: p.meanAbsAdvantage[a], accuracy: p.accuracy[a], samples: latest?.samples ?? 0, chosen: latest?.chosen ?? 0 };
      }),
    };
  });
}

/** One replica (or a single-seed run) as an rlvr-lab-run/1 record; its config carries its own seed. */
export function runToFile(run: RunRecord, label?: string): RunFile {
  const seed = run.replica?.seed ?? run.config.seed;
  const config: ExperimentConfig = { ...run.config, seed, seeds: 1 };
  const seconds = run.metrics.reduce((t, m) => t + (Number.isFinite(m.step_time) ? m.step_time : 0), 0);
  return {
    format: RUN_FORMAT,
    ...(label !== undefined ? { label } : {}),
    preset: config.preset,
    link: encodeExperiment(config),
    config,
    backend: 'lab',
    arms: run.curriculum?.arms ?? [...config.task.arms],
    startedAt: new Date(run.createdAt).toISOString(),
    finishedAt: null,
    seconds,
    steps: run.metrics.map((m) => ({ ...m })),
    curriculum: curriculumStates(run, run.curriculum),
    evaluations: run.evaluations.map((e) => ({ afterSteps: e.step, arms: e.results })),
    // A self-play run's iterations (selfplayRecord.ts), as `npm run train` writes them.
    ...(run.selfplay ? { selfplay: { loop: run.selfplay.loop, iterations: run.selfplay.points.map((p) => ({ iteration: p.iteration, ...p.metrics })) } } : {}),
  };
}

/** A group as a file: rlvr-lab-run/1 for one seed, rlvr-lab-seeds/1 with every replica for several. */
export function groupToFile(group: RunGroup): RunFile | SeedsFile {
  if (group.replicas.length === 1) return runToFile(group.replicas[0], group.label);
  const replicas = group.replicas.map((run, i) => ({ seed: group.seeds[i], record: runToFile(run) }));
  const seconds = replicas.reduce((t, r) => t + r.record.seconds, 0);
  // The lab advances its replicas together: the set took as long as its slowest replica.
  const wall = Math.max(...replicas.map((r) => r.record.seconds));
  return { format: SEEDS_FORMAT, label: group.label, seeds: group.seeds, seconds: wall, sequentialSeconds: seconds, parallelism: replicas.length, replicas };
}

/** A file name for a group: its label, made safe, and the seed count. */
export function runFileName(group: RunGroup): string {
  const stem = group.label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';
  return `${stem}${group.replicas.length > 1 ? `-${group.replicas.length}seeds` : ''}.json`;
}

/** What the comparison reads of a lab run (the same fields a Node record has). */
export function comparableReplica(run: RunRecord): ComparableReplica {
  return { seed: run.replica?.seed ?? run.config.seed, steps: run.metrics, evaluations: run.evaluations.map((e) => ({ afterSteps: e.step, arms: e.results })) };
}

export type ImportResult = { ok: true; runIds: string[]; label: string; seeds: number[] } | { ok: false; message: string };

type ImportActions = Pick<RunsState, 'createRunGroup' | 'appendMetrics' | 'appendEvaluation' | 'appendSelfplay' | 'setStatus'>;

/** Reads `text` as a run file and adds its run(s) to the store as stopped runs; a bad file changes nothing. */
export function importRunFile(store: ImportActions, text: string): ImportResult {
  const read = readRunFile(text);
  if (!read.ok) return read;
  const { value } = read;
  const records = value.kind === 'run' ? [value.file] : value.file.replicas.map((r) => r.record);
  const seeds = records.map((r) => r.config.seed);
  // A group's replicas have the seeds seed, seed + 1, … (replicaSeed): a file with other seeds is
  // imported as it would be trained here only if its seeds are consecutive.
  const config: ExperimentConfig = { ...records[0].config, seed: seeds[0], seeds: records.length };
  const expected = seeds.map((_, i) => replicaSeed(config, i));
  if (seeds.join(',') !== expected.join(',')) return { ok: false, message: `This file's seeds (${seeds.join(', ')}) are not consecutive, so they cannot form one multi-seed run here (its replicas have seeds s, s + 1, …).` };
  if (records.length > MAX_SEEDS) return { ok: false, message: `This file has ${records.length} seeds; a run here has at most ${MAX_SEEDS}.` };
  const label = value.file.label ?? (records[0].preset ? `${records[0].preset} (imported)` : undefined);
  const runIds = store.createRunGroup(config, label);
  records.forEach((record, i) => {
    const id = runIds[i];
    record.steps.forEach((m, j) => store.appendMetrics(id, m, (record.curriculum[j] ?? undefined) as CurriculumState | undefined));
    for (const e of record.evaluations) store.appendEvaluation(id, e.afterSteps, e.arms);
    // A self-play run's iterations draw its self-play plots (a loop this lab does not know is skipped).
    const loop = record.selfplay?.loop;
    if (loop !== undefined && isSelfplayLoopId(loop)) {
      for (const { iteration, ...metrics } of record.selfplay!.iterations) if (iteration !== undefined) store.appendSelfplay(id, loop, iteration, metrics);
    }
    store.setStatus(id, 'stopped');
  });
  return { ok: true, runIds, label: label ?? '', seeds };
}
