// Flat-memory benchmark: 1000 of our train steps (the trainstep suite's step: forward + backward +
// AdamW + one readback, bench/trainstep/oursTrain.ts) with the default model on a SMALLER batch than
// the reference workload — 1 prompt × 4 samples = 4 sequences of 7 + 8 columns — so the run fits the
// runner's budget on a software adapter (the buffer traffic per step does not depend on the batch
// size: the same ops run with smaller tensors). Four different batches are cycled so the pool sees
// changing contents. Every 100 steps it records live buffers, pooled buffers and bytes held; after
// the first interval (pool warm) all three must stay exactly flat.
import { setBackend } from '../../src/engine';
import { WebGpuBackend } from '../../src/engine/backend/webgpu/webgpuBackend';
import { defaultGptConfig, parameterCount } from '../../src/model/config';
import { initialValues } from '../../src/model/params';
import { log, registerSuite, type SuiteResult } from '../harness';
import { OursTrainer } from '../trainstep/oursTrain';
import { makeTrainBatch } from '../trainstep/workload';

const STEPS = 1000;
const EVERY = 100;
const PROMPTS = 1;
const SAMPLES_PER_PROMPT = 4;
const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 };

async function run(): Promise<SuiteResult> {
  const config = defaultGptConfig;
  const ours = await WebGpuBackend.create();
  setBackend(ours);
  log(`adapter: ${JSON.stringify(ours.adapterInfo)}`);
  const batches = [7, 8, 9, 10].map((seed) => makeTrainBatch(PROMPTS, SAMPLES_PER_PROMPT, config.vocabSize, seed));
  const trainer = new OursTrainer(config, initialValues(config, 1234), ADAM);
  const start = ours.counters();
  const samples: { step: number; liveBuffers: number; pooledBuffers: number; bytesAllocated: number; msPerStep: number; loss: number }[] = [];
  let t0 = performance.now();
  let loss = 0;
  for (let step = 1; step <= STEPS; step++) {
    loss = await trainer.step(batches[step % batches.length]);
    if (!Number.isFinite(loss)) throw new Error(`step ${step}: loss ${loss}`);
    if (step === 1 || step % EVERY === 0) {
      const c = ours.counters();
      const msPerStep = (performance.now() - t0) / (step === 1 ? 1 : step === EVERY ? EVERY - 1 : EVERY);
      samples.push({ step, liveBuffers: c.liveBuffers, pooledBuffers: c.pooledBuffers, bytesAllocated: c.bytesAllocated, msPerStep, loss });
      log(`step ${step}: live ${c.liveBuffers}, pooled ${c.pooledBuffers}, ${(c.bytesAllocated / 2 ** 20).toFixed(3)} MiB held, ${msPerStep.toFixed(0)} ms/step, loss ${loss.toFixed(4)}`);
      t0 = performance.now();
    }
  }
  const warm = samples.filter((s) => s.step >= EVERY);
  const flat = (k: 'liveBuffers' | 'pooledBuffers' | 'bytesAllocated') => warm.every((s) => s[k] === warm[0][k]);
  const verdict = { liveBuffersFlat: flat('liveBuffers'), pooledBuffersFlat: flat('pooledBuffers'), bytesFlat: flat('bytesAllocated') };
  const counters = ours.counters();
  trainer.dispose();
  ours.destroy();
  if (!verdict.liveBuffersFlat || !verdict.bytesFlat) throw new Error(`memory is not flat over ${STEPS} steps: ${JSON.stringify(samples)}`);

  return {
    suite: 'memory',
    date: new Date().toISOString(),
    environment: {
      adapter: ours.adapterInfo,
      userAgent: navigator.userAgent,
      method: `${STEPS} train steps of ours (forward + backward + AdamW + one readback each), counters() every ${EVERY} steps`,
    },
    workload: {
      model: config,
      parameters: parameterCount(config),
      prompts: PROMPTS,
      samplesPerPrompt: SAMPLES_PER_PROMPT,
      sequences: PROMPTS * SAMPLES_PER_PROMPT,
      columns: batches[0].T,
      note: 'smaller batch than the trainstep reference (16×8) so 1000 steps fit the time budget on SwiftShader; 4 batches cycled',
    },
    before: { liveBuffers: start.liveBuffers, bytesAllocated: start.bytesAllocated },
    samples,
    verdict,
    totals: { dispatches: counters.dispatches, submits: counters.submits, readbacks: counters.readbacks, readbacksPerStep: counters.readbacks / STEPS },
    table: {
      columns: ['step', 'live buffers', 'pooled buffers', 'MiB held', 'ms / step', 'loss'],
      rows: samples.map((s) => [s.step, s.liveBuffers, s.pooledBuffers, (s.bytesAllocated / 2 ** 20).toFixed(3), s.msPerStep.toFixed(0), s.loss.toFixed(4)]),
    },
  };
}

registerSuite('memory', run);
