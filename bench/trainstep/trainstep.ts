// Train-step benchmark: one optimisation step of the default preset — forward + backward + AdamW over
// one rollout batch (16 prompts × 8 samples = 128 sequences of 7 prompt + 8 completion columns) with
// the GRPO loss (token-mean PPO-clip, fixed advantages, old log-probs = current) — ours on our WebGPU
// engine, against the same model, weights and loss in TF.js (WebGPU backend, its own autograd, Adam)
// and in jax-js (jit(valueAndGrad(loss)) + a jitted Adam, on its WebGPU device), same adapter, same page.
//
// Correctness first: the three losses on the same batch must agree within 1e-4 relative, at step 1
// (same weights) and at step 2 (after one update each: checks the gradients and the optimisers too).
// Then: odd repetitions alternating the contenders, medians; our dispatches/submits/readbacks per
// step; GPU memory held; model FLOP/s against a 512³ matmul of our kernel measured in the same run;
// and a per-kernel GPU-time profile of our step from the timestamp profiler.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { MatmulParams } from '../../src/engine/backend';
import { GpuProfiler, type KernelTime } from '../../src/engine/backend/webgpu/profile';
import { WebGpuBackend } from '../../src/engine/backend/webgpu/webgpuBackend';
import { defaultGptConfig, parameterCount, parameterShapes } from '../../src/model/config';
import { initialValues } from '../../src/model/params';
import { log, median, randomArray, registerSuite, timeAlternating, type SuiteResult } from '../harness';
import { countTfjs } from '../tfjsCounters';
import { numpy as np } from '@jax-js/jax';
import { startContenders } from '../contenders';
import { JaxTrainer } from './jaxTrain';
import { OursTrainer } from './oursTrain';
import { TfjsTrainer } from './tfjsTrain';
import { COMPLETION_WIDTH, PROMPT_WIDTH, forwardFlops, makeTrainBatch } from './workload';

const PROMPTS = 16; // B
const SAMPLES_PER_PROMPT = 8; // G
const WEIGHT_SEED = 1234;
/** The default preset's optimiser (trainerConfig.ts) with weight decay 0 and no gradient clipping:
 *  TF.js's Adam has neither, and the three must do the same arithmetic. */
const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 };
const AGREEMENT_TOLERANCE = 1e-4;
const MIN_REPS = 3;
const MAX_REPS = 5;
const TIMING_BUDGET_MS = 4 * 60_000;
const PROFILED_STEPS = 2;

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);

/** Median ms and GFLOP/s of our matmul at 512³ (the peak the model's FLOP/s are compared with). */
async function matmulPeak(ours: WebGpuBackend): Promise<{ ms: number; gflops: number; samplesMs: number[] }> {
  const n = 512;
  const p: MatmulParams = { batch: 1, m: n, n, k: n, transA: false, transB: false, aBatchStride: n * n, bBatchStride: n * n };
  const a = ours.upload(randomArray(n * n, 1));
  const b = ours.upload(randomArray(n * n, 2));
  const once = async () => {
    const out = ours.matmul(a, b, p);
    await ours.read(out);
    ours.free(out);
  };
  const samples = await timeAlternating({ matmul: once }, 2, 7);
  ours.free(a);
  ours.free(b);
  const ms = median(samples.matmul);
  return { ms, gflops: (2 * n ** 3) / 1e6 / ms, samplesMs: samples.matmul };
}

/** The same 512³ matmul in jax-js (np.matmul + one data()), to tell kernel speed from step overhead. */
async function jaxMatmul(): Promise<{ ms: number; gflops: number; samplesMs: number[] }> {
  const n = 512;
  const a = np.array(Float32Array.from(randomArray(n * n, 1)), { shape: [n, n] });
  const b = np.array(Float32Array.from(randomArray(n * n, 2)), { shape: [n, n] });
  const once = async () => void (await np.matmul(a.ref, b.ref).data());
  const samples = await timeAlternating({ matmul: once }, 2, 7);
  a.dispose();
  b.dispose();
  const ms = median(samples.matmul);
  return { ms, gflops: (2 * n ** 3) / 1e6 / ms, samplesMs: samples.matmul };
}

async function run(): Promise<SuiteResult> {
  const config = defaultGptConfig;
  const started = await startContenders();
  const ours = started.ours;
  let jaxError = started.jaxError;

  const values = initialValues(config, WEIGHT_SEED);
  const batch = makeTrainBatch(PROMPTS, SAMPLES_PER_PROMPT, config.vocabSize);
  const { N, T } = batch;
  log(`${PROMPTS}×${SAMPLES_PER_PROMPT} = ${N} sequences × ${T} columns (${PROMPT_WIDTH} prompt + ${COMPLETION_WIDTH} completion), ${batch.completionTokens} completion tokens; prompts e.g. ${batch.promptTexts.slice(0, 4).join(' ')}`);

  const oursT = new OursTrainer(config, values, ADAM);
  const tfT = new TfjsTrainer(config, values, ADAM);
  let jaxT: JaxTrainer | null = null;
  const jaxNotes: string[] = [];

  // ---- correctness. With old log-probs = current, ρ ≡ 1 and the loss is −Σ m·A / Σ m whatever the
  // weights, so equal losses alone prove little: each side also reports Σ m·logπ (the forward pass)
  // and the squared global gradient norm (the backward pass), on the initial weights and again after
  // one train step (the optimiser). The train steps here are also the warm-up, which compiles.
  type Probe = { loss: number; logpSum: number; gradNormSq: number | null };
  const probes: Record<string, Probe[]> = { ours: [], tfjs: [], jax: [] };
  const firstMs: Record<string, number> = {};
  const timed = async (name: string, f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    firstMs[name] = performance.now() - t0;
  };
  probes.ours.push(await oursT.probe(batch));
  await timed('ours', () => oursT.step(batch));
  probes.ours.push(await oursT.probe(batch));
  probes.tfjs.push(await tfT.probe(batch));
  await timed('tfjs', () => tfT.step(batch));
  probes.tfjs.push(await tfT.probe(batch));
  if (!jaxError) {
    // Embeddings by np.take first; if its gradient (a scatter-add) does not run under jit, by one-hot matmuls.
    for (const mode of ['take', 'one-hot matmul'] as const) {
      const trainer = new JaxTrainer(config, values, ADAM, N, T);
      if (mode !== 'take') trainer.useOneHotEmbedding();
      try {
        const p0 = await trainer.probe(batch);
        await timed('jax', () => trainer.step(batch));
        probes.jax = [p0, await trainer.probe(batch)];
        jaxT = trainer;
        break;
      } catch (e) {
        const msg = `jax-js with ${mode} embeddings failed: ${e instanceof Error ? e.message : String(e)}`;
        jaxNotes.push(msg);
        log(msg);
        try {
          trainer.dispose();
        } catch {
          /* its state may be half-consumed */
        }
      }
    }
    if (!jaxT) jaxError = jaxNotes.join(' | ');
  }
  const compare = (other: string, i: number) =>
    probes[other].length > i
      ? {
          loss: relDiff(probes[other][i].loss, probes.ours[i].loss),
          logpSum: relDiff(probes[other][i].logpSum, probes.ours[i].logpSum),
          gradNormSq: probes[other][i].gradNormSq === null ? null : relDiff(probes[other][i].gradNormSq!, probes.ours[i].gradNormSq!),
        }
      : null;
  const agreement = {
    what:
      'relative difference to ours of the loss, Σ mask·logπ and Σ‖grad‖², on the initial weights and after one train step ' +
      '(TF.js: no gradient norm — its gradients are checked through Σ mask·logπ after the update)',
    initial: { tfjs: compare('tfjs', 0), jax: compare('jax', 0) },
    afterOneStep: { tfjs: compare('tfjs', 1), jax: compare('jax', 1) },
    probes,
    tolerance: AGREEMENT_TOLERANCE,
  };
  log(`agreement: ${JSON.stringify({ initial: agreement.initial, afterOneStep: agreement.afterOneStep })}; probes ${JSON.stringify(probes)}`);
  for (const [when, byName] of Object.entries({ initial: agreement.initial, afterOneStep: agreement.afterOneStep })) {
    for (const [name, d] of Object.entries(byName)) {
      if (!d) continue;
      for (const [what, err] of Object.entries(d)) {
        if (err !== null && !(err <= AGREEMENT_TOLERANCE)) throw new Error(`${when}: ours and ${name} disagree on ${what} (relative ${err}).`);
      }
    }
  }

  // ---- counts of one step (ours from the backend's counters, TF.js by wrapping its backend)
  ours.resetCounters();
  await oursT.step(batch);
  const oc = ours.counters();
  const byKernel = Object.fromEntries([...ours.dispatchesByKernel.entries()].sort((a, b) => b[1] - a[1]));
  const tfCounts = await countTfjs(async () => void (await tfT.step(batch)));
  log(`ours per step: ${oc.dispatches} dispatches, ${oc.submits} submits, ${oc.readbacks} readbacks; by kernel ${JSON.stringify(byKernel)}`);
  log(`tfjs per step: ${JSON.stringify(tfCounts)}`);

  // ---- peak: our matmul at 512³
  const peak = await matmulPeak(ours);
  log(`512³ matmul (ours): ${peak.ms.toFixed(1)} ms = ${peak.gflops.toFixed(3)} GFLOP/s`);
  const jaxPeak = jaxT ? await jaxMatmul() : null;
  if (jaxPeak) log(`512³ matmul (jax-js): ${jaxPeak.ms.toFixed(1)} ms = ${jaxPeak.gflops.toFixed(3)} GFLOP/s`);

  // ---- timing
  const contenders: Record<string, () => Promise<void>> = {
    ours: async () => void (await oursT.step(batch)),
    tfjs: async () => void (await tfT.step(batch)),
  };
  if (jaxT) {
    const j = jaxT;
    contenders.jax = async () => void (await j.step(batch));
  }
  const perRound = Object.values(firstMs).reduce((a, b) => a + b, 0) / 2; // first steps include compilation
  let reps = Math.floor(Math.min(MAX_REPS, Math.max(MIN_REPS, TIMING_BUDGET_MS / Math.max(perRound, 1))));
  if (reps % 2 === 0) reps--;
  reps = Math.max(reps, MIN_REPS);
  log(`first (compiling) steps: ${JSON.stringify(Object.fromEntries(Object.entries(firstMs).map(([k, v]) => [k, Math.round(v)])))} ms; ${reps} reps`);
  const liveBefore = ours.counters().liveBuffers;
  const tfTensorsBefore = tf.memory().numTensors;
  const samples = await timeAlternating(contenders, 1, reps);
  const liveAfter = ours.counters().liveBuffers;
  const tfTensorsAfter = tf.memory().numTensors;
  if (liveAfter !== liveBefore) throw new Error(`ours leaked buffers: ${liveBefore} live before the timed steps, ${liveAfter} after.`);
  if (tfTensorsAfter !== tfTensorsBefore) throw new Error(`TF.js leaked tensors: ${tfTensorsBefore} before, ${tfTensorsAfter} after.`);
  const oursMem = ours.counters();
  const tfMem = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };

  // ---- profile of our step (a pass per dispatch while profiling: slower than the timed steps)
  const profiler = GpuProfiler.create(ours.device);
  let profile: KernelTime[] = [];
  let profileNote = '';
  let profiledWallMs = 0;
  if (profiler) {
    ours.profiler = profiler;
    const t0 = performance.now();
    for (let i = 0; i < PROFILED_STEPS; i++) await oursT.step(batch);
    profiledWallMs = (performance.now() - t0) / PROFILED_STEPS;
    ours.flush();
    profile = await profiler.collect();
    ours.profiler = null;
    profileNote = `${PROFILED_STEPS} profiled steps; dropped ${profiler.dropped}, clamped ${profiler.clamped}`;
    profiler.destroy();
  } else {
    profileNote = 'the device has no timestamp-query: no profile';
  }
  const perStep = (k: KernelTime) => ({ ...k, launches: k.launches / PROFILED_STEPS, totalMs: k.totalMs / PROFILED_STEPS });
  const profilePerStep = profile.map(perStep);
  const gpuMsPerStep = profilePerStep.reduce((a, k) => a + k.totalMs, 0);
  log(`profile (per step, ${profileNote}): GPU ${gpuMsPerStep.toFixed(1)} ms of ${profiledWallMs.toFixed(0)} ms wall\n${profilePerStep
    .slice(0, 10)
    .map((k) => `  ${k.name.padEnd(28)} ${k.launches.toFixed(0).padStart(5)} × ${k.meanMs.toFixed(3)} ms = ${k.totalMs.toFixed(1)} ms`)
    .join('\n')}`);

  // ---- results
  const flops = 3 * forwardFlops(config, N, T);
  const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const paired = (other: string) => (samples[other] ? median(samples.ours.map((ms, i) => ms / samples[other][i])) : null);
  const gflops = (ms: number) => flops / 1e6 / ms;
  const results = {
    ours: {
      medianMs: med.ours,
      gflops: gflops(med.ours),
      mfu: gflops(med.ours) / peak.gflops,
      dispatches: oc.dispatches,
      submits: oc.submits,
      readbacks: oc.readbacks,
      dispatchesByKernel: byKernel,
      bytesHeld: oursMem.bytesAllocated,
      liveBuffers: oursMem.liveBuffers,
      pooledBuffers: oursMem.pooledBuffers,
      samplesMs: samples.ours,
    },
    tfjs: {
      medianMs: med.tfjs,
      gflops: gflops(med.tfjs),
      mfu: gflops(med.tfjs) / peak.gflops,
      dispatches: tfCounts.dispatches,
      submits: tfCounts.submits,
      readbacks: tfCounts.readbacks,
      bytesHeld: tfMem.numBytesAllocatedInGPU ?? null,
      bytesInUse: tfMem.numBytesInGPU ?? null,
      samplesMs: samples.tfjs,
    },
    jax: jaxT
      ? { medianMs: med.jax, gflops: gflops(med.jax), mfu: gflops(med.jax) / peak.gflops, embedding: jaxT.embedding, bytesHeld: null, samplesMs: samples.jax }
      : { error: jaxError },
    /** time ratios (ratio of medians): < 1 means ours is faster. Goals: ≤ 0.5 vs TF.js, ≤ 0.8 vs jax-js. */
    timeRatioOursOverTfjs: med.ours / med.tfjs,
    timeRatioOursOverJax: jaxT ? med.ours / med.jax : null,
    /** median of each repetition's paired ratio (the contenders ran back to back). */
    pairedTimeRatioOursOverTfjs: paired('tfjs'),
    pairedTimeRatioOursOverJax: paired('jax'),
  };
  log(`ours ${med.ours.toFixed(0)} ms, tfjs ${med.tfjs.toFixed(0)} ms${jaxT ? `, jax-js ${med.jax.toFixed(0)} ms` : ''}; ours/tfjs ${results.timeRatioOursOverTfjs.toFixed(2)}${jaxT ? `, ours/jax ${results.timeRatioOursOverJax!.toFixed(2)}` : ''}`);

  oursT.dispose();
  tfT.dispose();
  jaxT?.dispose();
  ours.destroy();

  const mb = (b: number | null | undefined) => (b === null || b === undefined ? 'n/a' : (b / 2 ** 20).toFixed(2));
  const row = (name: string, ms: number | undefined, d: unknown, s: unknown, r: unknown, bytes: number | null | undefined) =>
    ms === undefined
      ? [name, 'failed', '', '', '', '', '', '', '']
      : [name, ms.toFixed(0), (med.ours / ms).toFixed(2), gflops(ms).toFixed(3), `${((100 * gflops(ms)) / peak.gflops).toFixed(1)}%`, String(d), String(s), String(r), mb(bytes)];
  return {
    suite: 'trainstep',
    date: new Date().toISOString(),
    environment: {
      adapter: ours.adapterInfo,
      userAgent: navigator.userAgent,
      tfjs: tf.version.tfjs,
      jax: '@jax-js/jax 0.1.25',
      method:
        'one train step = upload the packed batch + forward + backward + Adam(W) (wd 0, no clipping) + one readback of the ' +
        'loss; median of odd repetitions after a warm-up round, contenders alternated per repetition; same adapter, same ' +
        'page, same weights and batch. Other load on the machine makes absolute times noisy: read the ratios.',
    },
    workload: {
      model: config,
      parameters: parameterCount(config),
      parameterTensors: parameterShapes(config).length,
      weightSeed: WEIGHT_SEED,
      prompts: PROMPTS,
      samplesPerPrompt: SAMPLES_PER_PROMPT,
      sequences: N,
      promptWidth: PROMPT_WIDTH,
      completionWidth: COMPLETION_WIDTH,
      columns: T,
      tokens: N * T,
      completionTokens: batch.completionTokens,
      promptTexts: batch.promptTexts,
      completionLengths: batch.completionLengths,
      loss: 'token-mean PPO-clip (ε 0.2/0.2), per-sequence advantages (group-normalised 0/1 rewards), old log-probs = current (ρ ≡ 1)',
      optimizer: ADAM,
      modelFlopsPerStep: flops,
      flopsNote: '3 × forward (matmuls of q,k,v,o, MLP, attention scores and mixing, tied head); element-wise work not counted',
    },
    correctness: agreement,
    jaxNotes,
    peakMatmul: { shape: '512×512·512×512', ...peak },
    jaxMatmul512: jaxPeak,
    reps,
    results,
    profile: {
      note: profileNote,
      profiledWallMsPerStep: profiledWallMs,
      gpuMsPerStep,
      kernelsPerStep: profilePerStep,
    },
    table: {
      columns: ['contender', 'ms / step', 'ours/x time', 'GFLOP/s', 'MFU (vs 512³ matmul)', 'dispatches', 'submits', 'readbacks', 'GPU MiB held'],
      rows: [
        row('ours (WebGPU engine)', med.ours, oc.dispatches, oc.submits, oc.readbacks, oursMem.bytesAllocated),
        row('tfjs webgpu', med.tfjs, tfCounts.dispatches, tfCounts.submits, tfCounts.readbacks, results.tfjs.bytesHeld),
        row(`jax-js webgpu${jaxT ? ` (jit, ${jaxT.embedding})` : ''}`, med.jax, 'n/a', 'n/a', 'n/a', null),
        ['512³ matmul (ours, peak)', peak.ms.toFixed(0), '', peak.gflops.toFixed(3), '100%', 1, '', 1, ''],
        ...(jaxPeak ? [['512³ matmul (jax-js)', jaxPeak.ms.toFixed(0), '', jaxPeak.gflops.toFixed(3), `${((100 * jaxPeak.gflops) / peak.gflops).toFixed(0)}%`, '', '', 1, '']] : []),
      ],
    },
  };
}

registerSuite('trainstep', run);
