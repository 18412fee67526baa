// Token sampling as a tensor op (no gradient: the ids are i32). Wraps Backend.sampleTokens; see
// SampleParams in backend.ts for the exact semantics of temperature, top-k, top-p and the seed.
import { formatShape, ShapeError } from '../errors';
import { backendOf, wrap } from '../tape';
import type { Tensor } from '../tensor';

export interface SampleOptions {
  /** 0 = greedy (argmax, ties to the lowest id). */
  temperature: number;
  /** 0 = off. */
  topK?: number;
  /** 1 = off. */
  topP?: number;
  /** u32 seed and counter: the uniform of row r is a hash of (seed, step, r). */
  seed: number;
  step: number;
  eosId: number;
  padId: number;
}

/** logits [..., vocab] -> i32 ids [rows]; `finished` (i32 [rows]) is updated in place. */
export function sampleTokens(logits: Tensor, finished: Tensor, o: SampleOptions): Tensor {
  if (finished.dtype !== 'i32') throw new Error(`sampleTokens: finished must be i32, got ${finished.toString()}.`);
  const vocab = logits.shape[logits.rank - 1];
  const rows = logits.size / vocab;
  if (finished.size !== rows) {
    throw new ShapeError(`sampleTokens: ${rows} rows of logits ${formatShape(logits.shape)} but finished is ${formatShape(finished.shape)}.`);
  }
  if (!(o.temperature >= 0 && Number.isFinite(o.temperature))) throw new Error(`sampleTokens: temperature must be >= 0, got ${o.temperature}.`);
  const backend = backendOf('sampleTokens', logits, finished);
  const greedy = o.temperature === 0;
  const ids = backend.sampleTokens(logits.storage, finished.storage, {
    rows,
    vocab,
    invTemperature: greedy ? 1 : 1 / o.temperature,
    greedy,
    topK: o.topK ?? 0,
    topP: o.topP ?? 1,
    seed: o.seed >>> 0,
    step: o.step >>> 0,
    eosId: o.eosId,
    padId: o.padId,
  });
  return wrap(ids, [rows], 'i32');
}
