// Reverse-mode autograd over an eager tape: ops append a node when any input requires a gradient,
// and backward(loss) walks the nodes in reverse creation order, accumulating into leaves' `.grad`.
import type { Backend, DType, Storage } from './backend';
import { engine, type TapeNode } from './engine';
import { formatShape, ShapeError } from './errors';
import { keep } from './scope';
import { sameShape, type Shape } from './shape';
import { Tensor } from './tensor';

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
  if (!previous) {
    grads.set(t, g);
    return;
  }
  const backend = t.backend;
  const sum = wrap(backend.binary('add', previous.storage, [1], g.storage, [1], [t.size]), t.shape);
  previous.dispose();
  g.dispose();
  grads.set(t, sum);
}

/**
 * Back-propagates from `loss` (a scalar, or any tensor given `seed`, its upstream gradient) and adds
 * the gradients of every leaf that requires one into `leaf.grad`. Consumes the tape.
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
  const grads = new Map<Tensor, Tensor>();
  try {
    const backend = loss.backend;
    grads.set(loss, seed ? wrap(backend.stridedCopy(seed.storage, 0, [1], [seed.size]), loss.shape) : wrap(backend.fill(1, 1, 'f32'), loss.shape));
    for (let i = tape.length - 1; i >= 0; i--) {
      const node = tape[i];
      const outGrads = node.outputs.map((o) => grads.get(o) ?? null);
      if (outGrads.every((g) => g === null)) continue;
      const inGrads = node.backward(outGrads);
      node.outputs.forEach((o) => {
        const g = grads.get(o);
        if (g && !(o.requiresGrad && !o.creator)) {
          g.dispose();
          grads.delete(o);
        }
      });
      node.inputs.forEach((input, j) => {
        const g = inGrads[j];
        if (!g) return;
        if (!input.requiresGrad) {
          g.dispose();
          return;
        }
        accumulate(grads, input, g);
      });
    }
    for (const [t, g] of grads) {
      if (t.creator || !t.requiresGrad) {
        g.dispose();
        continue;
      }
      // A leaf: add into its .grad, which the leaf owns (no scope may dispose it).
      keep(g);
      if (t.grad) {
        const sum = wrap(t.backend.binary('add', t.grad.storage, [1], g.storage, [1], [t.size]), t.shape);
        keep(sum);
        t.grad.dispose();
        g.dispose();
        t.grad = sum;
      } else {
        t.grad = g;
      }
    }
  } finally {
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
