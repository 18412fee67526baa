// A CPU backend's WASM matmul on one thread or on its pool: how many threads its option means here,
// the pool, created on the first product large enough to pay for it (so a backend that never
// multiplies large matrices — most tests — never starts a worker) and ended with the backend, and,
// per shape, whichever of the two paths is faster right now (./pathChooser.ts).
import type { MatmulParams } from '../../../backend';
import { resolveThreads, type CpuThreads } from '../cpuOptions';
import { AUTO_THREADS_CAP, MatmulPool, createMatmulPool } from './matmulPool';
import { TimedPathChooser, type PathChoice } from './pathChooser';
import { nodeThreadHost, type ThreadHost } from './threadHost';
import type { WasmKernels } from './wasmKernels';

/** The chooser's key: products of one shape and layout take the same path. */
export const shapeKey = (p: MatmulParams) => `${p.batch}·${p.m}×${p.k}·${p.k}×${p.n} ${p.transA ? 'Aᵀ' : 'A'}${p.transB ? 'Bᵀ' : 'B'} ${p.aBatchStride}/${p.bBatchStride}`;

export class MatmulThreads {
  /** undefined until the first product that pays; null where the pool could not be made. */
  private pool: MatmulPool | null | undefined;
  private disposed = false;
  /** Threads the large products may run on: 1 without a thread host (the page, engines without workers). */
  readonly threads: number;

  /** The option resolved on `host` (null host: one thread). */
  constructor(
    option: CpuThreads,
    private readonly kernels: WasmKernels,
    private readonly host: ThreadHost | null = nodeThreadHost(),
    private readonly chooser: PathChoice = new TimedPathChooser(),
  ) {
    this.threads = host ? resolveThreads(option, host.parallelism, AUTO_THREADS_CAP) : 1;
  }

  /** The product, on the pool where it pays (same bits either way). */
  matmul(a: Float32Array, b: Float32Array, p: MatmulParams): Float32Array {
    const single = () => this.kernels.matmul(a, b, p);
    if (this.threads < 2 || this.disposed || !MatmulPool.pays(p)) return single();
    if (this.pool === undefined) this.pool = createMatmulPool(this.threads, this.host);
    const pool = this.pool;
    return pool ? this.chooser.run(shapeKey(p), () => pool.matmul(a, b, p), single) : single();
  }

  /** Whether a pool has been started (and not ended). */
  get poolStarted(): boolean {
    return !!this.pool && !this.pool.isDisposed;
  }

  /** Ends the workers; later products run on the calling thread. */
  dispose(): void {
    this.disposed = true;
    this.pool?.dispose();
  }
}
