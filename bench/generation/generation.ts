// Rollout benchmark: one RL rollout of the default policy — B×G = 16×8 = 128 rows, 32 new tokens at
// temperature 1 from addition prompts — with our `generate` (src/model/generate.ts) on our WebGPU
// backend, against the same model with the same weights in TF.js on its WebGPU backend
// (bench/generation/tfjsGpt.ts) and in jax-js with jitted prefill/decode steps on its WebGPU device
// (bench/generation/jaxGpt.ts), same adapter, same page. All three return the same things (tokens,
// the sampled tokens' log-probs and entropies) with one readback.
//
// Correctness first: greedy decoding (temperature 0) must give the same tokens in all, and every
// step's logits must agree within 1e-4 relative up to (and including) any step where a near-tie flips
// the argmax; the first step's logits (prefill) always. Our fused decode kernels are held to the same
// against our unfused op-by-op loop. Then timing: warm-up, an odd number of
// repetitions alternating the contenders, medians. Per-rollout dispatches/submits/readbacks come from
// our backend's counters (TF.js's from counting its backend's submits and reads; jax-js's from wrapping
// its device's queue.submit, dispatchWorkgroups and mapAsync), memory held from
// counters().bytesAllocated (TF.js: its buffer manager's allocated bytes; jax-js: not exposed).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { defaultGptConfig, parameterCount } from '../../src/model/config';
import { generate } from '../../src/model/generate';
import { createParams, disposeParams, initialValues } from '../../src/model/params';
import { createRng } from '../../src/tasks/random';
import { getTask } from '../../src/tasks/registry';
import { encodePrompt } from '../../src/tasks/tokenizer';
import { log, median, registerSuite, relativeError, timeAlternating, type SuiteResult } from '../harness';
import { countTfjs } from '../tfjsCounters';
import { startContenders } from '../contenders';
import { countJax, JaxGpt } from './jaxGpt';
import { TfjsGpt } from './tfjsGpt';

const PROMPTS = 16; // B
const SAMPLES_PER_PROMPT = 8; // G
const NEW_TOKENS = 32; // T
const TEMPERATURE = 1;
const WEIGHT_SEED = 1234;
const PROMPT_SEED = 7;
const SAMPLE_SEED = 99;
const AGREEMENT_TOLERANCE = 1e-4;
const EOS_TOKEN = 2;
/** Odd repetitions per contender, as many as fit the timing budget (the runner allows 15 min per suite,
 *  and on a software adapter one rollout takes tens of seconds); the same count for every contender. */
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

type Greedy = { tokens: Int32Array; logProbs: Float32Array; logits?: Float32Array };

/** Greedy agreement of `other` with ours: identical tokens per row, every step's logits up to (and
 *  including) the first divergence, log-probs on the identical prefix. Throws past the tolerance. */
function compareGreedy(name: string, ours: Greedy & { lengths: ArrayLike<number> }, other: Greedy, rows: number, T: number, V: number) {
  let mismatchedRows = 0;
  let firstMismatch: { row: number; step: number } | null = null;
  const oursCompared: number[] = [];
  const otherCompared: number[] = [];
  const oursStep0: number[] = [];
  const otherStep0: number[] = [];
  let logProbErr = 0;
  for (let r = 0; r < rows; r++) {
    let diverged = T;
    for (let t = 0; t < T; t++) {
      if (ours.tokens[r * T + t] !== other.tokens[r * T + t]) {
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
        oursCompared.push(ours.logits![at + j]);
        otherCompared.push(other.logits![at + j]);
        if (t === 0) {
          oursStep0.push(ours.logits![at + j]);
          otherStep0.push(other.logits![at + j]);
        }
      }
      if (t < diverged && t < ours.lengths[r]) {
        logProbErr = Math.max(logProbErr, Math.abs(ours.logProbs[r * T + t] - other.logProbs[r * T + t]));
      }
    }
  }
  const step0Err = relativeError(oursStep0, otherStep0);
  const allStepsErr = relativeError(oursCompared, otherCompared);
  const logitScale = Math.max(...otherStep0.map(Math.abs));
  log(
    `greedy ours vs ${name}: ${rows - mismatchedRows}/${rows} rows identical` +
      (firstMismatch ? ` (first divergence row ${firstMismatch.row}, step ${firstMismatch.step})` : '') +
      `; logits rel err step 0 ${step0Err.toExponential(1)}, all compared steps ${allStepsErr.toExponential(1)} ` +
      `(max |logit| ${logitScale.toExponential(1)}); max |Δ log-prob| ${logProbErr.toExponential(1)}`,
  );
  if (!(step0Err <= AGREEMENT_TOLERANCE)) throw new Error(`${name}: first-step logits disagree: relative error ${step0Err}.`);
  if (!(allStepsErr <= AGREEMENT_TOLERANCE)) throw new Error(`${name}: step logits disagree: relative error ${allStepsErr}.`);
  if (!(logProbErr <= AGREEMENT_TOLERANCE)) throw new Error(`${name}: greedy log-probs disagree: max abs error ${logProbErr}.`);
  return {
    greedyRowsIdentical: rows - mismatchedRows,
    rows,
    firstDivergence: firstMismatch,
    step0LogitsRelError: step0Err,
    comparedStepsLogitsRelError: allStepsErr,
    greedyLogProbMaxAbsError: logProbErr,
    tolerance: AGREEMENT_TOLERANCE,
  };
}

/** Summary of a sampled rollout, to see that every contender samples alike (the tokens differ: each
 *  has its own PRNG). Step 0's entropies depend on the prompts only, so they must agree exactly. */
function sampledStats(r: { tokens: Int32Array; entropies: Float32Array }, rows: number, T: number) {
  let lengthSum = 0;
  let stopped = 0;
  let entropySum = 0;
  const step0Entropy: number[] = [];
  for (let i = 0; i < rows; i++) {
    let len = T;
    for (let t = 0; t < T; t++) {
      if (r.tokens[i * T + t] === EOS_TOKEN) {
        len = t + 1;
        stopped++;
        break;
      }
    }
    lengthSum += len;
    for (let t = 0; t < len; t++) entropySum += r.entropies[i * T + t];
    step0Entropy.push(r.entropies[i * T]);
  }
  return { meanLength: lengthSum / rows, stoppedFraction: stopped / rows, meanEntropy: entropySum / lengthSum, step0Entropy };
}

async function run(): Promise<SuiteResult> {
  const config = defaultGptConfig;
  const { ours, jaxError } = await startContenders();

  const values = initialValues(config, WEIGHT_SEED);
  const params = createParams(config, values);
  const baseline = new TfjsGpt(config, values);
  const jaxGpt = jaxError ? null : new JaxGpt(config, values);
  const { prompts, texts } = makePrompts();
  const rows = PROMPTS * SAMPLES_PER_PROMPT;
  const T = NEW_TOKENS;
  const V = config.vocabSize;
  log(`${PROMPTS} prompts × ${SAMPLES_PER_PROMPT} samples = ${rows} rows, ${T} new tokens; prompts ${prompts.map((p) => p.length).join(',')} tokens, e.g. ${texts.slice(0, 3).join(' ')}`);

  // ---- correctness: greedy tokens and every step's logits
  const greedy = { samplesPerPrompt: SAMPLES_PER_PROMPT, maxNewTokens: T, temperature: 0, seed: SAMPLE_SEED, returnLogits: true };
  const oursGreedy = await generate(config, params, prompts, greedy);
  const jaxCorrectness = jaxGpt ? compareGreedy('jax-js', oursGreedy, await jaxGpt.generate(prompts, greedy), rows, T, V) : null;
  const tfCorrectness = compareGreedy('tfjs', oursGreedy, await baseline.generate(prompts, greedy), rows, T, V);
  // Our fused decode kernels against our unfused op-by-op loop: same greedy tokens.
  const oursFusedGreedy = await generate(config, params, prompts, { ...greedy, decode: 'fused' });
  const oursUnfusedGreedy = await generate(config, params, prompts, { ...greedy, decode: 'unfused' });
  const fusedCorrectness = compareGreedy('ours unfused (vs ours fused)', oursFusedGreedy, oursUnfusedGreedy, rows, T, V);

  // ---- timing: a sampled rollout, as the trainer runs it
  const sampled = { samplesPerPrompt: SAMPLES_PER_PROMPT, maxNewTokens: T, temperature: TEMPERATURE, seed: SAMPLE_SEED };
  const oursOnce = async () => void (await generate(config, params, prompts, sampled));
  const tfOnce = async () => void (await baseline.generate(prompts, sampled));
  const jaxOnce = jaxGpt ? async () => void (await jaxGpt.generate(prompts, sampled)) : null;

  // Warm-up: one sampled rollout each (compiles the sampling path). The per-rollout counts are taken on
  // it: they do not depend on compilation, and a separate counting run would cost another rollout.
  // Both of our decode loops' per-rollout counts, for the dispatch budget (issue #22), whichever one
  // generate() picks by default ('fused' wherever the kernels can run this model).
  ours.resetCounters();
  await generate(config, params, prompts, { ...sampled, decode: 'unfused' });
  const unfusedCounts = ours.counters();
  ours.resetCounters();
  await generate(config, params, prompts, { ...sampled, decode: 'fused' });
  const fusedCounts = ours.counters();
  ours.resetCounters();
  const t0 = performance.now();
  const sampledResult = await generate(config, params, prompts, sampled);
  const firstOursMs = performance.now() - t0;
  const oc = ours.counters();
  const t1 = performance.now();
  let tfSampled: Awaited<ReturnType<TfjsGpt['generate']>> | null = null;
  const tfCounts = await countTfjs(async () => void (tfSampled = await baseline.generate(prompts, sampled)));
  const firstTfMs = performance.now() - t1;
  const tfMem = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  const t2 = performance.now();
  let jaxSampled: Awaited<ReturnType<JaxGpt['generate']>> | null = null;
  const jaxCounts = jaxGpt ? await countJax(async () => void (jaxSampled = await jaxGpt.generate(prompts, sampled))) : null;
  const firstJaxMs = jaxOnce ? performance.now() - t2 : 0;
  let reps = Math.floor(Math.min(MAX_REPS, Math.max(MIN_REPS, TIMING_BUDGET_MS / (firstOursMs + firstTfMs + firstJaxMs))));
  if (reps % 2 === 0) reps--;
  reps = Math.max(reps, MIN_REPS);
  log(`warm-up rollout: ours ${firstOursMs.toFixed(0)} ms, tfjs ${firstTfMs.toFixed(0)} ms${jaxOnce ? `, jax-js ${firstJaxMs.toFixed(0)} ms` : ''}; ${reps} reps`);

  const oursLiveBefore = ours.counters().liveBuffers;
  const tfTensorsBefore = tf.memory().numTensors;
  // The decode loop generate() does not pick by default here is timed too, as its own contender.
  const defaultDecode = 'fused';
  const otherDecode = 'unfused';
  const oursOtherOnce = async () => void (await generate(config, params, prompts, { ...sampled, decode: otherDecode }));
  const samples = await timeAlternating({ ours: oursOnce, oursOther: oursOtherOnce, tfjs: tfOnce, ...(jaxOnce ? { jax: jaxOnce } : {}) }, 0, reps);
  const oursLiveAfter = ours.counters().liveBuffers;
  const tfTensorsAfter = tf.memory().numTensors;
  if (oursLiveAfter !== oursLiveBefore) throw new Error(`ours leaked buffers: ${oursLiveBefore} live before, ${oursLiveAfter} after.`);
  if (tfTensorsAfter !== tfTensorsBefore) throw new Error(`TF.js leaked tensors: ${tfTensorsBefore} before, ${tfTensorsAfter} after.`);

  const paramBytes = parameterCount(config) * 4;
  const meanLen = sampledResult.lengths.reduce((a, b) => a + b, 0) / rows;
  const stoppedFrac = sampledResult.stopped.reduce((a, b) => a + b, 0) / rows;
  // The warm-up rollouts, side by side: same distributions, different PRNGs.
  const statsOf = (r: { tokens: Int32Array; entropies: Float32Array } | null) => {
    if (!r) return null;
    const { step0Entropy, ...rest } = sampledStats(r, rows, T);
    return { ...rest, step0EntropyMaxAbsDiffFromOurs: Math.max(...step0Entropy.map((e, i) => Math.abs(e - oursStats.step0Entropy[i]))) };
  };
  const oursStats = sampledStats(sampledResult, rows, T);
  const sampledComparison = {
    ours: { meanLength: oursStats.meanLength, stoppedFraction: oursStats.stoppedFraction, meanEntropy: oursStats.meanEntropy },
    tfjs: statsOf(tfSampled),
    jax: statsOf(jaxSampled),
  };
  log(`sampled warm-up rollouts (mean length, stopped, mean entropy, max |Δ step-0 entropy| vs ours): ${JSON.stringify(sampledComparison)}`);

  const oursMs = median(samples.ours);
  const tfMs = median(samples.tfjs);
  const jaxMs = jaxOnce ? median(samples.jax) : NaN;
  const tokensPerRollout = rows * T;
  const results = {
    ours: {
      medianMs: oursMs,
      tokensPerSecond: tokensPerRollout / (oursMs / 1000),
      dispatches: oc.dispatches,
      /** dispatches per rollout / new tokens per row (the prefill and weight packing included). */
      dispatchesPerToken: oc.dispatches / T,
      submits: oc.submits,
      readbacks: oc.readbacks,
      /** generate()'s default decode loop. */
      decode: defaultDecode,
      /** The same rollout with each decode loop: counts, and the median time of the one not picked by default. */
      unfused: { dispatches: unfusedCounts.dispatches, dispatchesPerToken: unfusedCounts.dispatches / T, readbacks: unfusedCounts.readbacks },
      fused: { dispatches: fusedCounts.dispatches, dispatchesPerToken: fusedCounts.dispatches / T, readbacks: fusedCounts.readbacks },
      otherDecode: { decode: otherDecode, medianMs: median(samples.oursOther), tokensPerSecond: (rows * T) / (median(samples.oursOther) / 1000), samplesMs: samples.oursOther },
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
    jax:
      jaxOnce && jaxCounts
        ? {
            medianMs: jaxMs,
            tokensPerSecond: tokensPerRollout / (jaxMs / 1000),
            dispatches: jaxCounts.dispatches,
            submits: jaxCounts.submits,
            readbacks: jaxCounts.readbacks,
            bytesHeld: null,
            samplesMs: samples.jax,
          }
        : { error: jaxError },
    /** ratio of the medians: > 1 means ours is faster. */
    speedupOursOverTfjs: tfMs / oursMs,
    /** median of each repetition's tfjs/ours ratio (the pair ran back to back, so shared drift cancels). */
    pairedSpeedupMedian: median(samples.ours.map((ms, i) => samples.tfjs[i] / ms)),
    /** jax-js median / ours median: > 1 means ours is faster. */
    speedupOursOverJax: jaxOnce ? jaxMs / oursMs : null,
    /** median of each repetition's jax/ours ratio. */
    pairedSpeedupOverJaxMedian: jaxOnce ? median(samples.ours.map((ms, i) => samples.jax[i] / ms)) : null,
  };
  log(
    `ours ${oursMs.toFixed(0)} ms, tfjs ${tfMs.toFixed(0)} ms${jaxOnce ? `, jax-js ${jaxMs.toFixed(0)} ms` : ''}: ` +
      `speedup vs tfjs ${(tfMs / oursMs).toFixed(2)}× (median of paired ratios ${results.pairedSpeedupMedian.toFixed(2)}×)` +
      (jaxOnce ? `, vs jax-js ${results.speedupOursOverJax!.toFixed(2)}× (paired ${results.pairedSpeedupOverJaxMedian!.toFixed(2)}×)` : ''),
  );

  disposeParams(params);
  baseline.dispose();
  jaxGpt?.dispose();
  ours.destroy();

  const mb = (b: number | null) => (b === null ? 'n/a' : (b / 2 ** 20).toFixed(2));
  return {
    suite: 'generation',
    date: new Date().toISOString(),
    environment: {
      adapter: ours.adapterInfo,
      userAgent: navigator.userAgent,
      tfjs: tf.version.tfjs,
      jax: '@jax-js/jax 0.1.25 (jit: prefill, decode step, last-step sampling)',
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
      sampledComparison,
    },
    correctness: { tfjs: tfCorrectness, jax: jaxCorrectness ?? { error: jaxError }, oursFusedVsUnfused: fusedCorrectness },
    reps,
    results,
    table: {
      columns: ['contender', 'ms / rollout', 'tokens/s', 'ours faster by', 'dispatches', 'per token', 'submits', 'readbacks', 'GPU MiB held'],
      rows: [
        [`ours (generate, ${defaultDecode})`, oursMs.toFixed(0), results.ours.tokensPerSecond.toFixed(0), '—', oc.dispatches, (oc.dispatches / T).toFixed(1), oc.submits, oc.readbacks, mb(oc.bytesAllocated)],
        [`ours (decode: '${otherDecode}')`, median(samples.oursOther).toFixed(0), ((rows * T) / (median(samples.oursOther) / 1000)).toFixed(0), '', unfusedCounts.dispatches, (unfusedCounts.dispatches / T).toFixed(1), '', unfusedCounts.readbacks, ''],
        ['tfjs webgpu', tfMs.toFixed(0), results.tfjs.tokensPerSecond.toFixed(0), `${results.speedupOursOverTfjs.toFixed(2)}×`, tfCounts.dispatches, (tfCounts.dispatches / T).toFixed(1), tfCounts.submits, tfCounts.readbacks, mb(results.tfjs.bytesHeld)],
        jaxOnce && jaxCounts
          ? ['jax-js webgpu (jit)', jaxMs.toFixed(0), (tokensPerRollout / (jaxMs / 1000)).toFixed(0), `${results.speedupOursOverJax!.toFixed(2)}×`, jaxCounts.dispatches, (jaxCounts.dispatches / T).toFixed(1), jaxCounts.submits, jaxCounts.readbacks, 'n/a']
          : ['jax-js webgpu', 'failed', '', '', '', '', '', '', jaxError ?? ''],
      ],
    },
  };
}

registerSuite('generation', run);
