// Batched matmul with transposed operands and batch broadcasting, and its gradient.
import type { MatmulParams } from '../backend';
import { formatShape, ShapeError } from '../errors';
import { sizeOf } from '../shape';
import { backendOf, record, wrap } from '../tape';
import type { Tensor } from '../tensor';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

/**
 * a: [...batch, m, k] (or [...batch, k, m] with transA); b: [...batch, k, n] (or [..., n, k] with transB).
 * The batch dims of a and b must be equal, or one side has none (a shared matrix, e.g. a Linear weight).
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  if (a.rank < 2 || b.rank < 2) throw new ShapeError(`matmul: operands need rank >= 2, got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`);
  const backend = backendOf('matmul', a, b);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [kb, n] = transB ? [bc, br] : [br, bc];
  const describe = `${formatShape(a.shape)}${transA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${transB ? 'ᵀ' : ''}`;
  if (k !== kb) throw new ShapeError(`matmul: inner dimensions differ (${k} vs ${kb}) in ${describe}.`);
  const sameBatch = batchA.length === batchB.length && batchA.every((d, i) => d === batchB[i]);
  if (!sameBatch && batchA.length > 0 && batchB.length > 0) throw new ShapeError(`matmul: batch dimensions differ in ${describe}.`);
  const batchShape = batchA.length >= batchB.length ? batchA : batchB;
  const batch = sizeOf(batchShape);

  const outShape = [...batchShape, m, n];
  let out: Tensor;
  if (batchB.length === 0 && !transA && batch > 1) {
    // A shared right operand (a Linear layer): one big [batch*m, k] · [k, n] matmul.
    out = wrap(backend.matmul(a.storage, b.storage, params(batch * m, n, k, false, transB, 1, 0, 0)), outShape);
  } else {
    const aStride = batchA.length === 0 ? 0 : m * k;
    const bStride = batchB.length === 0 ? 0 : k * n;
    out = wrap(backend.matmul(a.storage, b.storage, params(m, n, k, transA, transB, batch, aStride, bStride)), outShape);
  }

  record([a, b], [out], ([g]) => {
    // C = op(A)·op(B): dop(A) = dC·op(B)ᵀ, dop(B) = op(A)ᵀ·dC, transposed back for stored layouts.
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (a.requiresGrad) {
      // Stored A is [m,k]: dA = dC·op(B)ᵀ. Stored A is [k,m] (transA): dA = op(B)·dCᵀ.
      const reduceA = batchA.length === 0 && batch > 1;
      const full = transA ? matmul(b, g!, { transA: transB, transB: true }) : matmul(g!, b, { transB: !transB });
      da = reduceA ? sumLeading(full, a.shape) : full.view(a.shape);
    }
    if (b.requiresGrad) {
      // Stored B is [k,n]: dB = op(A)ᵀ·dC. Stored B is [n,k] (transB): dB = dCᵀ·op(A).
      if (batchB.length === 0 && batch > 1 && !transA) {
        const a2 = a.view([batch * m, k]);
        const g2 = g!.view([batch * m, n]);
        db = transB ? matmul(g2, a2, { transA: true }) : matmul(a2, g2, { transA: true });
      } else {
        const full = transB ? matmul(g!, a, { transA: true, transB: transA }) : matmul(a, g!, { transA: !transA });
        db = batchB.length === 0 && batch > 1 ? sumLeading(full, b.shape) : full.view(b.shape);
      }
    }
    return [da, db];
  });
  return out;
}

function params(m: number, n: number, k: number, transA: boolean, transB: boolean, batch: number, aBatchStride: number, bBatchStride: number): MatmulParams {
  return { m, n, k, transA, transB, batch, aBatchStride, bBatchStride };
}

/** Sums a [...batch, r, c] gradient over its batch dims down to a shared [r, c] operand. */
function sumLeading(full: Tensor, shape: readonly number[]): Tensor {
  const batch = full.size / sizeOf(shape);
  const storage = full.backend.reduce('sum', full.storage, 1, batch, sizeOf(shape));
  return wrap(storage, shape);
}
