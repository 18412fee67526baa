// Do threads help the WASM matmul at our sizes on this machine? `npx vite-node bench/cpu/threads.ts`
// writes bench/results/cpu-threads.json. This probe is the measurement behind the CPU back end's
// matmul thread pool (src/engine/backend/cpu/wasm/matmulPool.ts): where it pays, hence its threshold.
//
// The same matmul.wat, its memory turned into an imported shared memory, instantiated on the main
// thread and in T−1 worker_threads; each call splits the output rows into T ranges, the main thread
// computes the first and wakes the workers (Atomics.notify) for the others, then waits for them
// (Atomics.wait): the synchronous fan-out a synchronous Backend primitive would need. Each shape of a
// default train step is timed with 1 and with 2 threads, alternated, median of the repetitions.
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import wabtInit from 'wabt';
import { readFileSync } from 'node:fs';
import { WASM_DIR } from '../../tools/wasmAssemble';
import { median, randomArray } from '../harness';

const REPS = 31;

async function sharedModule(): Promise<WebAssembly.Module> {
  const wabt = await wabtInit();
  const text = readFileSync(join(WASM_DIR, 'matmul.wat'), 'utf8').replace(
    '(memory (export "memory") 1)',
    '(import "env" "memory" (memory 1 16384 shared))',
  );
  if (!text.includes('shared')) throw new Error('threads: matmul.wat no longer declares its memory as expected');
  const m = wabt.parseWat('matmul-shared.wat', text, { simd: true, bulk_memory: true, threads: true });
  const bytes = m.toBinary({}).buffer;
  m.destroy();
  return new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
}

// Control words: [0] generation, [1] workers done, [2..] the 16 matmul arguments, worker w adds its
// own row range and scratch at [18 + 3w ..].
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, index } = workerData;
const mm = new WebAssembly.Instance(module, { env: { memory } }).exports.matmul;
const c = new Int32Array(control);
let seen = 0;
for (;;) {
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (seen < 0) break;
  const a = c.subarray(2, 18);
  const o = 18 + 3 * index;
  mm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], c[o], c[o + 1], c[o + 2]);
  Atomics.add(c, 1, 1);
  Atomics.notify(c, 1);
}
parentPort.postMessage('bye');
`;

class ThreadedMatmul {
  readonly memory = new WebAssembly.Memory({ initial: 1024, maximum: 16384, shared: true });
  readonly control = new Int32Array(new SharedArrayBuffer(4 * 64));
  private readonly mm: (...args: number[]) => void;
  private readonly workers: Worker[] = [];

  constructor(module: WebAssembly.Module, readonly threads: number) {
    this.mm = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports.matmul as (...args: number[]) => void;
    for (let w = 0; w < threads - 1; w++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: this.memory, control: this.control.buffer, index: w } });
      worker.unref(); // never keeps Node alive
      this.workers.push(worker);
    }
  }

  /** A [m, k] · B [k, n], rows split over the threads; operands already in memory at 0 and aBytes. */
  run(m: number, n: number, k: number, aOff: number, bOff: number, outOff: number, scratchOff: number, threads: number): void {
    const c = this.control;
    const args = [aOff, m * k, k, 1, bOff, k * n, n, 1, outOff, 1, m, n, k];
    const scratchBytes = ((k * ((n + 7) & ~7) * 4 + 128 + 15) & ~15);
    const rowsPer = Math.ceil(m / 4 / threads) * 4; // whole 4-row tiles per thread
    c.set(args, 2);
    for (let w = 0; w < threads - 1; w++) {
      const i0 = Math.min(m, (w + 1) * rowsPer);
      c.set([i0, Math.min(m, i0 + rowsPer), scratchOff + (w + 1) * scratchBytes], 18 + 3 * w);
    }
    Atomics.store(c, 1, 0);
    if (threads > 1) {
      Atomics.add(c, 0, 1);
      Atomics.notify(c, 0);
    }
    this.mm(aOff, m * k, k, 1, bOff, k * n, n, 1, outOff, 1, m, n, k, 0, Math.min(m, rowsPer), scratchOff);
    for (let done = Atomics.load(c, 1); done < threads - 1; done = Atomics.load(c, 1)) Atomics.wait(c, 1, done);
  }

  async close(): Promise<void> {
    Atomics.store(this.control, 0, -1);
    Atomics.notify(this.control, 0);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const SHAPES: [number, number, number][] = [
  [1920, 64, 64],
  [1920, 256, 64],
  [1920, 64, 256],
  [128, 64, 64], // a rollout step's q/k/v/o projection (128 rows)
  [128, 256, 64],
];

const module = await sharedModule();
const pool = new ThreadedMatmul(module, 2);
const results = [];
for (const [m, n, k] of SHAPES) {
  const heap = new Float32Array(pool.memory.buffer);
  const aOff = 0;
  const bOff = (m * k * 4 + 15) & ~15;
  const outOff = (bOff + k * n * 4 + 15) & ~15;
  const scratchOff = (outOff + m * n * 4 + 15) & ~15;
  heap.set(randomArray(m * k, 1), aOff >> 2);
  heap.set(randomArray(k * n, 2), bOff >> 2);
  pool.run(m, n, k, aOff, bOff, outOff, scratchOff, 1);
  const one = heap.slice(outOff >> 2, (outOff >> 2) + m * n);
  heap.fill(NaN, outOff >> 2, (outOff >> 2) + m * n); // so rows nobody computed cannot pass as right
  pool.run(m, n, k, aOff, bOff, outOff, scratchOff, 2);
  const two = heap.slice(outOff >> 2, (outOff >> 2) + m * n);
  if (!one.every((v, i) => v === two[i])) throw new Error(`threads: ${m}×${k}·${k}×${n} differs between 1 and 2 threads`);
  const ms: Record<'1' | '2', number[]> = { '1': [], '2': [] };
  for (let r = 0; r < REPS + 2; r++) {
    for (const t of [1, 2] as const) {
      const t0 = performance.now();
      pool.run(m, n, k, aOff, bOff, outOff, scratchOff, t);
      if (r >= 2) ms[t].push(performance.now() - t0);
    }
  }
  const row = { shape: `${m}×${k}·${k}×${n}`, oneThreadMs: median(ms['1']), twoThreadsMs: median(ms['2']), speedup: median(ms['1']) / median(ms['2']) };
  console.log(JSON.stringify(row));
  results.push({ ...row, samplesMs: ms });
}
await pool.close();
const out = {
  suite: 'cpu-threads',
  date: new Date().toISOString(),
  environment: { node: process.version, parallelism: availableParallelism(), loadAverage1m: loadavg()[0] },
  method: `matmul rows split over the main thread and ${pool.threads - 1} worker (shared WebAssembly.Memory, Atomics.wait/notify), median of ${REPS} alternated repetitions; results identical bit for bit between 1 and 2 threads`,
  results,
};
writeFileSync(join('bench', 'results', 'cpu-threads.json'), JSON.stringify(out, null, 2) + '\n');
console.log('wrote bench/results/cpu-threads.json');
