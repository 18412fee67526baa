// npm run soak [-- --steps 2000] [--every 100] [--out docs/soak]
// The reliability soak: the default preset for many steps through the lab's own run loop (the
// TrainingSession the worker runs: host snapshots every step, held-out evaluations every
// run.evalEvery steps, samples for the inspector), on the CPU backend in Node — a SwiftShader step is
// ~30 s, so 2,000 steps there would take most of a day. Every `--every` steps it records the backend's
// live storages and bytes, the engine's live tensors and V8's heap after a full GC (run with
// --expose-gc, as `npm run soak` does). At the end it says whether the counts are flat after warm-up
// and by how much the heap moved, and writes <out>/soak.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { presetConfig } from '../src/experiment/presets';
import { cpuBackend } from '../src/worker/backendSelection';
import { nodeCheckpointLoader } from './nodeRun';
import type { TrainingEvent } from '../src/worker/protocol';
import { TrainingSession } from '../src/worker/trainingSession';
import type { Backend } from '../src/engine/backend';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const STEPS = Number(argValue('steps') ?? 2000);
const EVERY = Number(argValue('every') ?? 100);
const OUT = argValue('out') ?? 'docs/soak';

const fileLoader = nodeCheckpointLoader();

interface Sample {
  step: number;
  liveStorages: number;
  bytesAllocated: number;
  heapUsedMiB: number;
  rssMiB: number;
  secondsPerStep: number;
  reward: number;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) console.warn('soak: run with node --expose-gc (npm run soak does) for heap figures after a full GC');
  let backend: Backend | null = null;
  const samples: Sample[] = [];
  const errors: string[] = [];
  let evaluations = 0;
  let lastReward = NaN;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  let last = performance.now();
  const session = new TrainingSession({
    createBackend: async () => {
      const selected = cpuBackend();
      backend = selected.backend;
      return selected;
    },
    loadCheckpoint: fileLoader,
    emit: (e: TrainingEvent) => {
      if (e.type === 'error') errors.push(`${e.kind}: ${e.message}`);
      if (e.type === 'evaluation') evaluations++;
      if (e.type === 'status' && (e.state === 'stopped' || e.state === 'error' || e.state === 'paused')) done();
      if (e.type !== 'metrics') return;
      lastReward = e.metrics.reward;
      const step = e.step + 1;
      if (step % EVERY !== 0 && step !== 1) return;
      gc?.();
      const c = backend!.counters();
      const mem = process.memoryUsage();
      const now = performance.now();
      const sample: Sample = {
        step,
        liveStorages: c.liveBuffers,
        bytesAllocated: c.bytesAllocated,
        heapUsedMiB: mem.heapUsed / 2 ** 20,
        rssMiB: mem.rss / 2 ** 20,
        secondsPerStep: step === 1 ? NaN : (now - last) / 1000 / EVERY,
        reward: lastReward,
      };
      last = now;
      samples.push(sample);
      write(false);
      console.log(`step ${step}: ${c.liveBuffers} live storages, ${(c.bytesAllocated / 2 ** 20).toFixed(2)} MiB held, heap ${sample.heapUsedMiB.toFixed(1)} MiB, rss ${sample.rssMiB.toFixed(0)} MiB, ${sample.secondsPerStep.toFixed(2)} s/step, reward ${lastReward.toFixed(3)}`);
    },
  });
  const started = performance.now();
  // Written after every sample too, so a soak cut short still leaves its figures.
  const write = (complete: boolean) => {
    const warm = samples.filter((s) => s.step >= EVERY);
    const flat = (k: 'liveStorages' | 'bytesAllocated') => warm.every((s) => s[k] === warm[0][k]);
    const heap = warm.map((s) => s.heapUsedMiB);
    const verdict = {
      complete,
      steps: samples.length ? samples[samples.length - 1].step : 0,
      liveStoragesFlat: flat('liveStorages'),
      bytesFlat: flat('bytesAllocated'),
      heapMiBFirst: heap[0] ?? null,
      heapMiBLast: heap[heap.length - 1] ?? null,
      heapMiBMax: heap.length ? Math.max(...heap) : null,
      evaluations,
      errors,
      seconds: (performance.now() - started) / 1000,
    };
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'soak.json'), JSON.stringify({ preset: 'default', backend: 'cpu', node: process.version, every: EVERY, verdict, samples }, null, 2) + '\n');
    return verdict;
  };
  await session.init();
  const config = presetConfig('default');
  config.run.steps = STEPS;
  await session.handle({ type: 'start', config, runIds: ['soak'] });
  await finished;
  await session.dispose();
  const verdict = write(true);
  console.log(`soak: ${JSON.stringify(verdict)}; wrote ${join(OUT, 'soak.json')}`);
  if (!verdict.liveStoragesFlat || !verdict.bytesFlat || errors.length > 0) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
