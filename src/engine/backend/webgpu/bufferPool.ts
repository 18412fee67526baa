// Buffers are recycled by size class (next power of two, at least 256 bytes) and usage, as
// tfjs-backend-webgpu and jax-js do: a training step allocates the same shapes every time, so after
// the first step every allocation is a pool hit and the live + pooled count stays flat.
//
// Safety rule: a buffer released while commands that use it are still being recorded must not be
// handed out again before those commands are submitted, otherwise a queue.writeBuffer into the new
// owner would land *before* the recorded commands run. Such buffers wait in `pendingRelease` until
// the backend calls `afterSubmit()`.

export const STORAGE_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export function sizeClass(bytes: number): number {
  let size = 256;
  while (size < bytes) size *= 2;
  return size;
}

export class BufferPool {
  private free = new Map<string, GPUBuffer[]>();
  private pendingRelease: GPUBuffer[] = [];
  private pooledCount = 0;
  private pooledBytes = 0;
  liveCount = 0;
  liveBytes = 0;

  constructor(private device: GPUDevice) {}

  acquire(bytes: number, usage: number = STORAGE_USAGE): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(`${size}:${usage}`);
    const reused = list?.pop();
    if (reused) {
      this.pooledCount--;
      this.pooledBytes -= size;
    }
    const buffer = reused ?? this.device.createBuffer({ size, usage });
    this.liveCount++;
    this.liveBytes += size;
    return buffer;
  }

  /** Return a buffer; it becomes reusable after the next submit. */
  release(buffer: GPUBuffer): void {
    this.liveCount--;
    this.liveBytes -= buffer.size;
    this.pendingRelease.push(buffer);
  }

  afterSubmit(): void {
    for (const buffer of this.pendingRelease) {
      const key = `${buffer.size}:${buffer.usage}`;
      let list = this.free.get(key);
      if (!list) this.free.set(key, (list = []));
      list.push(buffer);
      this.pooledCount++;
      this.pooledBytes += buffer.size;
    }
    this.pendingRelease = [];
  }

  get pooled(): number {
    return this.pooledCount + this.pendingRelease.length;
  }

  get bytesHeld(): number {
    let pending = 0;
    for (const b of this.pendingRelease) pending += b.size;
    return this.liveBytes + this.pooledBytes + pending;
  }

  destroyAll(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    for (const b of this.pendingRelease) b.destroy();
    this.free.clear();
    this.pendingRelease = [];
    this.pooledCount = 0;
    this.pooledBytes = 0;
  }
}
