// Making tensors from host data.
import type { DType } from './backend';
import { formatShape, ShapeError } from './errors';
import { sizeOf, type Shape } from './shape';
import { engine, Tensor } from './tensor';

export function tensor(values: ArrayLike<number>, shape: Shape = [values.length], dtype: DType = 'f32'): Tensor {
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(`tensor: ${values.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements).`);
  }
  const data = dtype === 'i32' ? Int32Array.from(values) : Float32Array.from(values);
  return new Tensor(engine.backend.upload(data), shape, dtype);
}

export function zeros(shape: Shape, dtype: DType = 'f32'): Tensor {
  return new Tensor(engine.backend.zeros(sizeOf(shape), dtype), shape, dtype);
}

export function full(shape: Shape, value: number, dtype: DType = 'f32'): Tensor {
  return new Tensor(engine.backend.fill(sizeOf(shape), value, dtype), shape, dtype);
}

/** A trainable leaf: requiresGrad set, not tracked by any scope. */
export function parameter(values: Float32Array, shape: Shape, name = ''): Tensor {
  const t = tensor(values, shape, 'f32');
  for (const scope of engine.scopes) scope.tracked.delete(t);
  t.requiresGrad = true;
  t.name = name;
  return t;
}
