// The engine's global state: the active backend, the scope stack (tidy) and the autograd tape.
// One engine per JavaScript realm (the training worker, a Node script, a test), like TF.js.
// Generic over the tensor type so this module needs nothing from tensor.ts: the one instance,
// `engine`, is made in tensor.ts (its constructor registers each tensor with it), which keeps the
// two modules free of an import cycle.
import type { Backend } from './backend';

/** One recorded op: how to turn its outputs' gradients into its inputs' gradients. */
export interface TapeNodeOf<T> {
  inputs: T[];
  outputs: T[];
  /** Gradients for each input (null where an input needs none). Runs with recording off. */
  backward: (outputGrads: (T | null)[]) => (T | null)[];
}

export interface ScopeOf<T> {
  tracked: Set<T>;
  tapeStart: number;
}

export class EngineState<T> {
  private activeBackend: Backend | null = null;
  readonly scopes: ScopeOf<T>[] = [];
  tape: TapeNodeOf<T>[] = [];
  recording = true;
  nextTensorId = 1;

  get backend(): Backend {
    if (!this.activeBackend) throw new Error('No backend set: call setBackend(new CpuBackend()) or await WebGpuBackend.create() first.');
    return this.activeBackend;
  }

  set backend(b: Backend) {
    this.activeBackend = b;
  }

  get hasBackend(): boolean {
    return this.activeBackend !== null;
  }
}
