// Optional GPU timing of kernel launches with timestamp queries (the 'timestamp-query' feature, which
// createGpuContext requests when the adapter has it). Off by default and free when off.
//
// Core WebGPU timestamps whole passes (GPUComputePassDescriptor.timestampWrites), not single dispatches,
// so while profiling the backend gives each launch its own pass: `begin(name)` hands out the
// timestampWrites for that pass and `end()` closes the pair. Before the encoder is finished,
// `resolve(encoder)` records the query resolve and a copy into a staging buffer; `collect()` later
// maps those (an explicit await the caller chooses, never a hidden sync) and adds each pass's
// duration to per-kernel totals.
//
// Caveats: a pass per dispatch adds a little overhead, so profiled steps run slower than unprofiled
// ones; Chrome quantises timestamps (to 100 µs unless "WebGPU Developer Features" is enabled), so
// use totals over many launches rather than single durations; timestamps may be non-monotonic across
// passes on some drivers, so negative durations are clamped to 0 and counted in `clamped`.

export interface KernelTime {
  name: string;
  launches: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
}

interface InFlight {
  names: string[];
  staging: GPUBuffer;
}

const QUERY_BYTES = 8; // one u64 nanosecond timestamp
/** Resolved batches kept waiting for collect() before new ones are dropped. */
const MAX_IN_FLIGHT = 32;

export class GpuProfiler {
  /** Launches with no free query slot left before the next resolve (not timed). */
  dropped = 0;
  /** Passes whose end timestamp came before their begin (timed as 0). */
  clamped = 0;

  private readonly querySet: GPUQuerySet;
  private readonly resolveBuffer: GPUBuffer;
  private freeStaging: GPUBuffer[] = [];
  private pendingNames: string[] = []; // passes begun since the last resolve, in slot order
  private open = false;
  private inFlight: InFlight[] = [];
  private totals = new Map<string, { launches: number; totalNs: number; maxNs: number }>();

  /** Null when the device lacks 'timestamp-query' (the profiler is then simply unavailable). */
  static create(device: GPUDevice, capacity = 512): GpuProfiler | null {
    return device.features.has('timestamp-query') ? new GpuProfiler(device, capacity) : null;
  }

  /** `capacity`: passes timed per resolve (one command buffer); 2 queries each. */
  private constructor(
    private readonly device: GPUDevice,
    readonly capacity: number,
  ) {
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 * capacity });
    this.resolveBuffer = device.createBuffer({
      size: 2 * capacity * QUERY_BYTES,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
  }

  /** The timestampWrites for the next pass, which times the kernel `name`; undefined when full. */
  begin(name: string): GPUComputePassTimestampWrites | undefined {
    if (this.open) throw new Error('GpuProfiler: begin() while a pass is still open (missing end()).');
    if (this.pendingNames.length >= this.capacity) {
      this.dropped++;
      return undefined;
    }
    const slot = this.pendingNames.length;
    this.pendingNames.push(name);
    this.open = true;
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * slot, endOfPassWriteIndex: 2 * slot + 1 };
  }

  /** Marks the pass opened by the last begin() as ended (call after pass.end()). */
  end(): void {
    this.open = false;
  }

  /** Records the resolve of this command buffer's queries; call just before encoder.finish(). */
  resolve(encoder: GPUCommandEncoder): void {
    if (this.open) throw new Error('GpuProfiler: resolve() while a pass is still open.');
    const count = this.pendingNames.length;
    if (count === 0) return;
    if (this.freeStaging.length === 0 && this.inFlight.length >= MAX_IN_FLIGHT) {
      // nobody is collecting: drop this batch rather than grow without bound
      this.dropped += count;
      this.pendingNames = [];
      return;
    }
    const bytes = 2 * count * QUERY_BYTES;
    const staging =
      this.freeStaging.pop() ??
      this.device.createBuffer({ size: 2 * this.capacity * QUERY_BYTES, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.resolveQuerySet(this.querySet, 0, 2 * count, this.resolveBuffer, 0);
    encoder.copyBufferToBuffer(this.resolveBuffer, 0, staging, 0, bytes);
    this.inFlight.push({ names: this.pendingNames, staging });
    this.pendingNames = []; // slots are reusable: later writes come after this resolve in queue order
  }

  /** Waits for every resolved batch (call after the command buffers holding them were submitted, e.g.
   *  after backend.flush(): mapping a buffer an unsubmitted encoder still copies into is an error) and adds it to the totals. Returns the summary. */
  async collect(): Promise<KernelTime[]> {
    const batches = this.inFlight;
    this.inFlight = [];
    for (const { names, staging } of batches) {
      const bytes = 2 * names.length * QUERY_BYTES;
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
      const stamps = new BigUint64Array(staging.getMappedRange(0, bytes).slice(0));
      staging.unmap();
      this.freeStaging.push(staging);
      names.forEach((name, i) => {
        let ns = Number(stamps[2 * i + 1] - stamps[2 * i]);
        if (stamps[2 * i + 1] < stamps[2 * i]) {
          ns = 0;
          this.clamped++;
        }
        const t = this.totals.get(name) ?? { launches: 0, totalNs: 0, maxNs: 0 };
        t.launches++;
        t.totalNs += ns;
        t.maxNs = Math.max(t.maxNs, ns);
        this.totals.set(name, t);
      });
    }
    return this.summary();
  }

  /** Per-kernel totals so far, slowest (by total time) first. */
  summary(): KernelTime[] {
    return [...this.totals.entries()]
      .map(([name, t]) => ({
        name,
        launches: t.launches,
        totalMs: t.totalNs / 1e6,
        meanMs: t.totalNs / 1e6 / t.launches,
        maxMs: t.maxNs / 1e6,
      }))
      .sort((a, b) => b.totalMs - a.totalMs);
  }

  /** A fixed-width text table of summary(), for the console and benchmark logs. */
  table(): string {
    const rows = this.summary();
    const lines = rows.map(
      (r) => `${r.name.padEnd(28)} ${String(r.launches).padStart(7)} ${r.totalMs.toFixed(3).padStart(10)} ${r.meanMs.toFixed(4).padStart(9)} ${r.maxMs.toFixed(4).padStart(9)}`,
    );
    return [`${'kernel'.padEnd(28)} ${'launches'.padStart(7)} ${'total ms'.padStart(10)} ${'mean ms'.padStart(9)} ${'max ms'.padStart(9)}`, ...lines].join('\n');
  }

  /** Forgets the totals (batches still in flight are kept and counted by the next collect()). */
  reset(): void {
    this.totals.clear();
    this.dropped = 0;
    this.clamped = 0;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolveBuffer.destroy();
    for (const b of this.freeStaging) b.destroy();
    for (const { staging } of this.inFlight) staging.destroy();
    this.freeStaging = [];
    this.inFlight = [];
  }
}
