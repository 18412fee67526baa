// The matmul thread pool against the one-thread WASM matmul: the same bits on awkward shapes (splitting
// rows or batch entries must not change any element's summation), the pool used only where it pays,
// ended cleanly, and the one-thread fallback where worker_threads or SharedArrayBuffer are missing.
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MatmulParams } from '../../../backend';
import { CpuBackend } from '../cpuBackend';
import { resolveThreads, threadsFromEnv } from '../cpuOptions';
import { randomArray } from '../testUtil';
import { GELU_WASM_BASE64 } from './geluWasm';
import { MIN_THREADED_MACS, MatmulPool, createMatmulPool } from './matmulPool';
import { MatmulThreads } from './matmulThreads';
import type { PathChoice } from './pathChooser';
import { nodeThreadHost, type ThreadHost } from './threadHost';
import { decodeBase64, loadWasmKernels } from './wasmKernels';

const SIZES = [1, 3, 17, 65, 130];
const wasm = loadWasmKernels()!;

function params(batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, broadcast: 'none' | 'a' | 'b' = 'none'): MatmulParams {
  return { batch, m, n, k, transA, transB, aBatchStride: broadcast === 'a' ? 0 : m * k, bBatchStride: broadcast === 'b' ? 0 : k * n };
}

/** Bit-for-bit equality (a failure names the first differing element). */
function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  const i = g.findIndex((v, j) => v !== w[j]);
  if (i >= 0) expect.fail(`${what}: element ${i} is ${got[i]} on the pool, ${want[i]} on one thread`);
}

/** Node's host, recording the workers it starts (and optionally changing what they are started with). */
function recordingHost(change?: (data: Parameters<ThreadHost['spawn']>[1]) => Parameters<ThreadHost['spawn']>[1]) {
  const base = nodeThreadHost()!;
  const workers: Worker[] = [];
  const host: ThreadHost = {
    parallelism: base.parallelism,
    spawn(source, data) {
      const w = base.spawn(source, change ? change(data) : data) as Worker;
      workers.push(w);
      return w;
    },
  };
  return { host, workers };
}

describe('MatmulPool: the same bits as one thread', () => {
  let pool: MatmulPool;
  beforeAll(() => {
    pool = createMatmulPool(3, nodeThreadHost())!;
  });
  afterAll(() => pool.dispose());

  it('is available in Node', () => {
    expect(nodeThreadHost()).not.toBeNull();
    expect(pool).toBeInstanceOf(MatmulPool);
    expect(pool.threads).toBe(3);
  });

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it(`every m, n, k in {${SIZES.join(', ')}}, transA=${transA} transB=${transB}: rows split, or one thread below 8 rows`, () => {
        let split = 0;
        for (const m of SIZES) {
          for (const n of SIZES) {
            for (const k of SIZES) {
              const p = params(1, m, n, k, transA, transB);
              // Fresh values per call, so a part left uncomputed cannot pass with a previous call's output.
              const a = randomArray(m * k, m * 7919 + n * 31 + k + (transA ? 1 : 0));
              const b = randomArray(k * n, n * 7907 + k * 17 + m + (transB ? 2 : 0));
              const got = pool.matmul(a, b, p);
              if (m < 8) {
                expect(got, `${m}×${k}·${k}×${n}: fewer than two 4-row tiles is not split`).toBeNull();
                continue;
              }
              expectSameBits(got!, wasm.matmul(a, b, p), `${m}×${k}·${k}×${n}`);
              split++;
            }
          }
        }
        expect(split).toBe(3 * SIZES.length ** 2); // m = 17, 65, 130
      });
    }
  }

  it('batched (batch entries split when there are at least as many as threads, else rows), broadcast, operands longer than read', () => {
    let seed = 1;
    for (const batch of [2, 3, 7]) {
      for (const broadcast of ['none', 'a', 'b'] as const) {
        for (const [m, n, k] of [[17, 65, 3], [130, 17, 65], [3, 130, 17], [1, 1, 130], [65, 64, 130]]) {
          for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
            const p = params(batch, m, n, k, transA, transB, broadcast);
            const a = randomArray(batch * m * k + 5, seed++);
            const b = randomArray(batch * k * n + 5, seed++);
            const got = pool.matmul(a, b, p);
            const what = `batch ${batch} ${broadcast} ${m}×${k}·${k}×${n} ${transA} ${transB}`;
            if (batch < pool.threads && m < 8) expect(got, what).toBeNull();
            else expectSameBits(got!, wasm.matmul(a, b, p), what);
          }
        }
      }
    }
  });

  it('an empty product is not split (the caller runs it on one thread)', () => {
    for (const [batch, m, n, k] of [[0, 64, 64, 64], [2, 64, 0, 64]]) {
      expect(pool.matmul(new Float32Array(batch * m * k), new Float32Array(batch * k * n), params(batch, m, n, k, false, false))).toBeNull();
    }
  });

  it('more threads than parts: idle workers compute an empty part, and the memory grows for a large product', () => {
    const four = createMatmulPool(4, nodeThreadHost())!;
    try {
      const small = params(1, 8, 17, 3, false, false); // two 4-row tiles: two parts of four threads
      const a = randomArray(8 * 3, 5);
      const b = randomArray(3 * 17, 6);
      expectSameBits(four.matmul(a, b, small)!, wasm.matmul(a, b, small), '8×3·3×17');
      const big = params(1, 1920, 256, 64, false, true);
      const ab = randomArray(1920 * 64, 7);
      const bb = randomArray(256 * 64, 8);
      expectSameBits(four.matmul(ab, bb, big)!, wasm.matmul(ab, bb, big), '1920×64·64×256ᵀ');
      expectSameBits(four.matmul(a, b, small)!, wasm.matmul(a, b, small), '8×3·3×17 after growing');
    } finally {
      four.dispose();
    }
  });
});

/** A chooser that always tries the pool, recording which path each product took. */
function poolFirst() {
  const used: ('pool' | 'single')[] = [];
  const chooser: PathChoice = {
    run(_key, pool, single) {
      const r = pool();
      used.push(r === null ? 'single' : 'pool');
      return r ?? single();
    },
  };
  return { used, chooser };
}

describe('MatmulThreads and CpuBackend: the pool where it pays', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it('a product above the threshold runs on the pool with the one-thread bits; a small one stays on one thread', () => {
    const { used, chooser } = poolFirst();
    const threads = new MatmulThreads(2, wasm, nodeThreadHost(), chooser);
    const small = params(1, 130, 65, 17, false, false);
    const as = randomArray(130 * 17, 1);
    const bs = randomArray(17 * 65, 2);
    try {
      expect(threads.threads).toBe(2);
      expectSameBits(threads.matmul(as, bs, small), wasm.matmul(as, bs, small), 'small');
      expect(used).toEqual([]); // below the threshold: not even offered to the pool
      expect(threads.poolStarted).toBe(false); // lazily: nothing started for small products
      for (const p of [params(1, 1920, 256, 64, false, false), params(1, 1920, 64, 256, false, true), params(8, 128, 256, 64, false, true)]) {
        expect(p.batch * p.m * p.n * p.k).toBeGreaterThanOrEqual(MIN_THREADED_MACS);
        const a = randomArray(p.batch * p.m * p.k, p.n);
        const b = randomArray(p.batch * p.k * p.n, p.k);
        expectSameBits(threads.matmul(a, b, p), wasm.matmul(a, b, p), `${p.batch}×${p.m}×${p.k}·${p.k}×${p.n}`);
      }
      expect(used).toEqual(['pool', 'pool', 'pool']);
      expect(threads.poolStarted).toBe(true);
    } finally {
      threads.dispose();
    }
    expect(threads.poolStarted).toBe(false);
    const p = params(1, 1920, 256, 64, false, false);
    const a = randomArray(1920 * 64, 1);
    const b = randomArray(64 * 256, 2);
    expectSameBits(threads.matmul(a, b, p), wasm.matmul(a, b, p), 'after dispose');
    expect(used).toHaveLength(3); // after dispose: one thread, the pool not offered
  });

  it('CpuBackend with threads 2 and with threads 1 give the same bits on a large product', async () => {
    const p = params(1, 1920, 256, 64, true, false);
    const a = randomArray(1920 * 64, 11);
    const b = randomArray(64 * 256, 12);
    const run = async (backend: CpuBackend) => {
      try {
        return (await backend.read(backend.matmul(backend.upload(a), backend.upload(b), p))) as Float32Array;
      } finally {
        backend.dispose();
      }
    };
    const two = new CpuBackend({ threads: 2 });
    expect(two.threads).toBe(2);
    const one = new CpuBackend({ threads: 1 });
    expect(one.threads).toBe(1);
    expectSameBits(await run(two), await run(one), 'backend 1920×64ᵀ·64×256');
    expect(new CpuBackend({ kernels: 'js', threads: 4 }).threads).toBe(1); // the pool is the WASM kernel's
  });

  it('dispose ends every worker, and a disposed pool refuses work', async () => {
    const { host, workers } = recordingHost();
    const pool = createMatmulPool(3, host)!;
    const p = params(1, 64, 64, 64, false, false);
    const a = randomArray(64 * 64, 1);
    expectSameBits(pool.matmul(a, a, p)!, wasm.matmul(a, a, p), '64³');
    expect(workers).toHaveLength(2);
    const exits = workers.map((w) => once(w, 'exit'));
    pool.dispose();
    pool.dispose(); // idempotent
    await Promise.all(exits);
    expect(pool.isDisposed).toBe(true);
    expect(() => pool.matmul(a, a, p)).toThrow(/after dispose/);
  });

  it('workers that cannot instantiate the module: the pool gives up and the product runs on one thread', async () => {
    const gelu = new WebAssembly.Module(decodeBase64(GELU_WASM_BASE64) as Uint8Array<ArrayBuffer>); // no matmul export
    const { host, workers } = recordingHost((data) => ({ ...data, module: gelu }));
    const { used, chooser } = poolFirst();
    const threads = new MatmulThreads(3, wasm, host, chooser);
    const p = params(1, 1920, 256, 64, false, false);
    const a = randomArray(1920 * 64, 1);
    const b = randomArray(64 * 256, 2);
    expectSameBits(threads.matmul(a, b, p), wasm.matmul(a, b, p), 'workers failed');
    expect(used).toEqual(['single']);
    expect(workers).toHaveLength(2);
    expect(threads.poolStarted).toBe(false);
    await Promise.all(workers.map((w) => once(w, 'exit')));
  });

  it('without SharedArrayBuffer or worker_threads: one thread, same results', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    expect(nodeThreadHost()).toBeNull();
    const backend = new CpuBackend({ threads: 4 });
    expect(backend.threads).toBe(1);
    const p = params(1, 1920, 256, 64, false, false);
    const a = randomArray(1920 * 64, 3);
    const b = randomArray(64 * 256, 4);
    expectSameBits((await backend.read(backend.matmul(backend.upload(a), backend.upload(b), p))) as Float32Array, wasm.matmul(a, b, p), 'no SharedArrayBuffer');
    vi.unstubAllGlobals();

    const proc = process as { getBuiltinModule?: unknown };
    const saved = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined; // a Node older than 20.16
    try {
      expect(nodeThreadHost()).toBeNull();
      expect(new MatmulThreads(4, wasm).threads).toBe(1);
    } finally {
      proc.getBuiltinModule = saved;
    }
    expect(createMatmulPool(4, null)).toBeNull();
  });

  it('the option: auto is min(hardware threads, cap), RLVR_CPU_THREADS is read and checked', () => {
    expect(resolveThreads('auto', 16, 4)).toBe(4);
    expect(resolveThreads('auto', 2, 4)).toBe(2);
    expect(resolveThreads('auto', 1, 4)).toBe(1);
    expect(resolveThreads(3, 2, 4)).toBe(3); // an explicit count is honoured
    expect(() => resolveThreads(0, 2, 4)).toThrow(/positive integer/);
    expect(() => resolveThreads(1.5, 2, 4)).toThrow(/positive integer/);
    vi.stubEnv('RLVR_CPU_THREADS', '');
    expect(threadsFromEnv()).toBeUndefined();
    vi.stubEnv('RLVR_CPU_THREADS', 'auto');
    expect(threadsFromEnv()).toBe('auto');
    vi.stubEnv('RLVR_CPU_THREADS', '3');
    expect(threadsFromEnv()).toBe(3);
    expect(new CpuBackend().threads).toBe(3);
    for (const bad of ['0', '-1', '2.5', 'many']) {
      vi.stubEnv('RLVR_CPU_THREADS', bad);
      expect(() => threadsFromEnv(), bad).toThrow(/RLVR_CPU_THREADS/);
    }
  });
});
