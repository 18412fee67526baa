// Reads several tensors with ONE readback: how a training step returns all its scalars at once.
import { Tensor } from './tensor';

export async function readAll(tensors: Tensor[]): Promise<(Float32Array | Int32Array)[]> {
  if (tensors.length === 0) return [];
  const backend = tensors[0].backend;
  for (const t of tensors) if (t.backend !== backend) throw new Error('readAll: tensors live on different backends.');
  return backend.readMany(tensors.map((t) => t.storage));
}
