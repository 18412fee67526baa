// Shape ops: reshape (free, shares storage), transpose, slice, concat, broadcastTo.
import { formatShape, ShapeError } from '../errors';
import { broadcastShapes, broadcastStrides, contiguousStrides, normaliseAxis, sizeOf, type Shape } from '../shape';
import { backendOf, record, wrap } from '../tape';
import type { Tensor } from '../tensor';
import { sumToShape } from './reduce';

export function reshape(x: Tensor, shape: Shape): Tensor {
  const inferred = [...shape];
  const unknown = inferred.indexOf(-1);
  if (unknown >= 0) inferred[unknown] = x.size / sizeOf(inferred.filter((d) => d !== -1));
  if (sizeOf(inferred) !== x.size || !inferred.every(Number.isInteger)) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}.`);
  }
  const out = x.view(inferred);
  record([x], [out], ([g]) => [g!.view(x.shape)]);
  return out;
}

export function transpose(x: Tensor, perm?: number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new ShapeError(`transpose: ${JSON.stringify(p)} is not a permutation of the axes of ${formatShape(x.shape)}.`);
  }
  const strides = contiguousStrides(x.shape);
  const shape = p.map((i) => x.shape[i]);
  const out = wrap(x.backend.stridedCopy(x.storage, 0, p.map((i) => strides[i]), shape), shape, x.dtype);
  const inverse = new Array<number>(p.length);
  p.forEach((axis, i) => (inverse[axis] = i));
  record([x], [out], ([g]) => [transpose(g!, inverse)]);
  return out;
}

/** x[begin : begin + size] on every axis (size -1 = to the end). */
export function slice(x: Tensor, begin: number[], size: number[]): Tensor {
  if (begin.length !== x.rank || size.length !== x.rank) {
    throw new ShapeError(`slice: begin ${JSON.stringify(begin)} and size ${JSON.stringify(size)} must both have rank ${x.rank} for ${formatShape(x.shape)}.`);
  }
  const shape = size.map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
  shape.forEach((s, i) => {
    if (begin[i] < 0 || s < 0 || begin[i] + s > x.shape[i]) {
      throw new ShapeError(`slice: [${begin[i]}, ${begin[i] + s}) is outside axis ${i} of ${formatShape(x.shape)}.`);
    }
  });
  const strides = contiguousStrides(x.shape);
  const offset = begin.reduce((acc, b, i) => acc + b * strides[i], 0);
  const out = wrap(x.backend.stridedCopy(x.storage, offset, strides, shape), shape, x.dtype);
  record([x], [out], ([g]) => {
    const dx = wrap(x.backend.zeros(x.size, 'f32'), x.shape);
    x.backend.copyInto(dx.storage, offset, strides, g!.storage, shape);
    return [dx];
  });
  return out;
}

export function concat(list: Tensor[], axis: number): Tensor {
  if (list.length === 0) throw new ShapeError('concat: needs at least one tensor.');
  const first = list[0];
  const a = normaliseAxis(axis, first.rank, 'concat');
  for (const t of list) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i]) || t.dtype !== first.dtype) {
      throw new ShapeError(`concat: ${t.toString()} does not match ${first.toString()} outside axis ${a}.`);
    }
  }
  const backend = backendOf('concat', ...list);
  const shape = [...first.shape];
  shape[a] = list.reduce((acc, t) => acc + t.shape[a], 0);
  const out = wrap(backend.zeros(sizeOf(shape), first.dtype), shape, first.dtype);
  const strides = contiguousStrides(shape);
  const begins: number[] = [];
  let at = 0;
  for (const t of list) {
    begins.push(at);
    backend.copyInto(out.storage, at * strides[a], strides, t.storage, [...t.shape]);
    at += t.shape[a];
  }
  record(list, [out], ([g]) =>
    list.map((t, i) => {
      const begin = shape.map((_, j) => (j === a ? begins[i] : 0));
      return slice(g!, begin, [...t.shape]);
    }),
  );
  return out;
}

export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (target.length !== shape.length || target.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`broadcastTo: ${formatShape(x.shape)} cannot be broadcast to ${formatShape(shape)}.`);
  }
  const out = wrap(x.backend.stridedCopy(x.storage, 0, broadcastStrides(x.shape, shape), [...shape]), shape, x.dtype);
  record([x], [out], ([g]) => [sumToShape(g!, x.shape)]);
  return out;
}
