// Reverse-mode autograd over an eager tape: ops append a node when any input requires a gradient,
// and backward(loss) walks the nodes in reverse creation order, accumulating into leaves' `.grad`.
import type { Backend, DType, Storage } from './backend';
import { formatShape, ShapeError } from './errors';
import { keep } from './scope';
import { sameShape, type Shape } from './shape';
import { engine, Tensor, type Scope, type TapeNode } from './tensor';

/** Runs fn without recording gradients (generation, evaluation, optimiser updates). */
export function noGrad<T>(fn: () => T): T {
  const previous = engine.recording;
  engine.recording = false;
  try {
    return fn();
  } finally {
    engine.recording = previous;
  }
}

export function isRecording(): boolean {
  return engine.recording;
}

/** Wraps a fresh storage as an op output. */
export function wrap(storage: Storage, shape: Shape, dtype: DType = 'f32'): Tensor {
  return new Tensor(storage, shape, dtype);
}

/** The backend all inputs share; mixing backends is an error, not a silent copy. */
export function backendOf(opName: string, ...inputs: Tensor[]): Backend {
  const backend = inputs[0].backend;
  for (const t of inputs) {
    if (t.backend !== backend) throw new Error(`${opName}: inputs live on different backends (${backend.name} and ${t.backend.name}).`);
  }
  return backend;
}

/**
 * Records an op's backward if recording is on and any input requires a gradient; marks the outputs.
 * `backward` receives one gradient per output (null if that output got none) and returns one per input.
 */
export function record(inputs: Tensor[], outputs: Tensor[], backward: TapeNode['backward']): void {
  if (!engine.recording || !inputs.some((t) => t.requiresGrad)) return;
  const node: TapeNode = { inputs, outputs, backward };
  for (const out of outputs) {
    if (out.dtype !== 'f32') continue;
    out.requiresGrad = true;
    out.creator = node;
  }
  engine.tape.push(node);
}

function accumulate(grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void {
  if (!sameShape(g.shape, t.shape)) {
    throw new ShapeError(`Internal gradient shape ${formatShape(g.shape)} does not match ${t.toString()}.`);
  }
  const previous = grads.get(t);
  grads.set(t, previous ? wrap(t.backend.binary('add', previous.storage, [1], g.storage, [1], [t.size]), t.shape) : g);
}

/**
 * Back-propagates from `loss` (a scalar, or any tensor given `seed`, its upstream gradient) and adds
 * the gradients of every leaf that requires one into `leaf.grad`. Consumes the tape.
 *
 * Every tensor made while back-propagating lives in a private scope that is disposed at the end, so
 * backward leaks nothing even outside tidy(); a gradient may be shared by several inputs (an add
 * passes its upstream gradient through), so nothing is disposed before the walk is over.
 */
export function backward(loss: Tensor, seed?: Tensor): void {
  if (!loss.requiresGrad || !loss.creator) {
    throw new Error(`backward: ${loss.toString()} does not depend on any tensor that requires a gradient (or its tape was dropped by tidy()).`);
  }
  if (!seed && loss.size !== 1) throw new ShapeError(`backward: the loss must be a scalar, got shape ${formatShape(loss.shape)}; pass a seed gradient.`);
  if (seed && !sameShape(seed.shape, loss.shape)) throw new ShapeError(`backward: seed shape ${formatShape(seed.shape)} must match loss shape ${formatShape(loss.shape)}.`);

  const tape = engine.tape;
  engine.tape = [];
  const previous = engine.recording;
  engine.recording = false;
  const scratch: Scope = { tracked: new Set<Tensor>(), tapeStart: 0 };
  engine.scopes.push(scratch);
  const leafGrads = new Map<Tensor, Tensor>();
  try {
    const backend = loss.backend;
    const grads = new Map<Tensor, Tensor>();
    grads.set(loss, seed ? seed.view(loss.shape) : wrap(backend.fill(1, 1, 'f32'), loss.shape));
    for (let i = tape.length - 1; i >= 0; i--) {
      const node = tape[i];
      const outGrads = node.outputs.map((o) => grads.get(o) ?? null);
      if (outGrads.every((g) => g === null)) continue;
      const inGrads = node.backward(outGrads);
      node.inputs.forEach((input, j) => {
        const g = inGrads[j];
        if (g && input.requiresGrad) accumulate(grads, input, g);
      });
    }
    for (const [t, g] of grads) if (t.requiresGrad && !t.creator) leafGrads.set(t, g);
    // Leaves' gradients outlive the scratch scope as views (their storage is reference counted).
    engine.scopes.pop();
    for (const [leaf, g] of leafGrads) {
      const fresh = keep(g.view(leaf.shape));
      if (leaf.grad) {
        const total = keep(wrap(leaf.backend.binary('add', leaf.grad.storage, [1], fresh.storage, [1], [leaf.size]), leaf.shape));
        leaf.grad.dispose();
        fresh.dispose();
        leaf.grad = total;
      } else {
        leaf.grad = fresh;
      }
    }
  } finally {
    if (engine.scopes.at(-1) === scratch) engine.scopes.pop();
    for (const t of scratch.tracked) t.dispose();
    engine.recording = previous;
    for (const node of tape) for (const out of node.outputs) out.creator = null;
  }
}

/** Drops the gradients of the given leaves. */
export function zeroGrad(params: Tensor[]): void {
  for (const p of params) {
    p.grad?.dispose();
    p.grad = null;
  }
}
