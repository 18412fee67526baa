// The RL hot path: log-probability of the sampled tokens and the full-vocabulary entropy, fused.
import { formatShape, ShapeError } from '../errors';
import { backendOf, record, wrap } from '../tape';
import type { Tensor } from '../tensor';

export interface LogProbsResult {
  /** [N] log π(target) at temperature T; 0 for ignored rows (target < 0); -Infinity if impossible. */
  logp: Tensor;
  /** [N] entropy of π(·) at temperature T (docs/rl-reference.md "Entropy"); 0 for ignored rows. */
  entropy: Tensor;
}

/** logits [N, V] (or [..., V]), targets i32 with N elements; logits are divided by the temperature first. */
export function logProbs(logits: Tensor, targets: Tensor, temperature = 1): LogProbsResult {
  if (targets.dtype !== 'i32') throw new Error(`logProbs: targets must be i32, got ${targets.toString()}.`);
  const vocab = logits.shape[logits.rank - 1];
  const rows = logits.size / vocab;
  if (targets.size !== rows) {
    throw new ShapeError(`logProbs: ${rows} rows of logits ${formatShape(logits.shape)} but ${targets.size} targets ${formatShape(targets.shape)}.`);
  }
  if (!(temperature > 0)) throw new Error(`logProbs: temperature must be > 0, got ${temperature}.`);
  const backend = backendOf('logProbs', logits, targets);
  const invT = 1 / temperature;
  const r = backend.logProbEntropy(logits.storage, targets.storage, rows, vocab, invT);
  const logp = wrap(r.logp, [rows]);
  const entropy = wrap(r.entropy, [rows]);
  record([logits, targets], [logp, entropy], ([gLogp, gEntropy]) => {
    const dlogp = gLogp ?? wrap(backend.zeros(rows, 'f32'), [rows]);
    const dlogits = backend.logProbEntropyGrad(logits.storage, targets.storage, dlogp.storage, gEntropy ? gEntropy.storage : null, rows, vocab, invT);
    return [wrap(dlogits, logits.shape), null];
  });
  return { logp, entropy };
}
