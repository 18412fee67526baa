// Where the matmul thread pool can get its threads. Node: worker_threads, reached synchronously through
// process.getBuiltinModule (Node ≥ 20.16) because a Backend primitive is synchronous and the pool is
// created on the first large matmul; a static `import 'node:worker_threads'` would break the browser
// bundle. Elsewhere (the page, a Node without getBuiltinModule, no SharedArrayBuffer): null, and the
// CPU back end stays on one thread.
//
// The page stays single-threaded on purpose: see the note in ../cpuOptions.ts.
import type * as NodeOs from 'node:os';
import type * as NodeWorkerThreads from 'node:worker_threads';

/** What a pool worker is started with (cloned into the worker: the Module, the shared Memory and control). */
export interface PoolWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
}

/** A started pool worker: only its end is needed (the pool talks to it through shared memory). */
export interface PoolWorker {
  terminate(): unknown;
}

export interface ThreadHost {
  /** Hardware threads this process may use. */
  parallelism: number;
  /** Starts a worker running `source` (CommonJS, reads its PoolWorkerData) that never keeps the process alive. */
  spawn(source: string, data: PoolWorkerData): PoolWorker;
}

type GetBuiltinModule = (id: string) => unknown;

/** Node's worker_threads, or null where threads or shared memory are missing. */
export function nodeThreadHost(): ThreadHost | null {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return null;
  const proc = typeof process !== 'undefined' ? (process as { getBuiltinModule?: GetBuiltinModule }) : undefined;
  if (typeof proc?.getBuiltinModule !== 'function') return null;
  const threads = proc.getBuiltinModule('node:worker_threads') as typeof NodeWorkerThreads | undefined;
  const os = proc.getBuiltinModule('node:os') as typeof NodeOs | undefined;
  if (!threads?.Worker || !os) return null;
  return {
    parallelism: os.availableParallelism?.() ?? os.cpus().length,
    spawn(source, data) {
      const worker = new threads.Worker(source, { eval: true, workerData: data });
      worker.unref(); // an idle pool never keeps a script from exiting
      return worker;
    },
  };
}
