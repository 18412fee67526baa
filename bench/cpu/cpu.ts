// CPU benchmark (`npm run bench -- cpu`, runs in Node, not in a page): our CPU back end — with its WASM
// SIMD kernels on one thread, the same with its matmul thread pool ('auto' threads: the large products
// split over worker_threads), and with the JavaScript reference kernels — against TF.js's wasm back end (XNNPACK,
// SIMD) and TF.js's CPU back end, on the same workloads and weights as the WebGPU suites:
// - one GRPO train step of the default preset (bench/trainstep/workload.ts: 16 prompts × 8 samples,
//   forward + backward + Adam, one readback), TF.js by its own autograd (bench/trainstep/tfjsTrain.ts;
//   on wasm the embeddings are one-hot · table, since that back end has no UnsortedSegmentSum for
//   tf.gather's gradient);
// - one rollout of 16 × 8 rows × 32 new tokens at temperature 1 (our generate() against the TF.js
//   KV-cache loop of bench/generation/tfjsGpt.ts).
// Correctness first (losses, Σ mask·logπ and, between our kernel sets, the gradient norm, before
// and after one step; greedy rollouts' first-step logits and tokens), then timing: medians of odd
// repetitions, the fast contenders alternated per repetition; TF.js CPU, ~10× slower, timed last.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { setBackend } from '../../src/engine';
import { CpuBackend } from '../../src/engine/backend/cpu/cpuBackend';
import { defaultGptConfig, parameterCount } from '../../src/model/config';
import { generate } from '../../src/model/generate';
import { createParams, disposeParams, initialValues, type GptParams } from '../../src/model/params';
import { createRng } from '../../src/tasks/random';
import { getTask } from '../../src/tasks/registry';
import { encodePrompt } from '../../src/tasks/tokenizer';
import { TfjsGpt } from '../generation/tfjsGpt';
import { log, median, relativeError, timeAlternating, type SuiteResult } from '../harness';
import { OursTrainer } from '../trainstep/oursTrain';
import { TfjsTrainer } from '../trainstep/tfjsTrain';
import { COMPLETION_WIDTH, PROMPT_WIDTH, makeTrainBatch, type TrainBatch } from '../trainstep/workload';

const PROMPTS = 16;
const SAMPLES_PER_PROMPT = 8;
const NEW_TOKENS = 32;
const WEIGHT_SEED = 1234;
const PROMPT_SEED = 7;
const SAMPLE_SEED = 99;
/** As the trainstep suite: the default optimiser without weight decay or clipping (TF.js's Adam has neither). */
const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 };
const AGREEMENT_TOLERANCE = 1e-4;
const STEP_REPS = 7;
const TFJS_CPU_STEP_REPS = 3;
const ROLLOUT_REPS = 5;
const TFJS_CPU_ROLLOUT_REPS = 3;

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);

type Probe = { loss: number; logpSum: number; gradNormSq: number | null };

/** Probe, one (warm-up) step, probe again: the correctness evidence and the compile/tier-up run. */
async function probeStepProbe(t: { probe(b: TrainBatch): Promise<Probe>; step(b: TrainBatch): Promise<number> }, batch: TrainBatch, select: () => void | Promise<void>) {
  await select();
  const before = await t.probe(batch);
  const t0 = performance.now();
  await t.step(batch);
  const firstStepMs = performance.now() - t0;
  const after = await t.probe(batch);
  return { probes: [before, after], firstStepMs };
}

function compareProbes(name: string, other: Probe[], ours: Probe[]) {
  const at = (i: number) => ({
    loss: relDiff(other[i].loss, ours[i].loss),
    logpSum: relDiff(other[i].logpSum, ours[i].logpSum),
    gradNormSq: other[i].gradNormSq === null ? null : relDiff(other[i].gradNormSq!, ours[i].gradNormSq!),
  });
  const d = { initial: at(0), afterOneStep: at(1) };
  for (const [when, diffs] of Object.entries(d)) {
    for (const [what, v] of Object.entries(diffs)) {
      if (v !== null && !(v <= AGREEMENT_TOLERANCE)) throw new Error(`train step: ${name} ${what} ${when} differs from ours by ${v} (relative)`);
    }
  }
  return d;
}

function makePrompts(): { prompts: number[][]; texts: string[] } {
  const task = getTask('addition');
  const rng = createRng(PROMPT_SEED);
  const texts = Array.from({ length: PROMPTS }, () => task.generate(rng.pick(task.arms).id, rng).prompt);
  return { prompts: texts.map(encodePrompt), texts };
}

async function trainStep(config = defaultGptConfig) {
  const values = initialValues(config, WEIGHT_SEED);
  const batch = makeTrainBatch(PROMPTS, SAMPLES_PER_PROMPT, config.vocabSize);
  log(`train step: ${batch.N} sequences × ${batch.T} columns (${PROMPT_WIDTH} prompt + ${COMPLETION_WIDTH} completion), ${batch.completionTokens} completion tokens`);
  const wasmBackend = new CpuBackend({ kernels: 'wasm', threads: 1 });
  const threadsBackend = new CpuBackend({ kernels: 'wasm', threads: 'auto' });
  const jsBackend = new CpuBackend({ kernels: 'js' });
  setBackend(wasmBackend);
  const oursWasm = new OursTrainer(config, values, ADAM);
  setBackend(threadsBackend);
  const oursThreads = new OursTrainer(config, values, ADAM);
  setBackend(jsBackend);
  const oursJs = new OursTrainer(config, values, ADAM);
  if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not start its wasm back end.');
  const tfWasm = new TfjsTrainer(config, values, ADAM, 'one-hot');

  const wasmRun = await probeStepProbe(oursWasm, batch, () => setBackend(wasmBackend));
  const threadsRun = await probeStepProbe(oursThreads, batch, () => setBackend(threadsBackend));
  const jsRun = await probeStepProbe(oursJs, batch, () => setBackend(jsBackend));
  const tfWasmRun = await probeStepProbe(tfWasm, batch, () => undefined);
  const agreement: Record<string, unknown> = {
    what: 'relative difference to ours (WASM kernels) of the loss, Σ mask·logπ and Σ‖grad‖² (TF.js: none, its gradients are checked through Σ mask·logπ after the update), on the initial weights and after one step',
    oursThreads: compareProbes(`ours (WASM, ${threadsBackend.threads} threads)`, threadsRun.probes, wasmRun.probes),
    oursThreadsIdenticalToOneThread: JSON.stringify(threadsRun.probes) === JSON.stringify(wasmRun.probes),
    oursJs: compareProbes('ours (JS kernels)', jsRun.probes, wasmRun.probes),
    tfjsWasm: compareProbes('tfjs-wasm', tfWasmRun.probes, wasmRun.probes),
    probes: { oursWasm: wasmRun.probes, oursThreads: threadsRun.probes, oursJs: jsRun.probes, tfjsWasm: tfWasmRun.probes },
    tolerance: AGREEMENT_TOLERANCE,
  };
  log(`train step warm-up: ours wasm ${wasmRun.firstStepMs.toFixed(0)} ms, ours wasm ${threadsBackend.threads} threads ${threadsRun.firstStepMs.toFixed(0)} ms, ours js ${jsRun.firstStepMs.toFixed(0)} ms, tfjs-wasm ${tfWasmRun.firstStepMs.toFixed(0)} ms`);

  const samples = await timeAlternating(
    {
      oursWasm: async () => {
        setBackend(wasmBackend);
        await oursWasm.step(batch);
      },
      oursThreads: async () => {
        setBackend(threadsBackend);
        await oursThreads.step(batch);
      },
      tfjsWasm: async () => void (await tfWasm.step(batch)),
      oursJs: async () => {
        setBackend(jsBackend);
        await oursJs.step(batch);
      },
    },
    1,
    STEP_REPS,
  );
  log(`train step ms: ${JSON.stringify(samples)}`);
  setBackend(wasmBackend);
  oursWasm.dispose();
  setBackend(threadsBackend);
  oursThreads.dispose();
  threadsBackend.dispose();
  setBackend(jsBackend);
  oursJs.dispose();
  tfWasm.dispose();

  if (!(await tf.setBackend('cpu'))) throw new Error('TF.js could not start its CPU back end.');
  const tfCpu = new TfjsTrainer(config, values, ADAM, 'gather');
  const tfCpuRun = await probeStepProbe(tfCpu, batch, () => undefined);
  agreement.tfjsCpu = compareProbes('tfjs-cpu', tfCpuRun.probes, wasmRun.probes);
  agreement.probes = { ...(agreement.probes as object), tfjsCpu: tfCpuRun.probes };
  const cpuSamples = await timeAlternating({ tfjsCpu: async () => void (await tfCpu.step(batch)) }, 0, TFJS_CPU_STEP_REPS);
  log(`train step tfjs-cpu ms: ${JSON.stringify(cpuSamples.tfjsCpu)}`);
  tfCpu.dispose();

  const ms = {
    oursWasm: median(samples.oursWasm),
    oursThreads: median(samples.oursThreads),
    oursJs: median(samples.oursJs),
    tfjsWasm: median(samples.tfjsWasm),
    tfjsCpu: median(cpuSamples.tfjsCpu),
  };
  return {
    workload: { sequences: batch.N, columns: batch.T, completionTokens: batch.completionTokens },
    agreement,
    medianMs: ms,
    /** < 1: ours takes less time. The check: oursWasm / tfjsWasm ≤ 0.8. */
    timeRatioOursOverTfjsWasm: ms.oursWasm / ms.tfjsWasm,
    pairedTimeRatioOursOverTfjsWasm: median(samples.oursWasm.map((v, i) => v / samples.tfjsWasm[i])),
    timeRatioOursOverTfjsCpu: ms.oursWasm / ms.tfjsCpu,
    speedupWasmOverJsKernels: ms.oursJs / ms.oursWasm,
    threads: threadsBackend.threads,
    timeRatioOursThreadsOverTfjsWasm: ms.oursThreads / ms.tfjsWasm,
    speedupThreadsOverOneThread: ms.oursWasm / ms.oursThreads,
    pairedSpeedupThreadsOverOneThread: median(samples.oursWasm.map((v, i) => v / samples.oursThreads[i])),
    samplesMs: { ...samples, ...cpuSamples },
    reps: { alternated: STEP_REPS, tfjsCpu: TFJS_CPU_STEP_REPS },
  };
}

async function rollout(config = defaultGptConfig) {
  const values = initialValues(config, WEIGHT_SEED);
  const { prompts, texts } = makePrompts();
  const rows = PROMPTS * SAMPLES_PER_PROMPT;
  const T = NEW_TOKENS;
  log(`rollout: ${PROMPTS} prompts × ${SAMPLES_PER_PROMPT} samples = ${rows} rows, ${T} new tokens, e.g. ${texts.slice(0, 3).join(' ')}`);
  const wasmBackend = new CpuBackend({ kernels: 'wasm', threads: 1 });
  const threadsBackend = new CpuBackend({ kernels: 'wasm', threads: 'auto' });
  const jsBackend = new CpuBackend({ kernels: 'js' });
  setBackend(wasmBackend);
  const wasmParams = createParams(config, values);
  setBackend(threadsBackend);
  const threadsParams = createParams(config, values);
  setBackend(jsBackend);
  const jsParams = createParams(config, values);
  const ours = (backend: CpuBackend, params: GptParams) => (o: Parameters<typeof generate>[3]) => {
    setBackend(backend);
    return generate(config, params, prompts, o);
  };
  const oursWasm = ours(wasmBackend, wasmParams);
  const oursThreads = ours(threadsBackend, threadsParams);
  const oursJs = ours(jsBackend, jsParams);

  // ---- greedy agreement: first-step logits (prefill) within 1e-4, identical token rows counted
  const greedy = { samplesPerPrompt: SAMPLES_PER_PROMPT, maxNewTokens: T, temperature: 0, seed: SAMPLE_SEED, returnLogits: true };
  const ref = await oursWasm(greedy);
  const V = config.vocabSize;
  const step0 = (logits: Float32Array) => Array.from({ length: rows }, (_, r) => Array.from(logits.subarray(r * T * V, r * T * V + V))).flat();
  const agree = (name: string, other: { tokens: Int32Array; logits?: Float32Array }) => {
    const err = relativeError(step0(other.logits!), step0(ref.logits!));
    let identical = 0;
    for (let r = 0; r < rows; r++) {
      let same = true;
      for (let t = 0; t < T && same; t++) same = other.tokens[r * T + t] === ref.tokens[r * T + t];
      if (same) identical++;
    }
    log(`greedy ${name} vs ours (wasm): first-step logits rel err ${err.toExponential(1)}, ${identical}/${rows} token rows identical`);
    if (!(err <= AGREEMENT_TOLERANCE)) throw new Error(`rollout: ${name}'s first-step logits differ from ours by ${err} (relative)`);
    return { step0LogitsRelError: err, greedyRowsIdentical: identical, rows };
  };
  const agreement: Record<string, unknown> = {
    oursThreads: agree(`ours (wasm, ${threadsBackend.threads} threads)`, await oursThreads(greedy)),
    oursJs: agree('ours (js)', await oursJs(greedy)),
  };
  if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not start its wasm back end.');
  const tfWasm = new TfjsGpt(config, values);
  agreement.tfjsWasm = agree('tfjs-wasm', await tfWasm.generate(prompts, greedy));

  const sampled = { samplesPerPrompt: SAMPLES_PER_PROMPT, maxNewTokens: T, temperature: 1, seed: SAMPLE_SEED };
  const samples = await timeAlternating(
    {
      oursWasm: async () => void (await oursWasm(sampled)),
      oursThreads: async () => void (await oursThreads(sampled)),
      tfjsWasm: async () => void (await tfWasm.generate(prompts, sampled)),
      oursJs: async () => void (await oursJs(sampled)),
    },
    1,
    ROLLOUT_REPS,
  );
  log(`rollout ms: ${JSON.stringify(samples)}`);
  tfWasm.dispose();
  setBackend(wasmBackend);
  disposeParams(wasmParams);
  setBackend(threadsBackend);
  disposeParams(threadsParams);
  threadsBackend.dispose();
  setBackend(jsBackend);
  disposeParams(jsParams);

  if (!(await tf.setBackend('cpu'))) throw new Error('TF.js could not start its CPU back end.');
  const tfCpu = new TfjsGpt(config, values);
  agreement.tfjsCpu = agree('tfjs-cpu', await tfCpu.generate(prompts, greedy));
  const cpuSamples = await timeAlternating({ tfjsCpu: async () => void (await tfCpu.generate(prompts, sampled)) }, 1, TFJS_CPU_ROLLOUT_REPS);
  log(`rollout tfjs-cpu ms: ${JSON.stringify(cpuSamples.tfjsCpu)}`);
  tfCpu.dispose();

  const ms = {
    oursWasm: median(samples.oursWasm),
    oursThreads: median(samples.oursThreads),
    oursJs: median(samples.oursJs),
    tfjsWasm: median(samples.tfjsWasm),
    tfjsCpu: median(cpuSamples.tfjsCpu),
  };
  const tokens = rows * T;
  return {
    workload: { rows, newTokens: T, temperature: 1, promptTexts: texts },
    agreement,
    medianMs: ms,
    tokensPerSecond: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, tokens / (v / 1000)])),
    timeRatioOursOverTfjsWasm: ms.oursWasm / ms.tfjsWasm,
    pairedTimeRatioOursOverTfjsWasm: median(samples.oursWasm.map((v, i) => v / samples.tfjsWasm[i])),
    timeRatioOursOverTfjsCpu: ms.oursWasm / ms.tfjsCpu,
    speedupWasmOverJsKernels: ms.oursJs / ms.oursWasm,
    threads: threadsBackend.threads,
    speedupThreadsOverOneThread: ms.oursWasm / ms.oursThreads,
    samplesMs: { ...samples, ...cpuSamples },
    reps: { alternated: ROLLOUT_REPS, tfjsCpu: TFJS_CPU_ROLLOUT_REPS },
  };
}

const LOAD_AT_START = loadavg();

export async function run(): Promise<SuiteResult> {
  const config = defaultGptConfig;
  const step = await trainStep(config);
  const roll = await rollout(config);
  const f = (x: number) => x.toFixed(0);
  const r = (x: number) => `${x.toFixed(2)}×`;
  return {
    suite: 'cpu',
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      cpus: cpus().length,
      availableParallelism: availableParallelism(),
      loadAverage: { atStart: LOAD_AT_START, atEnd: loadavg() },
      cpuModel: cpus()[0]?.model ?? 'unknown',
      tfjs: tf.version.tfjs,
      tfjsWasmThreads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
      tfjsWasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      method:
        'Node, one process; medians of odd repetitions after a warm-up, ours (WASM kernels, one thread), ours (WASM ' +
        `kernels, matmul pool of ${step.threads} threads), tfjs-wasm and ours (JS kernels) alternated per repetition, ` +
        'TF.js CPU timed after them. The machine is shared: absolute times are noisy, read the ratios.',
    },
    workload: { model: config, parameters: parameterCount(config), weightSeed: WEIGHT_SEED, trainStep: step.workload, rollout: roll.workload },
    trainStep: step,
    rollout: roll,
    table: {
      columns: ['contender', 'train step ms', 'step time / tfjs-wasm', 'rollout ms', 'rollout tokens/s', 'rollout time / tfjs-wasm'],
      rows: (['oursWasm', 'oursThreads', 'oursJs', 'tfjsWasm', 'tfjsCpu'] as const).map((k) => [
        { oursWasm: 'ours, WASM SIMD kernels, 1 thread', oursThreads: `ours, WASM SIMD kernels, ${step.threads} threads`, oursJs: 'ours, JS kernels', tfjsWasm: 'tfjs-wasm (XNNPACK)', tfjsCpu: 'tfjs-cpu' }[k],
        f(step.medianMs[k]),
        r(step.medianMs[k] / step.medianMs.tfjsWasm),
        f(roll.medianMs[k]),
        f(roll.tokensPerSecond[k]),
        r(roll.medianMs[k] / roll.medianMs.tfjsWasm),
      ]),
    },
  };
}
