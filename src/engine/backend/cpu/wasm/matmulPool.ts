// The WASM SIMD matmul on several threads: the same matmul.wat, assembled with an imported shared
// memory (matmulSharedWasm.ts), instantiated on the calling thread and in T−1 pool workers. A call
// copies the operands into the shared memory once, splits the product into T parts — whole batch
// entries when there are at least T of them, else ranges of whole 4-row tiles — computes the first part
// itself while the workers compute the others, and waits for them (Atomics.wait): the synchronous
// fan-out a synchronous Backend primitive needs. Splitting changes no element's summation (each output
// element is one k-ordered dot product in any part), so the result equals the one-thread result bit for
// bit; matmulPool.test.ts checks it.
//
// Measured by bench/cpu/threads.ts on a 2-core machine: 1.25–1.28× on the two largest train-step shapes
// (~31 M multiply-adds), 0.95× at 8 M, 0.5–0.9× at 0.5–2 M, hence MIN_THREADED_MACS. Above it, whether
// the pool pays right now (a busy machine may not schedule the workers in time) is timed per shape by
// ./pathChooser.ts.
import type { MatmulParams } from '../../../backend';
import { MATMUL_SHARED_WASM_BASE64 } from './matmulSharedWasm';
import type { PoolWorker, PoolWorkerData, ThreadHost } from './threadHost';
import { decodeBase64 } from './wasmKernels';

/** Products below this many multiply-adds (batch·m·n·k) run on one thread: waking workers costs more. */
export const MIN_THREADED_MACS = 1 << 24;
/** 'auto' uses at most this many threads: our largest products (~31 M multiply-adds, ~1.5 ms on one
 *  thread) split finer than this spend more on the fan-out than they save. */
export const AUTO_THREADS_CAP = 4;

const PAGE = 65536;
const MAX_BYTES = 2 ** 31; // the module's declared maximum (32768 pages); i32 byte offsets
const align16 = (bytes: number) => (bytes + 15) & ~15;
/** How long a worker may take to start (instantiate its module) before the pool gives up on threads. */
const START_TIMEOUT_MS = 10_000;
/** A part that has not finished in this long means a dead worker: fail loudly rather than hang. */
const RUN_TIMEOUT_MS = 120_000;

// Control words (Int32Array over a SharedArrayBuffer): the generation the workers wait on (−1 = exit),
// parts finished, an error flag, workers started (or failed to); then 16 matmul arguments per worker slot.
const GEN = 0;
const DONE = 1;
const ERROR = 2;
const READY = 3;
const ARGS = 8;
const ARG_COUNT = 16;

/** A pool worker: instantiate, say ready, then compute its slot's part on every new generation. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const c = new Int32Array(control);
let mm = null;
try {
  mm = new WebAssembly.Instance(module, { env: { memory } }).exports.matmul;
  if (typeof mm !== 'function') throw new Error('no matmul export');
} catch {
  mm = null;
  Atomics.store(c, ${ERROR}, 1);
}
Atomics.add(c, ${READY}, 1); // started, well or not: the error flag says which
Atomics.notify(c, ${READY});
let seen = 0;
while (mm) {
  Atomics.wait(c, ${GEN}, seen);
  seen = Atomics.load(c, ${GEN});
  if (seen < 0) break;
  const o = ${ARGS} + ${ARG_COUNT} * slot;
  try {
    mm(c[o], c[o + 1], c[o + 2], c[o + 3], c[o + 4], c[o + 5], c[o + 6], c[o + 7],
       c[o + 8], c[o + 9], c[o + 10], c[o + 11], c[o + 12], c[o + 13], c[o + 14], c[o + 15]);
  } catch {
    Atomics.store(c, ${ERROR}, 1);
  }
  Atomics.add(c, ${DONE}, 1);
  Atomics.notify(c, ${DONE});
}
`;

type MatmulFn = (...args: number[]) => void;

/** Waits until c[index] reaches `target` (values only grow); false on timeout. */
function waitFor(c: Int32Array, index: number, target: number, timeoutMs: number): boolean {
  const deadline = performance.now() + timeoutMs;
  for (let v = Atomics.load(c, index); v < target; v = Atomics.load(c, index)) {
    const left = deadline - performance.now();
    if (left <= 0) return false;
    Atomics.wait(c, index, v, left);
  }
  return true;
}

export class MatmulPool {
  private readonly memory: WebAssembly.Memory;
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * (ARGS + ARG_COUNT * 64)));
  private readonly mm: MatmulFn;
  private readonly workers: PoolWorker[] = [];
  private started = false;
  /** The workers did not start: the pool answers null (one thread) from then on. */
  private failed = false;
  private disposed = false;

  /** Use createMatmulPool (it returns null where the pool cannot exist). */
  constructor(module: WebAssembly.Module, host: ThreadHost, readonly threads: number) {
    if (!(Number.isInteger(threads) && threads >= 2 && threads <= 64)) throw new Error(`MatmulPool: threads must be an integer in [2, 64], got ${threads}`);
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_BYTES / PAGE, shared: true });
    this.mm = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports.matmul as MatmulFn;
    try {
      for (let slot = 0; slot < threads - 1; slot++) {
        const data: PoolWorkerData = { module, memory: this.memory, control: this.control.buffer as SharedArrayBuffer, slot };
        this.workers.push(host.spawn(WORKER_SOURCE, data));
      }
    } catch (e) {
      this.dispose(); // the workers already started end with the ones that could not
      throw e;
    }
  }

  /** Whether a product of this size is worth the fan-out. */
  static pays(p: MatmulParams): boolean {
    return p.batch * p.m * p.n * p.k >= MIN_THREADED_MACS;
  }

  /**
   * The product split over the threads; null when it cannot be split into two parts (m < 8 and fewer
   * batch entries than threads), is empty, or the workers failed to start (the caller then runs one thread).
   */
  matmul(a: Float32Array, b: Float32Array, p: MatmulParams): Float32Array | null {
    if (this.disposed && !this.failed) throw new Error('MatmulPool: used after dispose');
    const { batch, m, n, k, transA, transB, aBatchStride, bBatchStride } = p;
    const parts = batch >= this.threads ? this.threads : Math.min(this.threads, Math.floor(m / 4));
    if (parts < 2 || batch * m * n === 0 || this.failed || !this.start()) return null;

    const outSize = batch * m * n;
    const aLen = (batch - 1) * aBatchStride + m * k;
    const bLen = (batch - 1) * bBatchStride + k * n;
    const bOff = align16(aLen * 4);
    const outOff = align16(bOff + bLen * 4);
    const scratchOff = align16(outOff + outSize * 4);
    const scratchBytes = align16(k * ((n + 7) & ~7) * 4 + 128); // packed B panel + edge tile, per thread
    const heap = this.reserve(scratchOff + parts * scratchBytes);
    heap.set(a.length === aLen ? a : a.subarray(0, aLen), 0);
    heap.set(b.length === bLen ? b : b.subarray(0, bLen), bOff >> 2);

    // Per part: the 16 arguments of matmul.wat's export. A(i, kk) at i*aRow + kk*aCol, B alike.
    const layout = [transA ? 1 : k, transA ? m : 1, transB ? 1 : n, transB ? k : 1];
    const partArgs = (t: number): number[] => {
      const scratch = scratchOff + t * scratchBytes;
      if (batch >= this.threads) {
        const b0 = Math.floor((t * batch) / parts);
        const b1 = Math.floor(((t + 1) * batch) / parts);
        return [b0 * aBatchStride * 4, aBatchStride, layout[0], layout[1], bOff + b0 * bBatchStride * 4, bBatchStride, layout[2], layout[3],
          outOff + b0 * m * n * 4, b1 - b0, m, n, k, 0, m, scratch];
      }
      const rowsPer = Math.ceil(m / 4 / parts) * 4; // whole 4-row tiles, so no part takes the 1-row path more than needed
      const i0 = Math.min(m, t * rowsPer);
      return [0, aBatchStride, layout[0], layout[1], bOff, bBatchStride, layout[2], layout[3],
        outOff, batch, m, n, k, i0, Math.min(m, i0 + rowsPer), scratch];
    };

    const c = this.control;
    // Workers without a part this time compute an empty one (batch 0).
    for (let slot = 0; slot < this.threads - 1; slot++) {
      const args = slot + 1 < parts ? partArgs(slot + 1) : new Array<number>(ARG_COUNT).fill(0);
      c.set(args, ARGS + ARG_COUNT * slot);
    }
    Atomics.store(c, DONE, 0);
    Atomics.store(c, GEN, (Atomics.load(c, GEN) + 1) & 0x3fffffff); // stays ≥ 0 (−1 means exit); workers only compare
    Atomics.notify(c, GEN);
    this.mm(...partArgs(0));
    if (!waitFor(c, DONE, this.threads - 1, RUN_TIMEOUT_MS)) throw new Error(`MatmulPool: a worker did not finish within ${RUN_TIMEOUT_MS} ms`);
    if (Atomics.load(c, ERROR) !== 0) throw new Error('MatmulPool: a worker failed computing its part');
    return heap.slice(outOff >> 2, (outOff >> 2) + outSize);
  }

  /** Stops the workers (they exit their wait loop, and are terminated). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.control, GEN, -1);
    Atomics.notify(this.control, GEN);
    for (const w of this.workers) void w.terminate();
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Waits, once, for every worker to instantiate its module; false (and disposed) if one failed. */
  private start(): boolean {
    if (this.started) return true;
    const ok = waitFor(this.control, READY, this.threads - 1, START_TIMEOUT_MS) && Atomics.load(this.control, ERROR) === 0;
    if (!ok) {
      this.failed = true;
      this.dispose();
    }
    this.started = ok;
    return ok;
  }

  /** The shared memory as f32, grown to hold `bytes` (a shared memory grows in place; the view is remade). */
  private reserve(bytes: number): Float32Array {
    if (bytes > MAX_BYTES) throw new Error(`MatmulPool: ${bytes} bytes of operands exceed the shared memory's 2 GiB`);
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    return new Float32Array(this.memory.buffer);
  }
}

/** A pool of `threads` threads (this one included), or null where threads, shared memory or the
 *  shared-memory module are unavailable: the caller then stays on one thread. */
export function createMatmulPool(threads: number, host: ThreadHost | null): MatmulPool | null {
  if (!host || threads < 2) return null;
  try {
    const module = new WebAssembly.Module(decodeBase64(MATMUL_SHARED_WASM_BASE64) as Uint8Array<ArrayBuffer>);
    return new MatmulPool(module, host, threads);
  } catch {
    return null;
  }
}
