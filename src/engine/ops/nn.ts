// Neural-network ops backed by fused primitives: layer norm, (log-)softmax with attention masks,
// embedding lookup, and cross-entropy.
import type { BiasActivation, SoftmaxMask } from '../backend';
import { formatShape, ShapeError } from '../errors';
import { backendOf, record, wrap } from '../tape';
import type { Tensor } from '../tensor';
import { logProbs } from './logProbs';
import { matmul } from './matmul';
import { div, mul, neg } from './elementwise';
import { mean, sum } from './reduce';

export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  const cols = x.shape[x.rank - 1];
  if (gamma.size !== cols || beta.size !== cols) {
    throw new ShapeError(`layerNorm: gamma ${formatShape(gamma.shape)} and beta ${formatShape(beta.shape)} must have ${cols} elements for x ${formatShape(x.shape)}.`);
  }
  const backend = backendOf('layerNorm', x, gamma, beta);
  const rows = x.size / cols;
  const r = backend.layerNorm(x.storage, gamma.storage, beta.storage, rows, cols, eps);
  const out = wrap(r.y, x.shape);
  const meanT = wrap(r.mean, [rows]);
  const rstdT = wrap(r.rstd, [rows]);
  record([x, gamma, beta], [out], ([g]) => {
    const grads = backend.layerNormGrad(g!.storage, x.storage, gamma.storage, meanT.storage, rstdT.storage, rows, cols);
    return [wrap(grads.dx, x.shape), wrap(grads.dgamma, gamma.shape), wrap(grads.dbeta, beta.shape)];
  });
  return out;
}

/**
 * act(x + bias) for x [..., cols] and bias [cols]: a linear layer's bias and activation fused (one
 * launch), and one launch backward for both gradients (the op-by-op graph: add, GELU, then GELU's
 * gradient and a separate column reduction for the bias).
 */
export function biasActivation(x: Tensor, bias: Tensor, act: BiasActivation): Tensor {
  const cols = x.shape[x.rank - 1];
  if (bias.rank !== 1 || bias.size !== cols) throw new ShapeError(`biasActivation: bias ${formatShape(bias.shape)} must be [${cols}] for x ${formatShape(x.shape)}.`);
  const backend = backendOf('biasActivation', x, bias);
  const rows = x.size / cols;
  const out = wrap(backend.biasActivation(x.storage, bias.storage, rows, cols, act), x.shape);
  record([x, bias], [out], ([g]) => {
    const r = backend.biasActivationGrad(g!.storage, x.storage, bias.storage, rows, cols, act);
    return [r.dx ? wrap(r.dx, x.shape) : g, wrap(r.dbias, bias.shape)];
  });
  return out;
}

/**
 * A linear layer x·w + bias with its activation, the bias and activation applied as the matmul stores
 * its outputs (Backend.matmulBiasActivation: one launch where the backend has it). x [rows, k], w [k, n],
 * bias [n]. Backward: biasActivationGrad from the stored pre-bias product (GELU), then the matmul's two
 * products.
 */
export function linear(x: Tensor, w: Tensor, bias: Tensor, act: BiasActivation): Tensor {
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0] || bias.rank !== 1 || bias.size !== w.shape[1]) {
    throw new ShapeError(`linear: x ${formatShape(x.shape)}, w ${formatShape(w.shape)} and bias ${formatShape(bias.shape)} do not fit.`);
  }
  const backend = backendOf('linear', x, w, bias);
  const [rows, k] = x.shape;
  const n = w.shape[1];
  const r = backend.matmulBiasActivation(x.storage, w.storage, bias.storage, rows, k, n, act);
  const out = wrap(r.y, [rows, n]);
  const pre = r.pre ? wrap(r.pre, [rows, n]) : null;
  record([x, w, bias], [out], ([g]) => {
    // Without an activation biasActivationGrad reads only dy (its x is unused): pass g there.
    const gb = backend.biasActivationGrad(g!.storage, (pre ?? g!).storage, bias.storage, rows, n, act);
    const dpre = gb.dx ? wrap(gb.dx, [rows, n]) : g!;
    return [x.requiresGrad ? matmul(dpre, w, { transB: true }) : null, w.requiresGrad ? matmul(x, dpre, { transA: true }) : null, wrap(gb.dbias, bias.shape)];
  });
  return out;
}

/**
 * The pre-LN block's residual add and the norm that reads it, fused: sum = x + delta (delta null: sum
 * = x), y = layerNorm(sum). One launch forward and one backward (its dx is the residual stream's
 * gradient plus the norm's, which the op-by-op graph adds in a separate launch).
 */
export function residualLayerNorm(x: Tensor, delta: Tensor | null, gamma: Tensor, beta: Tensor, eps = 1e-5): { sum: Tensor; y: Tensor } {
  const cols = x.shape[x.rank - 1];
  if (gamma.size !== cols || beta.size !== cols || (delta && (delta.size !== x.size || delta.shape[delta.rank - 1] !== cols))) {
    throw new ShapeError(`residualLayerNorm: x ${formatShape(x.shape)}, delta ${delta ? formatShape(delta.shape) : 'none'}, gamma ${formatShape(gamma.shape)}, beta ${formatShape(beta.shape)} do not fit.`);
  }
  const backend = backendOf('residualLayerNorm', x, gamma, beta, ...(delta ? [delta] : []));
  const rows = x.size / cols;
  const r = backend.residualLayerNorm(x.storage, delta?.storage ?? null, gamma.storage, beta.storage, rows, cols, eps);
  const sum = wrap(r.sum, x.shape);
  const y = wrap(r.y, x.shape);
  const stats = wrap(r.stats, [2, rows]);
  const inputs = delta ? [x, delta, gamma, beta] : [x, gamma, beta];
  record(inputs, [sum, y], ([dSum, dy]) => {
    if (!dy) return delta ? [dSum, dSum, null, null] : [dSum, null, null];
    const g = backend.residualLayerNormGrad(dy.storage, dSum?.storage ?? null, sum.storage, gamma.storage, stats.storage, rows, cols);
    const dx = wrap(g.dx, x.shape);
    // x and delta get the same gradient: an add passes it through to both.
    const rest = [wrap(g.dgamma, gamma.shape), wrap(g.dbeta, beta.shape)];
    return delta ? [dx, dx.view(delta.shape), ...rest] : [dx, ...rest];
  });
  return { sum, y };
}

/** Attention masks in tensor terms; see SoftmaxMask in backend.ts for the exact semantics. */
export interface AttentionMask {
  causal: boolean;
  /** Query positions per row block (defaults to the number of rows of the last two axes). */
  queryLen?: number;
  /** f32 [numBatches, cols]: 1 = key visible, 0 = padding. */
  keyMask?: Tensor;
  /** Rows of x per keyMask row (e.g. heads × queryLen). */
  rowsPerBatch?: number;
}

function toBackendMask(x: Tensor, mask: AttentionMask | undefined): SoftmaxMask | null {
  if (!mask) return null;
  const cols = x.shape[x.rank - 1];
  const queryLen = mask.queryLen ?? (x.rank >= 2 ? x.shape[x.rank - 2] : 1);
  if (mask.keyMask && mask.keyMask.shape[mask.keyMask.rank - 1] !== cols) {
    throw new ShapeError(`softmax: keyMask ${formatShape(mask.keyMask.shape)} must end in ${cols} columns like x ${formatShape(x.shape)}.`);
  }
  return {
    causal: mask.causal,
    queryLen,
    keyMask: mask.keyMask ? mask.keyMask.storage : null,
    rowsPerBatch: mask.rowsPerBatch ?? x.size / cols,
  };
}

function softmaxImpl(x: Tensor, mask: AttentionMask | undefined, log: boolean): Tensor {
  const cols = x.shape[x.rank - 1];
  const rows = x.size / cols;
  const backend = x.backend;
  const out = wrap(backend.softmax(x.storage, rows, cols, toBackendMask(x, mask), log), x.shape);
  record([x], [out], ([g]) => [wrap(backend.softmaxGrad(out.storage, g!.storage, rows, cols, log), x.shape)]);
  return out;
}

/** Softmax over the last axis; masked entries are exactly 0. */
export const softmax = (x: Tensor, mask?: AttentionMask): Tensor => softmaxImpl(x, mask, false);
/** Log-softmax over the last axis; masked entries are -Infinity (their gradient is 0). */
export const logSoftmax = (x: Tensor, mask?: AttentionMask): Tensor => softmaxImpl(x, mask, true);

/** Embedding lookup: table [V, D], ids i32 [...] -> [..., D]. The gradient scatter-adds into the table. */
export function embedding(table: Tensor, ids: Tensor): Tensor {
  if (ids.dtype !== 'i32') throw new Error(`embedding: ids must be i32, got ${ids.toString()}.`);
  if (table.rank !== 2) throw new ShapeError(`embedding: the table must be [rows, dim], got ${formatShape(table.shape)}.`);
  const backend = backendOf('embedding', table, ids);
  const [numRows, cols] = table.shape;
  const out = wrap(backend.gather(table.storage, ids.storage, ids.size, cols), [...ids.shape, cols]);
  record([table, ids], [out], ([g]) => [wrap(backend.scatterAdd(g!.storage, ids.storage, ids.size, numRows, cols), table.shape), null]);
  return out;
}

/**
 * Mean cross-entropy of logits [N, V] against i32 targets [N]; targets < 0 are ignored (padding).
 * `weights` (f32 [N], e.g. an answer-token mask) selects rows; the mean is over their total weight.
 */
export function crossEntropy(logits: Tensor, targets: Tensor, weights?: Tensor): Tensor {
  const { logp } = logProbs(logits, targets, 1);
  if (!weights) return neg(mean(logp));
  return neg(div(sum(mul(logp, weights)), sum(weights)));
}
