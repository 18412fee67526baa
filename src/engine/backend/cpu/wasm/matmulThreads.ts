// A CPU backend's matmul threads: how many its option means here, and the pool, created on the first
// product large enough to pay for it (so a backend that never multiplies large matrices — most tests —
// never starts a worker) and ended with the backend.
import type { MatmulParams } from '../../../backend';
import { resolveThreads, type CpuThreads } from '../cpuOptions';
import { AUTO_THREADS_CAP, MatmulPool, createMatmulPool } from './matmulPool';
import { nodeThreadHost, type ThreadHost } from './threadHost';

export class MatmulThreads {
  /** undefined until the first product that pays; null where the pool could not be made. */
  private pool: MatmulPool | null | undefined;
  private disposed = false;
  /** Threads the large products run on: 1 without a thread host (the page, engines without workers). */
  readonly threads: number;

  /** The option resolved on `host` (null host: one thread). */
  constructor(option: CpuThreads, private readonly host: ThreadHost | null = nodeThreadHost()) {
    this.threads = host ? resolveThreads(option, host.parallelism, AUTO_THREADS_CAP) : 1;
  }

  /** The product on the pool, or null: too small to pay, one thread configured, or no pool here. */
  matmul(a: Float32Array, b: Float32Array, p: MatmulParams): Float32Array | null {
    if (this.threads < 2 || this.disposed || !MatmulPool.pays(p)) return null;
    if (this.pool === undefined) this.pool = createMatmulPool(this.threads, this.host);
    return this.pool ? this.pool.matmul(a, b, p) : null;
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
