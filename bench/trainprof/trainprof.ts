// Train-step profile: our train step alone (no contenders, so it takes a minute, not four) on the
// trainstep suite's workload (16×8 sequences, fwd + bwd + AdamW), timed, with its dispatch count and a
// per-kernel GPU profile (timestamp queries, a pass per launch). For working on the training kernels;
// the race against TF.js and jax-js is the trainstep suite.
import { setBackend } from '../../src/engine';
import { GpuProfiler, type KernelTime } from '../../src/engine/backend/webgpu/profile';
import { WebGpuBackend } from '../../src/engine/backend/webgpu/webgpuBackend';
import { defaultGptConfig } from '../../src/model/config';
import { initialValues } from '../../src/model/params';
import { log, median, registerSuite, timeAlternating, type SuiteResult } from '../harness';
import { OursTrainer } from '../trainstep/oursTrain';
import { makeTrainBatch } from '../trainstep/workload';

const REPS = 7;
const PROFILED_STEPS = 2;
const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 };

async function run(): Promise<SuiteResult> {
  const ours = await WebGpuBackend.create();
  setBackend(ours);
  const config = defaultGptConfig;
  const batch = makeTrainBatch(16, 8, config.vocabSize);
  const trainer = new OursTrainer(config, initialValues(config, 1234), ADAM);
  await trainer.step(batch); // compiles
  ours.resetCounters();
  await trainer.step(batch);
  const c = ours.counters();
  const samples = await timeAlternating({ ours: async () => void (await trainer.step(batch)) }, 0, REPS);

  const profiler = GpuProfiler.create(ours.device);
  let kernels: KernelTime[] = [];
  if (profiler) {
    ours.profiler = profiler;
    for (let i = 0; i < PROFILED_STEPS; i++) await trainer.step(batch);
    ours.flush();
    kernels = (await profiler.collect()).map((k) => ({ ...k, launches: k.launches / PROFILED_STEPS, totalMs: k.totalMs / PROFILED_STEPS }));
    ours.profiler = null;
    profiler.destroy();
  }
  const gpuMs = kernels.reduce((a, k) => a + k.totalMs, 0);
  log(`GPU ${gpuMs.toFixed(1)} ms per step\n${kernels
    .slice(0, 14)
    .map((k) => `  ${k.name.padEnd(28)} ${k.launches.toFixed(0).padStart(5)} × ${k.meanMs.toFixed(3)} ms = ${k.totalMs.toFixed(1)} ms`)
    .join('\n')}`);
  trainer.dispose();
  ours.destroy();
  return {
    suite: 'trainprof',
    date: new Date().toISOString(),
    environment: { adapter: ours.adapterInfo, userAgent: navigator.userAgent },
    workload: { model: config, sequences: batch.N, columns: batch.T },
    counts: { dispatches: c.dispatches, submits: c.submits, readbacks: c.readbacks },
    samplesMs: samples.ours,
    profile: { gpuMsPerStep: gpuMs, kernels },
    table: {
      columns: ['contender', 'ms / step', 'dispatches', 'submits', 'readbacks', 'GPU ms (profiled)'],
      rows: [['ours', median(samples.ours).toFixed(0), c.dispatches, c.submits, c.readbacks, gpuMs.toFixed(0)]],
    },
  };
}

registerSuite('trainprof', run);
