// npm run curriculum:race -- [--task sorting] [--budget 2048] [--evalEvery 512] [--B 8] [--G 4]
//                            [--evalPrompts 24] [--evalSamples 4] [--target 0.45] [--seed 1] [--lr 0.002]
//                            [--racers uniform,dump,sec,filter] [--out docs/curriculum]
// Curricula compared at equal compute (CPU backend, Node): each racer's run is built by the lab's run
// builder from an experiment config (its curriculum and filter); from the task's base checkpoint, each racer
// trains with the same seed, config and sample budget (completions generated, over-sampling included)
// over ALL of the task's arms — a mixed-difficulty pool — and held-out accuracy is measured every
// `evalEvery` samples on the same prompts (mean over arms of pass@1 by the unbiased estimator, n samples
// per prompt at the training temperature). Racers: uniform, DUMP, SEC, uniform + online difficulty
// filtering. Writes <out>/race-<task>.json (curves, config, seconds) and <out>/race-<task>.svg (a
// hand-drawn line plot), and prints who reached the target accuracy first (in samples spent).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurriculumState } from '../src/curriculum';
import { setBackend } from '../src/engine';
import { CpuBackend } from '../src/engine/backend/cpu/cpuBackend';
import { buildRun, buildTrainer } from '../src/experiment/runBuilder';
import { defaultCurriculum, experimentSchema, type CurriculumSettings } from '../src/experiment/schema';
import { disposeParams } from '../src/model/params';
import { evaluateArm } from '../src/rl/evaluate';
import { getTask } from '../src/tasks/registry';
import { nodeCheckpointLoader } from './nodeRun';


function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
function num(name: string, fallback: number): number {
  const v = Number(arg(name, String(fallback)));
  if (!Number.isFinite(v)) throw new Error(`--${name} must be a number`);
  return v;
}

interface Racer {
  id: string;
  label: string;
  curriculum: CurriculumSettings;
  filter: boolean;
}

const RACERS: Racer[] = [
  { id: 'uniform', label: 'uniform', curriculum: defaultCurriculum('uniform'), filter: false },
  { id: 'dump', label: 'DUMP (UCB on mean |A|)', curriculum: defaultCurriculum('dump'), filter: false },
  { id: 'sec', label: 'SEC (Q on mean |A|)', curriculum: defaultCurriculum('sec'), filter: false },
  { id: 'filter', label: 'uniform + filter [0.2, 0.8]', curriculum: defaultCurriculum('uniform'), filter: true },
];

interface CurvePoint {
  samples: number;
  step: number;
  accuracy: number;
  perArm: Record<string, number>;
  seconds: number;
}

interface RaceResult {
  id: string;
  label: string;
  curve: CurvePoint[];
  /** Samples spent when the held-out accuracy first reached the target (null: never, within the budget). */
  reachedAt: number | null;
  steps: number;
  seconds: number;
  finalCurriculum: CurriculumState;
  /** Mean fraction of generated groups the filter removed (filter racer). */
  meanFracFiltered: number | null;
}

const f = (v: number, d = 3) => v.toFixed(d);

async function main(): Promise<void> {
  setBackend(new CpuBackend());
  const taskId = arg('task', 'sorting');
  const budget = num('budget', 2048);
  const evalEvery = num('evalEvery', 512);
  const B = num('B', 8);
  const G = num('G', 4);
  const evalPrompts = num('evalPrompts', 24);
  const evalSamples = num('evalSamples', 4);
  const target = num('target', 0.45);
  const seed = num('seed', 1);
  const lr = num('lr', 2e-3);
  const out = arg('out', 'docs/curriculum');
  const racerIds = arg('racers', RACERS.map((r) => r.id).join(',')).split(',');
  const racers = RACERS.filter((r) => racerIds.includes(r.id));

  const task = getTask(taskId);
  const arms = task.arms.map((a) => ({ id: a.id, level: a.level }));
  const FILTER = { enabled: true, lo: 0.2, hi: 0.8, mode: 'inclusive' as const, budget: 3, maxRounds: 3 };
  /** A racer's experiment: every arm of the task, the racer's curriculum and filter; the rest shared. */
  const experiment = (racer: Racer) =>
    experimentSchema.parse({
      seed,
      task: { id: taskId, arms: arms.map((a) => a.id) },
      algorithm: { promptsPerStep: B, samplesPerPrompt: G, lr },
      curriculum: racer.curriculum,
      filter: racer.filter ? FILTER : { enabled: false },
      run: { steps: 100000, evalEvery: 0 },
    });
  const loadCheckpoint = nodeCheckpointLoader();
  console.log(`race: task ${taskId}, arms ${arms.map((a) => a.id).join(',')}, B=${B} G=${G}, budget ${budget} samples, eval every ${evalEvery} (${evalPrompts} prompts × ${evalSamples} per arm), target ${target}, seed ${seed}`);
  const results: RaceResult[] = [];
  for (const racer of racers) {
    // The one run builder: the racer's curriculum and filter come from its experiment config.
    const run = await buildRun(experiment(racer), { loadCheckpoint });
    const { params, curriculum, modelConfig } = run;
    const trainer = buildTrainer(run);
    const config = trainer.config;
    const started = performance.now();
    const curve: CurvePoint[] = [];
    const fracs: number[] = [];
    const evaluate = async (samples: number) => {
      const perArm: Record<string, number> = {};
      for (const a of arms) {
        const e = await evaluateArm(modelConfig, params, task, a.id, { prompts: evalPrompts, samplesPerPrompt: evalSamples, temperature: config.temperature, seed: 7919, maxNewTokens: config.maxNewTokens });
        perArm[a.id] = e.passAtK['1'];
      }
      const accuracy = Object.values(perArm).reduce((s, v) => s + v, 0) / arms.length;
      curve.push({ samples, step: trainer.step, accuracy, perArm, seconds: (performance.now() - started) / 1000 });
      console.log(`  ${racer.id.padEnd(8)} samples ${String(samples).padStart(6)} step ${String(trainer.step).padStart(4)}  acc ${f(accuracy)}  [${arms.map((a) => `${a.id} ${f(perArm[a.id], 2)}`).join(' ')}]  p=[${curriculum.state().arms.map((a) => f(a.probability, 2)).join(' ')}]  ${f((performance.now() - started) / 1000, 0)} s`);
    };
    await evaluate(0);
    let nextEval = evalEvery;
    while (trainer.samplesSpent < budget) {
      const { metrics } = await trainer.trainStep();
      if (metrics.filtering) fracs.push(metrics.filtering.frac_filtered);
      if (trainer.samplesSpent >= nextEval || trainer.samplesSpent >= budget) {
        await evaluate(trainer.samplesSpent);
        while (nextEval <= trainer.samplesSpent) nextEval += evalEvery;
      }
    }
    const reached = curve.find((p) => p.accuracy >= target);
    results.push({
      id: racer.id,
      label: racer.label,
      curve,
      reachedAt: reached ? reached.samples : null,
      steps: trainer.step,
      seconds: (performance.now() - started) / 1000,
      finalCurriculum: curriculum.state(),
      meanFracFiltered: fracs.length > 0 ? fracs.reduce((a, b) => a + b, 0) / fracs.length : null,
    });
    trainer.dispose();
    disposeParams(params);
  }

  mkdirSync(out, { recursive: true });
  const record = {
    format: 'rlvr-lab-curriculum-race/1',
    task: taskId,
    arms: arms.map((a) => a.id),
    config: { B, G, lr, seed, budget, evalEvery, evalPrompts, evalSamples, target, temperature: experiment(racers[0]).algorithm.temperature, answerBudget: task.answerBudget, filter: FILTER },
    metric: 'held-out pass@1 (unbiased, n = evalSamples at the training temperature), mean over all arms',
    madeAt: new Date().toISOString(),
    results,
  };
  writeFileSync(join(out, `race-${taskId}.json`), JSON.stringify(record, null, 2) + '\n');
  writeFileSync(join(out, `race-${taskId}.svg`), svgPlot(results, target, `${taskId}: held-out pass@1 (mean over arms) vs samples spent`));

  console.log('\nrace: results (first to reach the target wins; ties broken by the later accuracy)');
  const ranked = [...results].sort((a, b) => (a.reachedAt ?? Infinity) - (b.reachedAt ?? Infinity) || b.curve.at(-1)!.accuracy - a.curve.at(-1)!.accuracy);
  for (const r of ranked) {
    const last = r.curve.at(-1)!;
    console.log(
      `  ${r.id.padEnd(8)} ${r.reachedAt !== null ? `reached ${target} at ${r.reachedAt} samples` : `did not reach ${target}`}; final acc ${f(last.accuracy)} after ${r.steps} steps (${f(r.seconds, 0)} s)` +
        (r.meanFracFiltered !== null ? `; mean frac filtered ${f(r.meanFracFiltered, 2)}` : ''),
    );
  }
  const winner = ranked[0];
  console.log(winner.reachedAt !== null ? `race: first to ${target}: ${winner.id}` : `race: no racer reached ${target} within ${budget} samples`);
  console.log(`race: wrote ${join(out, `race-${taskId}.json`)} and ${join(out, `race-${taskId}.svg`)}`);
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small self-contained SVG line plot: accuracy against samples spent, one line per racer. */
export function svgPlot(results: RaceResult[], target: number, title: string): string {
  const W = 640;
  const H = 400;
  const m = { left: 56, right: 180, top: 36, bottom: 48 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const xs = results.flatMap((r) => r.curve.map((p) => p.samples));
  const ys = results.flatMap((r) => r.curve.map((p) => p.accuracy)).concat([target]);
  const xMax = Math.max(1, ...xs);
  const yLo = Math.max(0, Math.floor((Math.min(...ys) - 0.02) * 20) / 20);
  const yHi = Math.min(1, Math.ceil((Math.max(...ys) + 0.02) * 20) / 20);
  const X = (v: number) => m.left + (v / xMax) * pw;
  const Y = (v: number) => m.top + ph - ((v - yLo) / Math.max(1e-9, yHi - yLo)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.left}" y="20" font-size="14">${escapeXml(title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const v = yLo + ((yHi - yLo) * i) / 5;
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.left - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(2)}</text>`);
    const xv = (xMax * i) / 5;
    parts.push(`<line x1="${X(xv).toFixed(1)}" x2="${X(xv).toFixed(1)}" y1="${m.top}" y2="${m.top + ph}" stroke="#eee"/>`);
    parts.push(`<text x="${X(xv).toFixed(1)}" y="${m.top + ph + 16}" text-anchor="middle">${Math.round(xv)}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${H - 10}" text-anchor="middle">samples spent (completions generated)</text>`);
  parts.push(`<text transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">held-out pass@1</text>`);
  if (target >= yLo && target <= yHi) {
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${Y(target).toFixed(1)}" y2="${Y(target).toFixed(1)}" stroke="#555" stroke-dasharray="4 4"/>`);
    parts.push(`<text x="${m.left + pw - 4}" y="${(Y(target) - 4).toFixed(1)}" text-anchor="end" fill="#555">target ${target}</text>`);
  }
  results.forEach((r, i) => {
    const color = COLORS[i % COLORS.length];
    const d = r.curve.map((p, j) => `${j === 0 ? 'M' : 'L'}${X(p.samples).toFixed(1)} ${Y(p.accuracy).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of r.curve) parts.push(`<circle cx="${X(p.samples).toFixed(1)}" cy="${Y(p.accuracy).toFixed(1)}" r="2.5" fill="${color}"/>`);
    const ly = m.top + 10 + i * 20;
    parts.push(`<line x1="${m.left + pw + 12}" x2="${m.left + pw + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${m.left + pw + 38}" y="${ly + 4}">${escapeXml(r.id)}${r.reachedAt !== null ? ` (${r.reachedAt})` : ''}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
