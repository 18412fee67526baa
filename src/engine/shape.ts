// Shape arithmetic shared by the ops: sizes, contiguous strides, and NumPy-style broadcasting.
import { formatShape, ShapeError } from './errors';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function assertValidShape(shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`Invalid shape ${formatShape(shape)}: dimensions must be non-negative integers.`);
  }
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The broadcast of two shapes (NumPy rules), or a ShapeError naming both. */
export function broadcastShapes(a: Shape, b: Shape, opName: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${opName}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together.`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Strides (in elements) that read a contiguous tensor of `shape` as if broadcast to `outShape`. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = contiguousStrides(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((d, i) => {
    const j = i - offset;
    if (j < 0 || shape[j] === 1) return 0;
    return own[j];
  });
}

/** Normalises a possibly negative axis. */
export function normaliseAxis(axis: number, rank: number, opName: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new ShapeError(`${opName}: axis ${axis} is out of range for rank ${rank}.`);
  return a;
}
