// tidy(): run a function and dispose every tensor it created except what it returns (TF.js-style),
// so a training loop holds a flat number of buffers. keep() exempts a tensor from its scope.
//
// Autograd rule: the tape nodes recorded inside a tidy are dropped when it ends (they reference the
// intermediates it disposes). So call backward() inside the same tidy as the forward pass.
import { engine, Tensor } from './tensor';

function collect(value: unknown, into: Set<Tensor>, depth = 0): void {
  if (depth > 8 || value === null || value === undefined) return;
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into, depth + 1);
  else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into, depth + 1);
  }
}

/** Tensors are found in the result itself, in arrays and in plain objects (a few levels deep). */
export function tidy<T>(fn: () => T): T {
  const scope = { tracked: new Set<Tensor>(), tapeStart: engine.tape.length };
  engine.scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } finally {
    engine.scopes.pop();
  }
  if (result instanceof Promise) throw new Error('tidy() cannot take an async function: await outside it.');
  const survivors = new Set<Tensor>();
  collect(result, survivors);
  if (engine.tape.length > scope.tapeStart) engine.tape.length = scope.tapeStart;
  for (const t of scope.tracked) {
    if (survivors.has(t)) continue;
    t.creator = null;
    t.dispose();
  }
  const parent = engine.scopes.at(-1);
  for (const t of survivors) {
    t.creator = null;
    parent?.tracked.add(t);
  }
  return result;
}

/** Removes a tensor from every scope: it lives until disposed by hand (parameters, optimiser state). */
export function keep<T extends Tensor>(t: T): T {
  for (const scope of engine.scopes) scope.tracked.delete(t);
  return t;
}
