// Decode profile: our rollout alone (no contenders, so it takes a minute, not fifteen) — the generation
// suite's workload (16×8 rows, 32 new tokens, temperature 1) with each of our decode loops, timed
// alternately, with dispatch counts and a per-kernel GPU profile of one rollout each (timestamp
// queries, a pass per launch). For working on the decode kernels; the race against TF.js and jax-js
// is the generation suite.
import { setBackend } from '../../src/engine';
import { GpuProfiler, type KernelTime } from '../../src/engine/backend/webgpu/profile';
import { WebGpuBackend } from '../../src/engine/backend/webgpu/webgpuBackend';
import { defaultGptConfig } from '../../src/model/config';
import { generate } from '../../src/model/generate';
import { createParams, disposeParams, initialValues } from '../../src/model/params';
import { createRng } from '../../src/tasks/random';
import { getTask } from '../../src/tasks/registry';
import { encodePrompt } from '../../src/tasks/tokenizer';
import { log, median, registerSuite, timeAlternating, type SuiteResult } from '../harness';

const PROMPTS = 16;
const SAMPLES_PER_PROMPT = 8;
const NEW_TOKENS = 32;
const REPS = 5;
const DECODES = ['unfused', 'fused'] as const;

async function run(): Promise<SuiteResult> {
  const ours = await WebGpuBackend.create();
  setBackend(ours);
  const config = defaultGptConfig;
  const params = createParams(config, initialValues(config, 1234));
  const task = getTask('addition');
  const rng = createRng(7);
  const prompts = Array.from({ length: PROMPTS }, () => encodePrompt(task.generate(rng.pick(task.arms).id, rng).prompt));
  const sampled = { samplesPerPrompt: SAMPLES_PER_PROMPT, maxNewTokens: NEW_TOKENS, temperature: 1, seed: 99 };
  const once = (decode: (typeof DECODES)[number]) => async () => void (await generate(config, params, prompts, { ...sampled, decode }));

  const counts: Record<string, { dispatches: number; perToken: number; submits: number; readbacks: number }> = {};
  for (const d of DECODES) {
    await once(d)(); // compiles
    ours.resetCounters();
    await once(d)();
    const c = ours.counters();
    counts[d] = { dispatches: c.dispatches, perToken: c.dispatches / NEW_TOKENS, submits: c.submits, readbacks: c.readbacks };
  }
  const samples = await timeAlternating(Object.fromEntries(DECODES.map((d) => [d, once(d)])), 0, REPS);

  const profiles: Record<string, { gpuMs: number; kernels: KernelTime[] }> = {};
  for (const d of DECODES) {
    const profiler = GpuProfiler.create(ours.device);
    if (!profiler) break;
    ours.profiler = profiler;
    await once(d)();
    ours.flush();
    const kernels = await profiler.collect();
    ours.profiler = null;
    profiler.destroy();
    profiles[d] = { gpuMs: kernels.reduce((a, k) => a + k.totalMs, 0), kernels };
    log(`${d}: GPU ${profiles[d].gpuMs.toFixed(1)} ms per rollout\n${kernels
      .slice(0, 12)
      .map((k) => `  ${k.name.padEnd(28)} ${String(k.launches).padStart(5)} × ${k.meanMs.toFixed(3)} ms = ${k.totalMs.toFixed(1)} ms`)
      .join('\n')}`);
  }
  disposeParams(params);
  ours.destroy();
  const rows = PROMPTS * SAMPLES_PER_PROMPT;
  return {
    suite: 'decode',
    date: new Date().toISOString(),
    environment: { adapter: ours.adapterInfo, userAgent: navigator.userAgent, decodeThreads: ours.decodeThreads },
    workload: { model: config, rows, newTokens: NEW_TOKENS, temperature: 1 },
    counts,
    samplesMs: samples,
    profiles,
    table: {
      columns: ['decode', 'ms / rollout', 'tokens/s', 'dispatches', 'per token', 'submits', 'readbacks', 'GPU ms (profiled)'],
      rows: DECODES.map((d) => [
        d + (d === 'fused' ? ' (generate() default)' : ''),
        median(samples[d]).toFixed(0),
        ((rows * NEW_TOKENS) / (median(samples[d]) / 1000)).toFixed(0),
        counts[d].dispatches,
        counts[d].perToken.toFixed(1),
        counts[d].submits,
        counts[d].readbacks,
        profiles[d] ? profiles[d].gpuMs.toFixed(0) : 'n/a',
      ]),
    },
  };
}

registerSuite('decode', run);
