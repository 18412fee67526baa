// The engine's global state: the active backend, the scope stack (tidy) and the autograd tape.
// One engine per JavaScript realm (the training worker, a Node script, a test), like TF.js.
import type { Backend } from './backend';
import type { Tensor } from './tensor';

/** One recorded op: how to turn its outputs' gradients into its inputs' gradients. */
export interface TapeNode {
  inputs: Tensor[];
  outputs: Tensor[];
  /** Gradients for each input (null where an input needs none). Runs with recording off. */
  backward: (outputGrads: (Tensor | null)[]) => (Tensor | null)[];
}

export interface Scope {
  tracked: Set<Tensor>;
  tapeStart: number;
}

class EngineState {
  private activeBackend: Backend | null = null;
  readonly scopes: Scope[] = [];
  tape: TapeNode[] = [];
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

export const engine = new EngineState();

export function setBackend(backend: Backend): void {
  engine.backend = backend;
}

export function getBackend(): Backend {
  return engine.backend;
}
