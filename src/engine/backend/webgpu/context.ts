// What a kernel module (kernels/*.ts) sees of the backend: allocation, buffer access and launching.
import type { DType, Storage } from '../../backend';
import type { GpuStorage } from './gpuStorage';
import type { Launch } from './kernel';

export interface GpuKernelContext {
  readonly device: GPUDevice;
  readonly features: ReadonlySet<string>;
  /** Uninitialised storage of `size` elements (contents are whatever the pooled buffer held). */
  alloc(size: number, dtype: DType): GpuStorage;
  /** Zero-filled storage (cleared in order on the command encoder). */
  zeros(size: number, dtype: DType): GpuStorage;
  /** Releases a storage (e.g. a kernel's scratch); safe right after recording a launch that uses it:
   *  the pool hands the buffer out again only after the next submit. */
  free(s: Storage): void;
  /** The GPUBuffer behind a storage; throws if it was freed or belongs to another backend. */
  buffer(s: Storage): GPUBuffer;
  /** Records one dispatch into the pending command encoder. */
  launch(l: Launch): void;
}
