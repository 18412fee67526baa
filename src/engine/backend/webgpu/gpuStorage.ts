import type { DType, Storage } from '../../backend';

/** A tensor's memory on the GPU: a pooled buffer (its byte size is a size class >= size*4). */
export class GpuStorage implements Storage {
  freed = false;
  constructor(
    readonly buffer: GPUBuffer,
    readonly size: number,
    readonly dtype: DType,
  ) {}
}
