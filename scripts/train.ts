// npm run train -- --preset <id> [--steps N] [--out docs/runs/<name>] [--link '#v=1&x=…'] [--init base|random|sft]
//   [--set algorithm.lr=3e-4,…] [--checkpoint file.safetensors] [--arms d1,d2] [--eval-every N] [--eval-prompts N] [--eval-samples N]
//   [--seeds N]  (N replicas, seeds seed … seed + N − 1, in parallel child processes: scripts/trainSeeds.ts)
// (.npmrc sets ignore-scripts, so npm does not run the `pretrain` script as a pre-hook of `train`.)
// Runs one experiment in Node on the CPU backend, through the lab's own training session and run builder
// (scripts/nodeRun.ts), so the preset's curriculum, filter, reward and answer budget apply as in the page:
// the preset laid over the defaults (or the experiment
// of a link), the task's base checkpoint from public/checkpoints when model.init is 'base' (a seeded
// random init otherwise, first warmed up by model.sftSteps supervised steps when it is 'sft'), held-out
// pass@k per RL arm before training, every run.evalEvery steps and at the end. Writes <out>/metrics.json
// (config, link, per-step metrics, the curriculum's state after each step, evaluations) and <out>/metrics.csv (one row per step, TRL-style
// column names such as kl/k3 and clip_ratio/high_mean; an evaluation taken after step s appears as
// eval/<arm>/… columns on the row of step s, i.e. StepMetrics.step = s − 1).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRESETS, isPresetId, presetConfig } from '../src/experiment/presets';
import { RUN_FORMAT, type RunFile, type RunFileEvaluation } from '../src/experiment/runFile';
import { experimentSchema, type ExperimentConfig } from '../src/experiment/schema';
import { decodeExperiment, encodeExperiment } from '../src/experiment/urlCodec';
import { defaultGptConfig, parameterCount } from '../src/model/config';
import { selfplayEvaluations } from '../src/experiment/selfplayRecord';
import { CHECKPOINTS, nodeCheckpointLoader, runExperimentInNode } from './nodeRun';
import { trainSeeds } from './trainSeeds';

/** The record this script writes: a run file (src/experiment/runFile.ts), which the lab imports. */
type RunRecord = RunFile & { model: NonNullable<RunFile['model']> };
type Evaluation = RunFileEvaluation;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Every value of a flag that may be given more than once. */
function argValues(name: string): string[] {
  return process.argv.flatMap((a, i) => (a === `--${name}` && i + 1 < process.argv.length ? [process.argv[i + 1]] : []));
}

function fail(message: string): never {
  console.error(`train: ${message}`);
  process.exit(1);
}

function readExperiment(): ExperimentConfig {
  const linkArg = argValue('link');
  const presetArg = argValue('preset');
  let config: ExperimentConfig;
  if (linkArg !== undefined) {
    const { config: fromLink, notes } = decodeExperiment(linkArg);
    for (const note of notes) console.warn(`link: ${note}`);
    config = fromLink;
  } else {
    const id = presetArg ?? 'default';
    if (!isPresetId(id)) fail(`unknown preset ${JSON.stringify(id)} (presets: ${PRESETS.map((p) => p.id).join(', ')})`);
    config = presetConfig(id);
  }
  const steps = argValue('steps');
  if (steps !== undefined) {
    if (!/^[0-9]+$/.test(steps)) fail(`--steps must be a whole number, got ${JSON.stringify(steps)}`);
    config.run.steps = Number(steps);
  }
  const arms = argValue('arms');
  if (arms !== undefined) config.task.arms = arms.split(',');
  for (const key of ['evalEvery', 'evalPrompts', 'evalSamples'] as const) {
    const v = argValue(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    if (v !== undefined) config.run[key] = Number(v);
  }
  // --set algorithm.lr=3e-4,algorithm.promptsPerStep=32: any numeric/boolean/string field by its path.
  // Every --set counts (--seeds adds its own `--set seed=…` after the user's).
  for (const assignment of argValues('set').flatMap((v) => v.split(',')).filter(Boolean)) {
    const [path, raw] = assignment.split('=');
    const keys = path.split('.');
    let target = config as unknown as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
    const last = keys[keys.length - 1];
    if (!target || !(last in target)) fail(`--set: unknown field ${path}`);
    target[last] = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  const init = argValue('init');
  if (init !== undefined) {
    if (init !== 'base' && init !== 'random' && init !== 'sft') fail(`--init must be base, random or sft, got ${JSON.stringify(init)}`);
    config.model.init = init;
  }
  const checked = experimentSchema.safeParse(config);
  if (!checked.success) fail(`invalid experiment: ${checked.error.message}`);
  return checked.data;
}

/** Nested objects flattened to `a/b/c` keys, as TRL and W&B name logged metrics. */
function flatten(value: unknown, prefix: string, out: Record<string, number | string>): Record<string, number | string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}/${k}` : k, out);
  } else if (typeof value === 'number' || typeof value === 'string') out[prefix] = value;
  return out;
}

function evaluationColumns(e: Evaluation): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const a of e.arms) {
    for (const [k, v] of Object.entries(a.passAtK)) out[`eval/${a.arm}/pass@${k}`] = v;
    out[`eval/${a.arm}/mean@n`] = a.meanAtN;
    if (a.greedyAccuracy !== null) out[`eval/${a.arm}/greedy_accuracy`] = a.greedyAccuracy;
  }
  return out;
}

function csvCell(v: number | string | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(record: RunRecord): string {
  const rows = record.steps.map((m) => {
    const row = flatten(m, '', {});
    const evaluation = record.evaluations.find((e) => e.afterSteps === m.step + 1);
    return evaluation ? { ...row, ...evaluationColumns(evaluation) } : row;
  });
  const columns: string[] = ['step'];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return [columns.join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join('\n') + '\n';
}

function save(out: string, record: RunRecord): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(record, null, 2) + '\n');
  writeFileSync(join(out, 'metrics.csv'), toCsv(record));
}

const f = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

function describeEvaluation(e: Evaluation): string {
  return e.arms
    .map((a) => {
      const ks = Object.keys(a.passAtK).map(Number);
      const top = Math.max(...ks);
      return `${a.arm} pass@1 ${f(a.passAtK['1'])} pass@${top} ${f(a.passAtK[String(top)])}${a.greedyAccuracy !== null ? ` greedy ${f(a.greedyAccuracy)}` : ''}`;
    })
    .join(' | ');
}

async function main(): Promise<void> {
  const config = readExperiment();
  const name = config.preset || 'custom';
  const out = argValue('out') ?? join('docs/runs', name);
  // --seeds N, or an experiment (a link, a preset) whose `seeds` is above 1.
  const seeds = argValue('seeds') ?? (config.seeds > 1 ? String(config.seeds) : undefined);
  if (seeds !== undefined) {
    if (!/^[1-8]$/.test(seeds)) fail(`--seeds must be a whole number from 1 to 8, got ${JSON.stringify(seeds)}`);
    const set = await trainSeeds(process.argv.slice(2), config.seed, Number(seeds), out);
    console.log(`train: ${set.seeds.length} seeds (${set.seeds.join(', ')}) in ${f(set.seconds, 1)} s on ${set.parallelism} processes; one after another they took ${f(set.sequentialSeconds, 1)} s of their own time. Wrote ${join(out, 'metrics.json')} and seed-*/`);
    return;
  }
  if (config.reward.kind === 'code') fail('this experiment uses reward code, which runs only in the browser\'s reward sandbox; run it in the lab.');
  const checkpointFile = argValue('checkpoint');
  const record: RunRecord = {
    format: RUN_FORMAT,
    preset: config.preset,
    link: encodeExperiment(config),
    config,
    backend: 'cpu',
    model: { init: config.model.init, checkpoint: null, config: defaultGptConfig, parameters: parameterCount(defaultGptConfig) },
    arms: [],
    startedAt: new Date().toISOString(),
    finishedAt: null,
    seconds: 0,
    steps: [],
    curriculum: [],
    evaluations: [],
  };
  const { steps } = config.run;
  const started = performance.now();
  console.log(`train: preset ${name}, task ${config.task.id}, ${config.model.init} init, ${steps} steps, CPU backend (the lab's training session)`);
  console.log(`train: link ${record.link}`);
  let lastEval = performance.now();
  const result = await runExperimentInNode(config, {
    ...(checkpointFile ? { checkpointFile } : {}),
    onEvent: (e) => {
      if (e.type === 'log') console.log(`train: ${e.message}`);
      if (e.type === 'sftProgress' && (e.step % Math.max(1, Math.round(e.total / 10)) === 0 || e.step === e.total)) console.log(`sft warm-up ${e.step}/${e.total}  loss ${f(e.loss)}`);
      if (e.type === 'runInfo') console.log(`train: arms ${e.arms.join(',')}, ${e.parameters} parameters`);
      if (e.type === 'selfplayMetrics') {
        const m = e.metrics;
        const shown = ['heldout/mean', 'bstar/temperature', 'bstar/balance', 'explore/pass_at_k', 'explore/distinct_correct', 'exploit/reward_at_k', 'train/loss'].filter((k) => m[k] !== undefined);
        console.log(`${e.loop} iteration ${e.iteration}/${config.selfplay.iterations}  ${shown.map((k) => `${k} ${f(m[k])}`).join('  ')}`);
      }
      if (e.type === 'evaluation') {
        const evaluation: Evaluation = { afterSteps: e.step, arms: e.results };
        console.log(`eval after ${e.step} steps: ${describeEvaluation(evaluation)} (${f((performance.now() - lastEval) / 1000, 1)} s)`);
      }
      if (e.type === 'metrics') {
        const m = e.metrics;
        lastEval = performance.now();
        console.log(
          `step ${String(m.step + 1).padStart(String(steps).length)}/${steps}  reward ${f(m.reward)} ±${f(m.reward_std)}  zero-std ${f(m.frac_reward_zero_std, 2)}  ` +
            `entropy ${f(m.entropy)}  kl(k3) ${f(m.kl.k3, 4)}  clip ${f(m.clip_ratio.region_mean)}  loss ${f(m.loss, 4)}  |g| ${f(m.grad_norm)}  ` +
            `len ${f(m.completions.mean_length, 2)}  cut ${f(m.completions.clipped_ratio, 2)}  ${f(m.step_time, 2)} s`,
        );
        // Saved as it goes: a long recording interrupted keeps what it had.
        record.steps.push(m);
        record.curriculum.push(e.curriculum ?? null);
        record.seconds = (performance.now() - started) / 1000;
        if (m.step % 10 === 9) save(out, record);
      }
    },
  });
  if (result.outcome.state !== 'stopped' || result.errors.length > 0) fail(`the run did not finish: ${result.outcome.message || result.errors.join('; ')}`);
  record.arms = result.info?.arms ?? [];
  if (config.model.init === 'base') {
    const base = await nodeCheckpointLoader(CHECKPOINTS, checkpointFile)(config.task.id);
    record.model = { init: 'base', checkpoint: base.url, config: base.checkpoint.config, parameters: parameterCount(base.checkpoint.config) };
  }
  record.steps = result.steps;
  record.curriculum = result.curriculum;
  record.evaluations = result.evaluations;
  if (result.selfplay) {
    // A self-play run: its iterations, and the held-out evaluations they carry (selfplayRecord.ts).
    record.selfplay = result.selfplay;
    record.evaluations = selfplayEvaluations(result.selfplay, config.task.id, config.run.evalPrompts);
  }
  record.finishedAt = new Date().toISOString();
  record.seconds = result.seconds;
  save(out, record);
  console.log(`train: wrote ${join(out, 'metrics.json')} and ${join(out, 'metrics.csv')} (${record.steps.length} steps, ${record.evaluations.length} evaluations, ${f(record.seconds, 1)} s)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
