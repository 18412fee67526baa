// npm run selfplay -- --loop <propose-solve|spin|creator-solver|self-consuming> [--iterations N] [--out docs/selfplay/<loop>] [--seed S]
//                      [--task addition|program]   (propose-solve: the grammar proposals are written in)
// npm run selfplay -- --replot docs/selfplay/<loop>   redraw curves.svg from a recorded metrics.json
// A recording at the default --out also rewrites the lab's replay of it, docs/selfplay/replays/<loop>.json.
// Runs one self-play loop (src/selfplay) in Node on the CPU backend from the task's base checkpoint in
// public/checkpoints, and writes <out>/metrics.json (config, the held-out evaluation before the loop,
// every iteration's metrics, per variant) and <out>/curves.svg. Loops with a comparison run each
// variant from the same checkpoint: creator-solver also runs a fresh-prompts-only GRPO baseline with the
// same budget; spin also runs plain SFT on the same real pairs; self-consuming runs pure
// self-consumption (at temperature 1 and 0.7), a fresh-real-data fraction, and verifier curation.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { setBackend } from '../src/engine';
import { CpuBackend } from '../src/engine/backend/cpu/cpuBackend';
import { parameterCount, type GptConfig } from '../src/model/config';
import { createParams, disposeParams, readParams, type GptParams } from '../src/model/params';
import { buildRun } from '../src/experiment/runBuilder';
import { experimentSchema } from '../src/experiment/schema';
import { nodeCheckpointLoader } from './nodeRun';
import { evaluateHeldOut, heldOutSet, summariseHeldOut, type HeldOutSummary } from '../src/selfplay/common';
import { CreatorSolverLoop, type CreatorSolverConfig, type CreatorSolverMetrics } from '../src/selfplay/creatorSolver';
import type { PartialConfig } from '../src/selfplay/config';
import { ProposeSolveLoop, type ProposeSolveConfig, type ProposeSolveMetrics } from '../src/selfplay/proposeSolve';
import { SelfConsumingLoop, type SelfConsumingConfig, type SelfConsumingMetrics } from '../src/selfplay/selfConsuming';
import { SELFPLAY_LOOP_IDS, SELFPLAY_REGISTRY, isSelfplayLoopId, type SelfplayLoopId } from '../src/selfplay/registry';
import { SpinLoop, type SpinConfig, type SpinMetrics } from '../src/selfplay/spin';
import { SftTrainer } from '../src/model/sft';
import { SELFPLAY_ADAMW } from '../src/selfplay/common';
import { createRng } from '../src/tasks/random';
import { encodeCompletion, encodePrompt } from '../src/tasks/tokenizer';
import { getTask } from '../src/tasks/registry';
import { COLOURS, ema, figure, type Line, type Panel } from './selfplayPlot';
import { recordingPath, replayPath, replayText, SELFPLAY_REPLAY_DIR } from './selfplayReplayFiles';

// The loops, their recorded runs' lengths and evaluation cadence: the registry's (src/selfplay/registry.ts).
const LOOPS = SELFPLAY_LOOP_IDS;
type LoopId = SelfplayLoopId;
/** Held-out evaluation every this many iterations in the recorded runs (the loops default to 1). */
const EVAL_EVERY = (loop: LoopId): number => SELFPLAY_REGISTRY[loop].recorded.evalEvery;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  console.error(`selfplay: ${message}`);
  process.exit(1);
}

function wholeNumber(name: string, fallback: number): number {
  const v = argValue(name);
  if (v === undefined) return fallback;
  if (!/^[0-9]+$/.test(v)) fail(`--${name} must be a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

interface Variant<M> {
  name: string;
  config: unknown;
  /** Extra facts about the start (e.g. the warm-up's loss). */
  start?: Record<string, unknown>;
  /** Held-out evaluation before the first iteration. */
  baseline: HeldOutSummary;
  iterations: M[];
  seconds: number;
}

interface RunRecord {
  format: 'rlvr-lab-selfplay/1';
  loop: LoopId;
  command: string;
  backend: 'cpu';
  checkpoint: BaseCheckpoint;
  model: { config: GptConfig; parameters: number };
  seed: number;
  startedAt: string;
  seconds: number;
  variants: Variant<unknown>[];
}

interface BaseCheckpoint {
  file: string;
  /** The exact weights the run started from (checkpoints are re-made now and then). */
  sha256: string;
  /** The manifest's record of how it was made, when there is one. */
  made: string | null;
  steps: number | null;
}

/** The base policy of a task, through the lab's run builder (the same checkpoint loading, context check
 *  and model the page and `npm run train` use); each variant then starts from a fresh copy of its weights. */
async function loadBase(task: string, loop: SelfplayLoopId): Promise<{ config: GptConfig; values: Map<string, Float32Array>; file: BaseCheckpoint }> {
  const run = await buildRun(experimentSchema.parse({ task: { id: task }, selfplay: { loop } }), { loadCheckpoint: nodeCheckpointLoader() });
  const values = await readParams(run.params);
  disposeParams(run.params);
  const path = run.checkpoint ?? `public/checkpoints/${task}.safetensors`;
  let made: string | null = null;
  let steps: number | null = null;
  try {
    const entry = JSON.parse(readFileSync('public/checkpoints/manifest.json', 'utf8'))[task];
    made = typeof entry?.made === 'string' ? entry.made : null;
    steps = typeof entry?.steps === 'number' ? entry.steps : null;
  } catch {
    // No manifest: the hash still identifies the weights.
  }
  const sha256 = createHash('sha256').update(new Uint8Array(readFileSync(path))).digest('hex');
  return { config: run.modelConfig, values, file: { file: path, sha256, made, steps } };
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function log(prefix: string, fields: Record<string, number | string | null | undefined>): void {
  const parts = Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${typeof v === 'number' ? round(v) : v}`);
  console.log(`[${prefix}] ${parts.join('  ')}`);
}

interface LoopLike<M> {
  runIteration(): Promise<M>;
  dispose(): void;
  config: unknown;
}

/** Builds a loop on a fresh copy of the base weights, prepares it (warm-up, baseline evaluation), runs it. */
async function runVariant<L extends LoopLike<M>, M extends { seconds: number }>(
  name: string,
  iterations: number,
  make: () => { loop: L; params: GptParams },
  prepare: (loop: L) => Promise<{ baseline: HeldOutSummary; start?: Record<string, unknown> }>,
  describe: (m: M) => Record<string, number | string | null | undefined>,
): Promise<Variant<M>> {
  const started = performance.now();
  const { loop, params } = make();
  const { baseline, start } = await prepare(loop);
  log(`${name} start`, { heldout: baseline.mean, ...baseline.accuracy });
  const out: M[] = [];
  for (let i = 0; i < iterations; i++) {
    const m = await loop.runIteration();
    out.push(m);
    log(`${name} ${i}`, { ...describe(m), s: m.seconds });
  }
  const config = loop.config;
  loop.dispose();
  disposeParams(params);
  return { name, config, ...(start ? { start } : {}), baseline, iterations: out, seconds: Math.round((performance.now() - started) / 1000) };
}

// ---------------------------------------------------------------------------------------------- loops

/** propose-solve's grammar: addition (a+b=) or program (the expression language), per --task. */
const PROPOSE_SOLVE_TASKS: Record<string, PartialConfig<ProposeSolveConfig>> = {
  addition: {},
  program: { task: 'program', warmup: { arms: ['p1', 'p2', 'p3', 'p4'] }, eval: { arms: ['p1', 'p2', 'p3', 'p4'] } },
};

async function proposeSolve(n: number, seed: number): Promise<{ file: BaseCheckpoint; config: GptConfig; variants: Variant<ProposeSolveMetrics>[] }> {
  const taskId = argValue('task') ?? 'addition';
  const overrides = PROPOSE_SOLVE_TASKS[taskId] ?? fail(`--task for propose-solve must be one of ${Object.keys(PROPOSE_SOLVE_TASKS).join(', ')}`);
  const base = await loadBase(taskId, 'propose-solve');
  const task = getTask(taskId);
  const variant = await runVariant<ProposeSolveLoop, ProposeSolveMetrics>(
    'propose-solve',
    n,
    () => {
      const params = createParams(base.config, base.values);
      return { params, loop: new ProposeSolveLoop(base.config, params, { ...overrides, seed, evalEvery: EVAL_EVERY('propose-solve') }) };
    },
    async (loop) => {
      // The base model on its own prompt format (BOS + problem), before the warm-up teaches the roles.
      const plain = summariseHeldOut(await evaluateHeldOut(loop.modelConfig, loop.params, task, heldOutSet(task, loop.config.eval), loop.config.eval));
      log('propose-solve base, plain prompts', { heldout: plain.mean, ...plain.accuracy });
      const t = performance.now();
      const warm = await loop.warmUp();
      log('propose-solve warm-up', { steps: warm.steps, loss: warm.loss, s: (performance.now() - t) / 1000 });
      const baseline = summariseHeldOut(await loop.evaluate());
      return { baseline, start: { base_heldout_plain_prompt: plain, warmup: warm, warmup_seconds: Math.round((performance.now() - t) / 1000) } };
    },
    (m) => ({
      valid: m.validity_rate,
      diversity: m.diversity,
      r_prop: m.proposer_reward,
      learnable: m.learnable_fraction,
      acc_on_proposals: m.difficulty.solver_accuracy,
      digits: m.difficulty.operand_digits,
      heldout: m.heldout?.mean,
      ex: m.examples.slice(0, 2).join(' | '),
    }),
  );
  return { file: base.file, config: base.config, variants: [variant] };
}

interface SftBaselineMetrics {
  iteration: number;
  loss: number;
  heldout: HeldOutSummary | null;
  seconds: number;
}

/** The comparison SPIN claims to beat: plain SFT on the same real pairs, same steps and learning rate. */
class SftSameData {
  readonly spinLoop: SpinLoop;
  readonly sft: SftTrainer;
  iteration = 0;

  constructor(modelConfig: GptConfig, params: GptParams, overrides: PartialConfig<SpinConfig>) {
    this.spinLoop = new SpinLoop(modelConfig, params, overrides); // for its dataset, batches and evaluation
    const c = this.spinLoop.config;
    this.sft = new SftTrainer(modelConfig, params, { lr: c.lr, ...SELFPLAY_ADAMW });
  }

  get config() {
    return { ...this.spinLoop.config, objective: 'sft on the real answers' };
  }

  evaluate() {
    return this.spinLoop.evaluate();
  }

  async runIteration(): Promise<SftBaselineMetrics> {
    const started = performance.now();
    const c = this.spinLoop.config;
    const rng = createRng(c.seed + 1000 * (this.iteration + 1));
    let loss = 0;
    let steps = 0;
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      const order = rng.shuffle(this.spinLoop.dataset);
      for (let start = 0; start < order.length; start += c.batchSize) {
        const batch = order.slice(start, start + c.batchSize).map((p) => ({ prompt: encodePrompt(p.prompt), completion: encodeCompletion(p.answer) }));
        loss += (await this.sft.step(batch)).loss;
        steps++;
      }
    }
    this.iteration++;
    const heldout = this.iteration % EVAL_EVERY('spin') === 0 ? summariseHeldOut(await this.evaluate()) : null;
    return { iteration: this.iteration - 1, loss: loss / Math.max(1, steps), heldout, seconds: (performance.now() - started) / 1000 };
  }

  dispose(): void {
    this.sft.dispose();
    this.spinLoop.dispose();
  }
}

async function spin(n: number, seed: number) {
  const base = await loadBase('addition', 'spin');
  const variant = await runVariant<SpinLoop, SpinMetrics>(
    'spin',
    n,
    () => {
      const params = createParams(base.config, base.values);
      return { params, loop: new SpinLoop(base.config, params, { seed, evalEvery: EVAL_EVERY('spin') }) };
    },
    async (loop) => ({ baseline: summariseHeldOut(await loop.evaluate()) }),
    (m) => ({
      loss: m.loss,
      real: m.rewards_real,
      gen: m.rewards_generated,
      margin: m.margin,
      disc_acc: m.discrimination_accuracy,
      end_disc_acc: m.end_discrimination_accuracy,
      ties: m.generated_equals_real,
      heldout: m.heldout?.mean,
    }),
  );
  const sft = await runVariant<SftSameData, SftBaselineMetrics>(
    'sft-same-data',
    n,
    () => {
      const params = createParams(base.config, base.values);
      return { params, loop: new SftSameData(base.config, params, { seed }) };
    },
    async (loop) => ({ baseline: summariseHeldOut(await loop.evaluate()) }),
    (m) => ({ loss: m.loss, heldout: m.heldout?.mean }),
  );
  return { file: base.file, config: base.config, variants: [variant, sft] as Variant<unknown>[] };
}

async function creatorSolver(n: number, seed: number) {
  const base = await loadBase('addition', 'creator-solver');
  const variants: Variant<CreatorSolverMetrics>[] = [];
  const settings: [string, PartialConfig<CreatorSolverConfig>][] = [
    ['creator', {}],
    // The same solver and budget on fresh prompts only: plain GRPO, the comparison the buffer must beat.
    ['fresh-only', { freshFraction: 1, evolveFraction: 0 }],
  ];
  for (const [name, overrides] of settings) {
    variants.push(
      await runVariant<CreatorSolverLoop, CreatorSolverMetrics>(
        name,
        n,
        () => {
          const params = createParams(base.config, base.values);
          return { params, loop: new CreatorSolverLoop(base.config, params, { seed, evalEvery: EVAL_EVERY('creator-solver'), ...overrides }) };
        },
        async (loop) => ({ baseline: summariseHeldOut(await loop.evaluate()) }),
        (m) => ({
          acc: m.solver_accuracy,
          informative: m.informative_fraction,
          regret: m.informativeness,
          batch: `${m.batch.fresh}/${m.batch.evolved}/${m.batch.replay}`,
          buffer_difficulty: m.buffer.difficulty,
          digits: m.buffer.operand_digits,
          heldout: m.heldout?.mean,
        }),
      ),
    );
  }
  return { file: base.file, config: base.config, variants };
}

async function selfConsuming(n: number, seed: number) {
  const base = await loadBase('addition', 'self-consuming');
  const variants: Variant<SelfConsumingMetrics>[] = [];
  const settings: [string, PartialConfig<SelfConsumingConfig>][] = [
    ['pure', {}],
    // Sampling below temperature 1 is the classic recipe for diversity collapse.
    ['pure-T0.7', { temperature: 0.7 }],
    ['fresh-50%', { freshFraction: 0.5 }],
    ['curated', { curate: true }],
  ];
  for (const [name, overrides] of settings) {
    variants.push(
      await runVariant<SelfConsumingLoop, SelfConsumingMetrics>(
        name,
        n,
        () => {
          const params = createParams(base.config, base.values);
          return { params, loop: new SelfConsumingLoop(base.config, params, { seed, ...overrides }) };
        },
        async (loop) => {
          const generation0 = await loop.evaluate();
          return { baseline: generation0.heldout, start: { generation0 } };
        },
        (m) => ({
          gen: m.generation,
          heldout: m.heldout.mean,
          greedy: m.heldout.greedy ? Object.values(m.heldout.greedy).reduce((a, b) => a + b, 0) / Object.values(m.heldout.greedy).length : null,
          diversity: m.diversity,
          entropy: m.entropy,
          len: m.mean_length,
          data_acc: m.train.data_accuracy,
          examples: m.train.examples,
        }),
      ),
    );
  }
  return { file: base.file, config: base.config, variants };
}

/** Each registered loop's recorded experiment (its variants and comparisons): a loop added to the
 *  registry fails the typecheck here until it has one. */
const EXPERIMENTS: Record<LoopId, (iterations: number, seed: number) => Promise<{ file: BaseCheckpoint; config: GptConfig; variants: Variant<unknown>[] }>> = {
  'propose-solve': proposeSolve,
  spin,
  'creator-solver': creatorSolver,
  'self-consuming': selfConsuming,
};

// -------------------------------------------------------------------------------------------- figures

const heldOutLines = (its: { heldout: HeldOutSummary | null }[], offset: number, baseline: HeldOutSummary, dashed = false, suffix = ''): Line[] =>
  Object.keys(baseline.accuracy).map((arm, i) => ({
    label: `${arm}${suffix}`,
    colour: COLOURS[i],
    dashed,
    points: [[0, baseline.accuracy[arm]] as [number, number], ...its.flatMap((m, k) => (m.heldout ? [[k + offset, m.heldout.accuracy[arm]] as [number, number]] : []))],
  }));

function figureFor(loop: LoopId, variants: Variant<unknown>[]): string {
  const xs = <M>(its: M[], f: (m: M) => number | null, smooth = false): [number, number][] => {
    const raw = its.map(f);
    const values = smooth ? ema(raw.map((v) => v ?? 0)) : raw;
    return values.flatMap((v, i) => (v === null || raw[i] === null ? [] : [[i + 1, v] as [number, number]]));
  };
  if (loop === 'propose-solve') {
    const v = variants[0] as Variant<ProposeSolveMetrics>;
    const it = v.iterations;
    const panels: Panel[] = [
      { title: 'proposals: validity, diversity (EMA 0.8)', yRange: [0, 1], lines: [
        { label: 'validity rate', colour: COLOURS[0], points: xs(it, (m) => m.validity_rate, true) },
        { label: 'distinct / valid', colour: COLOURS[2], points: xs(it, (m) => m.diversity, true) },
      ] },
      { title: 'solver on proposals (EMA 0.8)', yRange: [0, 1], lines: [
        { label: 'solver accuracy', colour: COLOURS[1], points: xs(it, (m) => m.difficulty.solver_accuracy, true) },
        { label: 'learnable fraction (0<acc<1)', colour: COLOURS[3], points: xs(it, (m) => m.learnable_fraction, true) },
      ] },
      { title: 'proposed difficulty (EMA 0.8)', lines: [
        it.some((m) => m.difficulty.program_steps !== null)
          ? { label: 'program steps / 10', colour: COLOURS[4], points: xs(it, (m) => (m.difficulty.program_steps ?? 0) / 10, true) }
          : { label: 'operand digits', colour: COLOURS[4], points: xs(it, (m) => m.difficulty.operand_digits ?? 0, true) },
        { label: 'proposer reward', colour: COLOURS[5], points: xs(it, (m) => m.proposer_reward, true) },
      ] },
      {
        title: 'held-out accuracy, solver role (mean@4); dashed: base',
        yRange: [0, 1],
        lines: [
          ...heldOutLines(it, 1, v.baseline),
          // The base checkpoint on its own prompts (BOS + problem), before the warm-up: the bar to clear.
          ...Object.entries((v.start?.base_heldout_plain_prompt as HeldOutSummary | undefined)?.accuracy ?? {}).map(([arm, acc], i) => ({
            label: i === 0 ? 'base model, plain prompts' : '',
            colour: COLOURS[i],
            dashed: true,
            points: [[0, acc], [it.length, acc]] as [number, number][],
          })),
        ],
      },
    ];
    return figure(`propose/solve (Absolute Zero style) on ${(v.config as ProposeSolveConfig).task}`, panels);
  }
  if (loop === 'spin') {
    const v = variants[0] as Variant<SpinMetrics>;
    const it = v.iterations;
    const panels: Panel[] = [
      { title: 'SPIN loss (mean over the iteration)', lines: [{ label: '−log σ(u)', colour: COLOURS[0], points: xs(it, (m) => m.loss) }] },
      { title: 'rewards β·log(p_θ/p_opp) and margin', lines: [
        { label: 'real', colour: COLOURS[2], points: xs(it, (m) => m.rewards_real) },
        { label: 'generated', colour: COLOURS[1], points: xs(it, (m) => m.rewards_generated) },
        { label: 'margin u', colour: COLOURS[0], points: xs(it, (m) => m.margin) },
      ] },
      { title: 'discrimination accuracy [u > 0]; ties', yRange: [0, 1], lines: [
        { label: 'during training', colour: COLOURS[0], points: xs(it, (m) => m.discrimination_accuracy) },
        { label: 'end of iteration (untied)', colour: COLOURS[3], points: xs(it, (m) => m.end_discrimination_accuracy) },
        { label: 'y_gen = y_real', colour: COLOURS[7], points: xs(it, (m) => m.generated_equals_real) },
      ] },
      {
        title: 'held-out (mean@4); dashed: SFT on the same pairs',
        yRange: [0, 1],
        lines: [...heldOutLines(it, 1, v.baseline), ...(variants[1] ? heldOutLines(variants[1].iterations as SftBaselineMetrics[], 1, variants[1].baseline, true, ' sft') : [])],
      },
    ];
    return figure('SPIN on addition (opponent = previous iterate)', panels);
  }
  if (loop === 'creator-solver') {
    const vs = variants as Variant<CreatorSolverMetrics>[];
    const per = (f: (m: CreatorSolverMetrics) => number | null, smooth = true): Line[] =>
      vs.map((v, i) => ({ label: v.name, colour: COLOURS[i], dashed: i > 0, points: xs(v.iterations, f, smooth) }));
    const meanHeldOut: Line[] = vs.map((v, i) => ({
      label: v.name,
      colour: COLOURS[i],
      dashed: i > 0,
      points: [[0, v.baseline.mean] as [number, number], ...v.iterations.flatMap((m, k) => (m.heldout ? [[k + 1, m.heldout.mean] as [number, number]] : []))],
    }));
    const panels: Panel[] = [
      { title: 'solver accuracy on its batch (EMA 0.8)', yRange: [0, 1], lines: per((m) => m.solver_accuracy) },
      { title: 'informative groups (regret > 0) (EMA 0.8)', yRange: [0, 1], lines: per((m) => m.informative_fraction) },
      { title: 'creator buffer: difficulty (1 − acc), operand digits / 4', yRange: [0, 1], lines: [
        { label: 'difficulty', colour: COLOURS[0], points: xs(vs[0].iterations, (m) => m.buffer.difficulty) },
        { label: 'digits / 4', colour: COLOURS[4], points: xs(vs[0].iterations, (m) => (m.buffer.operand_digits ?? 0) / 4) },
        { label: 'informative fraction', colour: COLOURS[2], points: xs(vs[0].iterations, (m) => m.buffer.informative_fraction) },
      ] },
      { title: 'held-out accuracy, mean over arms (mean@4)', yRange: [0, 1], lines: meanHeldOut },
    ];
    return figure('creator/solver (eva style) on addition vs fresh prompts only', panels);
  }
  const vs = variants as Variant<SelfConsumingMetrics>[];
  const gen0 = (v: Variant<SelfConsumingMetrics>) => v.start?.generation0 as SelfConsumingMetrics;
  const per = (f: (m: Pick<SelfConsumingMetrics, 'heldout' | 'diversity' | 'entropy' | 'mean_length' | 'length_histogram'>) => number): Line[] =>
    vs.map((v, i) => ({ label: v.name, colour: COLOURS[i], points: [[0, f(gen0(v))] as [number, number], ...v.iterations.map((m) => [m.generation, f(m)] as [number, number])] }));
  const last = (v: Variant<SelfConsumingMetrics>) => v.iterations[v.iterations.length - 1];
  const hist = (h: number[]) => {
    const total = h.reduce((a, b) => a + b, 0) || 1;
    return h.map((c, len) => [len, c / total] as [number, number]);
  };
  const panels: Panel[] = [
    { title: 'held-out accuracy, mean over arms (mean@8)', yRange: [0, 1], xLabel: 'generation', lines: per((m) => m.heldout.mean) },
    { title: 'diversity: distinct answers / 8 samples', yRange: [0, 1], xLabel: 'generation', lines: per((m) => m.diversity) },
    { title: 'token entropy of the samples', xLabel: 'generation', lines: per((m) => m.entropy) },
    { title: 'output lengths: generation 0 (grey) vs last (dashed)', yRange: [0, 1], xLabel: 'tokens', lines: [
      { label: 'gen 0', colour: COLOURS[7], points: hist(gen0(vs[0]).length_histogram) },
      ...vs.map((v, i) => ({ label: v.name, colour: COLOURS[i], dashed: true, points: hist(last(v).length_histogram) })),
    ] },
  ];
  return figure('self-consuming generations on addition', panels);
}

// ----------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const replot = argValue('replot');
  if (replot) {
    // Redraw a recorded run's figure from its metrics.json (no training).
    const record = JSON.parse(readFileSync(join(replot, 'metrics.json'), 'utf8')) as RunRecord;
    writeFileSync(join(replot, 'curves.svg'), figureFor(record.loop, record.variants));
    console.log(`wrote ${join(replot, 'curves.svg')}`);
    return;
  }
  const loopArg = argValue('loop');
  if (!loopArg || !isSelfplayLoopId(loopArg)) fail(`--loop must be one of ${LOOPS.join(', ')}`);
  const loop: LoopId = loopArg;
  const iterations = wholeNumber('iterations', SELFPLAY_REGISTRY[loop].recorded.iterations);
  const seed = wholeNumber('seed', 1);
  const out = argValue('out') ?? `docs/selfplay/${loop}`;
  setBackend(new CpuBackend());
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const run = await EXPERIMENTS[loop](iterations, seed);
  const record: RunRecord = {
    format: 'rlvr-lab-selfplay/1',
    loop,
    command: `npm run selfplay -- ${process.argv.slice(2).join(' ')}`,
    backend: 'cpu',
    checkpoint: run.file,
    model: { config: run.config, parameters: parameterCount(run.config) },
    seed,
    startedAt,
    seconds: Math.round((performance.now() - started) / 1000),
    variants: run.variants as Variant<unknown>[],
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'metrics.json'), JSON.stringify(record, null, 1) + '\n');
  writeFileSync(join(out, 'curves.svg'), figureFor(loop, record.variants));
  console.log(`wrote ${join(out, 'metrics.json')} and ${join(out, 'curves.svg')} (${record.seconds} s)`);
  // The lab's instant replay of the loop is made from its recording at the default place only.
  if (resolve(out) === dirname(resolve(recordingPath(loop)))) {
    mkdirSync(SELFPLAY_REPLAY_DIR, { recursive: true });
    writeFileSync(replayPath(loop), replayText(loop)!);
    console.log(`wrote ${replayPath(loop)} (the lab's replay of this recording)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
