// Rollout benchmark: one RL rollout of the default policy — B×G = 16×8 = 128 rows, 32 new tokens at
// temperature 1 from addition prompts — with our `generate` (src/model/generate.ts) on our WebGPU
// backend, against the same model with the same weights in TF.js on its WebGPU backend
// (bench/generation/tfjsGpt.ts), same adapter, same page. Both return the same things (tokens, the
// sampled tokens' log-probs and entropies) with one readback.
//
// Correctness first: greedy decoding (temperature 0) must give the same tokens in both, and every
// step's logits must agree within 1e-4 relative up to (and including) any step where a near-tie flips
// the argmax; the first step's logits (prefill) always. Then timing: warm-up, an odd number of
// repetitions alternating the contenders, medians. Per-rollout dispatches/submits/readbacks come from
// our backend's counters (TF.js's from counting its backend's submits and reads), memory held from
// counters().bytesAllocated (TF.js: its buffer manager's allocated bytes).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setBackend } from '../../src/engine';
import { WebGpuBackend } from '../../src/engine/backend/webgpu/webgpuBackend';
import { defaultGptConfig, parameterCount } from '../../src/model/config';
import { generate } from '../../src/model/generate';
import { createParams, disposeParams, initialValues } from '../../src/model/params';
import { createRng } from '../../src/tasks/random';
import { getTask } from '../../src/tasks/registry';
import { encodePrompt } from '../../src/tasks/tokenizer';
import { log, median, registerSuite, relativeError, timeAlternating, type SuiteResult } from '../harness';
import { countTfjs } from '../tfjsCounters';
import { TfjsGpt } from './tfjsGpt';

const PROMPTS = 16; // B
const SAMPLES_PER_PROMPT = 8; // G
const NEW_TOKENS = 32; // T
const TEMPERATURE = 1;
const WEIGHT_SEED = 1234;
const PROMPT_SEED = 7;
const SAMPLE_SEED = 99;
const AGREEMENT_TOLERANCE = 1e-4;
/** Odd repetitions per contender, as many as fit the timing budget (the runner allows 15 min per suite,
 *  and on a software adapter one rollout takes tens of seconds). */
const MIN_REPS = 3;
const MAX_REPS = 9;
const TIMING_BUDGET_MS = 6 * 60_000;

/** B addition prompts over the task's arms (1- to 4-digit operands), as a curriculum would mix them. */
function makePrompts(): { prompts: number[][]; texts: string[] } {
  const task = getTask('addition');
  const rng = createRng(PROMPT_SEED);
  const texts = Array.from({ length: PROMPTS }, () => task.generate(rng.pick(task.arms).id, rng).prompt);
  return { prompts: texts.map(encodePrompt), texts };
}

async function run(): Promise<SuiteResult> {
  const config = defaultGptConfig;
  const ours = await WebGpuBackend.create();
  setBackend(ours);
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not start its WebGPU backend.');
  await tf.ready();
  log(`adapter: ${JSON.stringify(ours.adapterInfo)}; tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`);

  const values = initialValues(config, WEIGHT_SEED);
  const params = createParams(config, values);
  const baseline = new TfjsGpt(config, values);
  const { prompts, texts } = makePrompts();
  const rows = PROMPTS * SAMPLES_PER_PROMPT;
  const T = NEW_TOKENS;
  const V = config.vocabSize;
  log(`${PROMPTS} prompts × ${SAMPLES_PER_PROMPT} samples = ${rows} rows, ${T} new tokens; prompts ${prompts.map((p) => p.length).join(',')} tokens, e.g. ${texts.slice(0, 3).join(' ')}`);

  // ---- correctness: greedy tokens and every step's logits
  const greedy = { samplesPerPrompt: SAMPLES_PER_PROMPT, maxNewTokens: T, temperature: 0, seed: SAMPLE_SEED, returnLogits: true };
  const oursGreedy = await generate(config, params, prompts, greedy);
  const tfGreedy = await baseline.generate(prompts, greedy);
  let mismatchedRows = 0;
  let firstMismatch: { row: number; step: number } | null = null;
  const oursCompared: number[] = [];
  const tfCompared: number[] = [];
  const oursStep0: number[] = [];
  const tfStep0: number[] = [];
  let logProbErr = 0;
  for (let r = 0; r < rows; r++) {
    let diverged = T;
    for (let t = 0; t < T; t++) {
      if (oursGreedy.tokens[r * T + t] !== tfGreedy.tokens[r * T + t]) {
        diverged = t;
        break;
      }
    }
    if (diverged < T) {
      mismatchedRows++;
      if (!firstMismatch || diverged < firstMismatch.step) firstMismatch = { row: r, step: diverged };
    }
    // Logits at steps 0..diverged were computed from identical prefixes on both sides.
    for (let t = 0; t <= Math.min(diverged, T - 1); t++) {
      const at = (r * T + t) * V;
      for (let j = 0; j < V; j++) {
        oursCompared.push(oursGreedy.logits![at + j]);
        tfCompared.push(tfGreedy.logits![at + j]);
        if (t === 0) {
          oursStep0.push(oursGreedy.logits![at + j]);
          tfStep0.push(tfGreedy.logits![at + j]);
        }
      }
      if (t < diverged && t < oursGreedy.lengths[r]) {
        logProbErr = Math.max(logProbErr, Math.abs(oursGreedy.logProbs[r * T + t] - tfGreedy.logProbs[r * T + t]));
      }
    }
  }
  const step0Err = relativeError(oursStep0, tfStep0);
  const allStepsErr = relativeError(oursCompared, tfCompared);
  const logitScale = Math.max(...tfStep0.map(Math.abs));
  log(
    `greedy: ${rows - mismatchedRows}/${rows} rows identical` +
      (firstMismatch ? ` (first divergence row ${firstMismatch.row}, step ${firstMismatch.step})` : '') +
      `; logits rel err step 0 ${step0Err.toExponential(1)}, all compared steps ${allStepsErr.toExponential(1)} ` +
      `(max |logit| ${logitScale.toExponential(1)}); max |Δ log-prob| ${logProbErr.toExponential(1)}`,
  );
  if (!(step0Err <= AGREEMENT_TOLERANCE)) throw new Error(`First-step logits disagree: relative error ${step0Err}.`);
  if (!(allStepsErr <= AGREEMENT_TOLERANCE)) throw new Error(`Step logits disagree: relative error ${allStepsErr}.`);
  if (!(logProbErr <= AGREEMENT_TOLERANCE)) throw new Error(`Greedy log-probs disagree: max abs error ${logProbErr}.`);

  // ---- timing: a sampled rollout, as the trainer runs it
  const sampled = { samplesPerPrompt: SAMPLES_PER_PROMPT, maxNewTokens: T, temperature: TEMPERATURE, seed: SAMPLE_SEED };
  const oursOnce = async () => void (await generate(config, params, prompts, sampled));
  const tfOnce = async () => void (await baseline.generate(prompts, sampled));

  // Warm-up: one sampled rollout each (compiles the sampling path). The per-rollout counts are taken on
  // it: they do not depend on compilation, and a separate counting run would cost another rollout.
  ours.resetCounters();
  const t0 = performance.now();
  const sampledResult = await generate(config, params, prompts, sampled);
  const firstOursMs = performance.now() - t0;
  const oc = ours.counters();
  const t1 = performance.now();
  const tfCounts = await countTfjs(tfOnce);
  const firstTfMs = performance.now() - t1;
  const tfMem = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  let reps = Math.floor(Math.min(MAX_REPS, Math.max(MIN_REPS, TIMING_BUDGET_MS / (firstOursMs + firstTfMs))));
  if (reps % 2 === 0) reps--;
  reps = Math.max(reps, MIN_REPS);
  log(`warm-up rollout: ours ${firstOursMs.toFixed(0)} ms, tfjs ${firstTfMs.toFixed(0)} ms; ${reps} reps`);

  const oursLiveBefore = ours.counters().liveBuffers;
  const tfTensorsBefore = tf.memory().numTensors;
  const samples = await timeAlternating({ ours: oursOnce, tfjs: tfOnce }, 0, reps);
  const oursLiveAfter = ours.counters().liveBuffers;
  const tfTensorsAfter = tf.memory().numTensors;
  if (oursLiveAfter !== oursLiveBefore) throw new Error(`ours leaked buffers: ${oursLiveBefore} live before, ${oursLiveAfter} after.`);
  if (tfTensorsAfter !== tfTensorsBefore) throw new Error(`TF.js leaked tensors: ${tfTensorsBefore} before, ${tfTensorsAfter} after.`);

  const paramBytes = parameterCount(config) * 4;
  const meanLen = sampledResult.lengths.reduce((a, b) => a + b, 0) / rows;
  const stoppedFrac = sampledResult.stopped.reduce((a, b) => a + b, 0) / rows;

  const oursMs = median(samples.ours);
  const tfMs = median(samples.tfjs);
  const tokensPerRollout = rows * T;
  const results = {
    ours: {
      medianMs: oursMs,
      tokensPerSecond: tokensPerRollout / (oursMs / 1000),
      dispatches: oc.dispatches,
      submits: oc.submits,
      readbacks: oc.readbacks,
      bytesHeld: oc.bytesAllocated,
      liveBuffers: oc.liveBuffers,
      pooledBuffers: oc.pooledBuffers,
      samplesMs: samples.ours,
    },
    tfjs: {
      medianMs: tfMs,
      tokensPerSecond: tokensPerRollout / (tfMs / 1000),
      dispatches: tfCounts.dispatches,
      submits: tfCounts.submits,
      readbacks: tfCounts.readbacks,
      bytesHeld: tfMem.numBytesAllocatedInGPU ?? null,
      bytesInUse: tfMem.numBytesInGPU ?? null,
      samplesMs: samples.tfjs,
    },
    /** ratio of the medians: > 1 means ours is faster. */
    speedupOursOverTfjs: tfMs / oursMs,
    /** median of each repetition's tfjs/ours ratio (the pair ran back to back, so shared drift cancels). */
    pairedSpeedupMedian: median(samples.ours.map((ms, i) => samples.tfjs[i] / ms)),
  };
  log(`ours ${oursMs.toFixed(0)} ms, tfjs ${tfMs.toFixed(0)} ms: speedup ${(tfMs / oursMs).toFixed(2)}× (median of paired ratios ${results.pairedSpeedupMedian.toFixed(2)}×)`);

  disposeParams(params);
  baseline.dispose();
  ours.destroy();

  const mb = (b: number | null) => (b === null ? 'n/a' : (b / 2 ** 20).toFixed(2));
  return {
    suite: 'generation',
    date: new Date().toISOString(),
    environment: {
      adapter: ours.adapterInfo,
      userAgent: navigator.userAgent,
      tfjs: tf.version.tfjs,
      method:
        'one rollout = generate() of B×G rows × T new tokens at temperature 1, tokens + log-probs + entropies, ' +
        'one readback; median of odd repetitions after warm-up, contenders alternated per repetition; same ' +
        'adapter, same page, same weights and prompts. Other load on the machine makes absolute times noisy: ' +
        'read the ratio.',
    },
    workload: {
      model: config,
      parameters: parameterCount(config),
      parameterBytes: paramBytes,
      weightSeed: WEIGHT_SEED,
      prompts: PROMPTS,
      samplesPerPrompt: SAMPLES_PER_PROMPT,
      rows,
      newTokens: T,
      temperature: TEMPERATURE,
      promptTexts: texts,
      promptLengths: prompts.map((p) => p.length),
      sampledMeanLength: meanLen,
      sampledStoppedFraction: stoppedFrac,
    },
    correctness: {
      greedyRowsIdentical: rows - mismatchedRows,
      rows,
      firstDivergence: firstMismatch,
      step0LogitsRelError: step0Err,
      comparedStepsLogitsRelError: allStepsErr,
      greedyLogProbMaxAbsError: logProbErr,
      tolerance: AGREEMENT_TOLERANCE,
    },
    reps,
    results,
    table: {
      columns: ['contender', 'ms / rollout', 'tokens/s', 'speedup', 'dispatches', 'submits', 'readbacks', 'GPU MiB held'],
      rows: [
        ['ours (generate)', oursMs.toFixed(0), results.ours.tokensPerSecond.toFixed(0), `${results.speedupOursOverTfjs.toFixed(2)}×`, oc.dispatches, oc.submits, oc.readbacks, mb(oc.bytesAllocated)],
        ['tfjs webgpu', tfMs.toFixed(0), results.tfjs.tokensPerSecond.toFixed(0), '1.00×', tfCounts.dispatches, tfCounts.submits, tfCounts.readbacks, mb(results.tfjs.bytesHeld)],
      ],
    },
  };
}

registerSuite('generation', run);
