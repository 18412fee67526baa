// The WebGPU backend: owns the device, the buffer pool, the pipeline cache and one pending command
// encoder. Every primitive records dispatches into that encoder; work is submitted in batches (when
// the encoder holds `submitEvery` dispatches, or before a readback). `read`/`readMany` are the only
// places that wait for the GPU. The kernels themselves live in kernels/*.ts, their WGSL in shaders/.
import type {
  AdamWGroup, AdamWHyper, AdvantageScale, AttentionOutputs, AttentionShape, Backend, BackendCounters, BiasActivation, BinaryOp, DType, DecodeGeometry, DecodeHeadOutputs, DecodeHeadParams,
  DecodeShape, LayerNormGrads, LayerNormResult, LogProbResult, MatmulParams, PolicyLossOutputs, PolicyLossParams, ReduceOp, ResidualLayerNormResult, SampleParams, SoftmaxMask, Storage, UnaryGradOp, UnaryOp,
} from '../../backend';
import { BufferPool, STORAGE_USAGE } from './bufferPool';
import type { GpuKernelContext } from './context';
import { createGpuContext, type GpuContext } from './device';
import { GpuStorage } from './gpuStorage';
import { PipelineCache, type Launch } from './kernel';
import type { GpuProfiler } from './profile';
import * as advantages from './kernels/advantages';
import * as fusedAttention from './kernels/attention';
import * as fusedPolicyLoss from './kernels/policyLoss';
import * as residualNorm from './kernels/residualLayerNorm';
import * as biasAct from './kernels/biasActivation';
import * as matmulBiasAct from './kernels/matmulBiasAct';
import { composedLinear } from '../linear';
import * as elementwise from './kernels/elementwise';
import * as decode from './kernels/decode';
import * as embedding from './kernels/embedding';
import * as layerNorm from './kernels/layerNorm';
import * as layout from './kernels/layout';
import * as logProb from './kernels/logProbEntropy';
import * as matmul from './kernels/matmul';
import * as optimizer from './kernels/optimizer';
import * as reduction from './kernels/reduce';
import * as sampling from './kernels/sample';
import * as softmax from './kernels/softmax';

export class DeviceLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeviceLostError';
  }
}

const UNIFORM_USAGE = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;
const READBACK_USAGE = GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST;

export class WebGpuBackend implements Backend, GpuKernelContext {
  readonly name = 'webgpu' as const;
  readonly device: GPUDevice;
  readonly features: ReadonlySet<string>;
  readonly adapterInfo: GpuContext['adapterInfo'];
  /** Submit after this many recorded dispatches, so released buffers return to the pool. */
  submitEvery = 128;
  /** Which matmul kernel runs (kernels/matmul.ts): 'direct' by default; 'tiled' for comparisons. */
  matmulKernel: matmul.MatmulKernel = 'direct';
  /**
   * Threads per workgroup of the fused decode kernels (kernels/decode.ts; each workgroup takes four
   * rows). A software adapter emulates a workgroup's invocations four at a time and switches between
   * those groups at every barrier, so there one group (4 threads) does a workgroup's work fastest: the
   * default rollout took 0.65× the op-by-op loop's time with 4 and 0.84× with 16 (two bench/decode runs
   * on SwiftShader, each against the op-by-op loop in the same run). A GPU wants at least
   * a warp's worth of threads on each row block. Settable, to test or compare the other choice.
   */
  decodeThreads: number;

  private pool: BufferPool;
  private pipelines: PipelineCache;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pendingDispatches = 0;
  private lostInfo: GPUDeviceLostInfo | null = null;
  private validationErrors: string[] = [];
  private stats = { dispatches: 0, submits: 0, readbacks: 0 };
  /** Set (GpuProfiler.create(device)) to time every launch with timestamp queries; null = off, free. */
  profiler: GpuProfiler | null = null;
  /** Per-kernel dispatch counts since the last reset, for profiles and benchmarks. */
  readonly dispatchesByKernel = new Map<string, number>();

  private constructor(ctx: GpuContext) {
    this.device = ctx.device;
    this.features = new Set(ctx.features);
    this.adapterInfo = ctx.adapterInfo;
    this.decodeThreads = ctx.adapterInfo.architecture === 'swiftshader' ? 4 : 32;
    this.pool = new BufferPool(this.device);
    this.pipelines = new PipelineCache(this.device);
    ctx.lost.then((info) => {
      this.lostInfo = info;
    });
    this.device.addEventListener('uncapturederror', (event) => {
      const message = (event as GPUUncapturedErrorEvent).error.message;
      if (this.validationErrors.length < 20) this.validationErrors.push(message);
    });
  }

  static async create(gpu?: GPU): Promise<WebGpuBackend> {
    return new WebGpuBackend(await createGpuContext(gpu));
  }

  /** Resolves when the device is lost; the message says why. */
  get lost(): Promise<GPUDeviceLostInfo> {
    return this.device.lost;
  }

  get isLost(): boolean {
    return this.lostInfo !== null;
  }

  // ---------------------------------------------------------------- GpuKernelContext

  alloc(size: number, dtype: DType): GpuStorage {
    this.assertAlive();
    if (!Number.isInteger(size) || size < 0) throw new Error(`Cannot allocate ${size} elements.`);
    return new GpuStorage(this.pool.acquire(Math.max(4, size * 4), STORAGE_USAGE), size, dtype);
  }

  zeros(size: number, dtype: DType): GpuStorage {
    const s = this.alloc(size, dtype);
    this.endPass();
    this.currentEncoder().clearBuffer(s.buffer);
    return s;
  }

  buffer(s: Storage): GPUBuffer {
    if (!(s instanceof GpuStorage)) throw new Error('This storage belongs to another backend (expected a WebGPU storage).');
    if (s.freed) throw new Error('This storage was already freed (a disposed tensor was used).');
    return s.buffer;
  }

  launch(l: Launch): void {
    this.assertAlive();
    const pipeline = this.pipelines.get(l.kernel);
    const entries: GPUBindGroupEntry[] = l.storages.map((buffer, binding) => ({ binding, resource: { buffer } }));
    if (l.uniforms) {
      const data = l.uniforms.build();
      const ubuf = this.pool.acquire(data.byteLength, UNIFORM_USAGE);
      this.device.queue.writeBuffer(ubuf, 0, data);
      entries.push({ binding: l.storages.length, resource: { buffer: ubuf, size: data.byteLength } });
      this.pool.release(ubuf); // reusable only after the submit that reads it
    }
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    // Profiling times whole passes, so a profiled launch gets a pass of its own.
    const timing = this.profiler?.begin(l.kernel.name);
    if (timing) {
      this.endPass();
      this.pass = this.currentEncoder().beginComputePass({ timestampWrites: timing });
    }
    const pass = this.currentPass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(l.workgroups[0], l.workgroups[1], l.workgroups[2]);
    if (timing) {
      this.endPass();
      this.profiler!.end();
    }
    this.stats.dispatches++;
    this.dispatchesByKernel.set(l.kernel.name, (this.dispatchesByKernel.get(l.kernel.name) ?? 0) + 1);
    if (++this.pendingDispatches >= this.submitEvery) this.flush();
  }

  // ---------------------------------------------------------------- memory

  fill(size: number, value: number, dtype: DType): Storage {
    return elementwise.fill(this, size, value, dtype);
  }

  upload(data: Float32Array | Int32Array): Storage {
    const s = this.alloc(data.length, data instanceof Int32Array ? 'i32' : 'f32');
    // Safe without a flush: the pool never hands out a buffer that unsubmitted commands still use.
    if (data.length > 0) this.device.queue.writeBuffer(s.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return s;
  }

  free(s: Storage): void {
    if (!(s instanceof GpuStorage)) throw new Error('Cannot free a storage of another backend.');
    if (s.freed) throw new Error('Storage freed twice (a tensor was disposed twice).');
    s.freed = true;
    if (!this.isLost) this.pool.release(s.buffer);
  }

  async read(s: Storage): Promise<Float32Array | Int32Array> {
    return (await this.readMany([s]))[0];
  }

  async readMany(list: Storage[]): Promise<(Float32Array | Int32Array)[]> {
    this.assertAlive();
    const storages = list.map((s) => {
      this.buffer(s);
      return s as GpuStorage;
    });
    const offsets: number[] = [];
    let total = 0;
    for (const s of storages) {
      offsets.push(total);
      total += s.size * 4;
    }
    const staging = this.pool.acquire(Math.max(4, total), READBACK_USAGE);
    this.endPass();
    const encoder = this.currentEncoder();
    storages.forEach((s, i) => {
      if (s.size > 0) encoder.copyBufferToBuffer(s.buffer, 0, staging, offsets[i], s.size * 4);
    });
    this.flush();
    this.stats.readbacks++;
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, Math.max(4, total));
    } catch (e) {
      throw this.lostInfo ? this.lostError() : new Error(`GPU readback failed: ${(e as Error).message}`);
    }
    const bytes = staging.getMappedRange(0, Math.max(4, total)).slice(0);
    staging.unmap();
    this.pool.release(staging);
    this.throwIfValidationErrors();
    return storages.map((s, i) =>
      s.dtype === 'i32' ? new Int32Array(bytes, offsets[i], s.size) : new Float32Array(bytes, offsets[i], s.size),
    );
  }

  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    if (!this.isLost) {
      this.profiler?.resolve(this.encoder);
      this.device.queue.submit([this.encoder.finish()]);
      this.stats.submits++;
    }
    this.encoder = null;
    this.pendingDispatches = 0;
    this.pool.afterSubmit();
  }

  counters(): BackendCounters {
    return {
      ...this.stats,
      liveBuffers: this.pool.liveCount,
      pooledBuffers: this.pool.pooled,
      bytesAllocated: this.pool.bytesHeld,
    };
  }

  resetCounters(): void {
    this.stats = { dispatches: 0, submits: 0, readbacks: 0 };
    this.dispatchesByKernel.clear();
  }

  /** Releases every pooled buffer and the device. */
  destroy(): void {
    this.flush();
    this.profiler?.destroy();
    this.pool.destroyAll();
    this.device.destroy();
  }

  // ---------------------------------------------------------------- primitives

  unary(op: UnaryOp, x: Storage): Storage {
    return elementwise.unary(this, op, x);
  }
  unaryGrad(op: UnaryGradOp, x: Storage, y: Storage, dy: Storage): Storage {
    return elementwise.unaryGrad(this, op, x, y, dy);
  }
  affine(x: Storage, scale: number, shift: number): Storage {
    return elementwise.affine(this, x, scale, shift);
  }
  clamp(x: Storage, lo: number, hi: number): Storage {
    return elementwise.clamp(this, x, lo, hi);
  }
  clampGrad(x: Storage, dy: Storage, lo: number, hi: number): Storage {
    return elementwise.clampGrad(this, x, dy, lo, hi);
  }
  binary(op: BinaryOp, a: Storage, aStrides: number[], b: Storage, bStrides: number[], outShape: number[]): Storage {
    return elementwise.binary(this, op, a, aStrides, b, bStrides, outShape);
  }
  where(cond: Storage, a: Storage, b: Storage): Storage {
    return elementwise.where(this, cond, a, b);
  }
  stridedCopy(x: Storage, offset: number, strides: number[], shape: number[]): Storage {
    return layout.stridedCopy(this, x, offset, strides, shape);
  }
  copyInto(dst: Storage, offset: number, strides: number[], src: Storage, shape: number[]): void {
    layout.copyInto(this, dst, offset, strides, src, shape);
  }
  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage {
    return reduction.reduce(this, op, x, outer, size, inner);
  }
  sumOfSquares(list: Storage[]): Storage {
    return optimizer.sumOfSquares(this, list);
  }
  matmul(a: Storage, b: Storage, p: MatmulParams): Storage {
    return matmul.matmul(this, a, b, p, this.matmulKernel);
  }
  softmax(x: Storage, rows: number, cols: number, mask: SoftmaxMask | null, log: boolean): Storage {
    return softmax.softmax(this, x, rows, cols, mask, log);
  }
  softmaxGrad(y: Storage, dy: Storage, rows: number, cols: number, log: boolean): Storage {
    return softmax.softmaxGrad(this, y, dy, rows, cols, log);
  }
  layerNorm(x: Storage, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): LayerNormResult {
    return layerNorm.layerNorm(this, x, gamma, beta, rows, cols, eps);
  }
  layerNormGrad(dy: Storage, x: Storage, gamma: Storage, mean: Storage, rstd: Storage, rows: number, cols: number): LayerNormGrads {
    return layerNorm.layerNormGrad(this, dy, x, gamma, mean, rstd, rows, cols);
  }
  gather(table: Storage, ids: Storage, count: number, cols: number): Storage {
    return embedding.gather(this, table, ids, count, cols);
  }
  scatterAdd(dy: Storage, ids: Storage, count: number, numRows: number, cols: number): Storage {
    return embedding.scatterAdd(this, dy, ids, count, numRows, cols);
  }
  logProbEntropy(logits: Storage, targets: Storage, rows: number, vocab: number, invTemperature: number): LogProbResult {
    return logProb.logProbEntropy(this, logits, targets, rows, vocab, invTemperature);
  }
  logProbEntropyGrad(
    logits: Storage,
    targets: Storage,
    dlogp: Storage,
    dentropy: Storage | null,
    rows: number,
    vocab: number,
    invTemperature: number,
  ): Storage {
    return logProb.logProbEntropyGrad(this, logits, targets, dlogp, dentropy, rows, vocab, invTemperature);
  }
  groupAdvantages(rewards: Storage, numGroups: number, groupSize: number, scale: AdvantageScale, eps: number): Storage {
    return advantages.groupAdvantages(this, rewards, numGroups, groupSize, scale, eps);
  }
  sampleTokens(logits: Storage, finished: Storage, p: SampleParams): Storage {
    return sampling.sampleTokens(this, logits, finished, p);
  }
  concat(list: Storage[]): Storage {
    const dtype = list[0]?.dtype ?? 'f32';
    const buffers = list.map((s) => {
      if (s.dtype !== dtype) throw new Error(`concat: mixed dtypes (${dtype} and ${s.dtype})`);
      return this.buffer(s);
    });
    const out = this.alloc(list.reduce((n, s) => n + s.size, 0), dtype);
    // Buffer copies, not a shader: one command each, recorded in order on the pending encoder.
    this.endPass();
    const encoder = this.currentEncoder();
    let at = 0;
    list.forEach((s, i) => {
      if (s.size > 0) encoder.copyBufferToBuffer(buffers[i], 0, out.buffer, at * 4, s.size * 4);
      at += s.size;
    });
    this.stats.dispatches++; // counted as one launch, as the CPU backend counts the call
    this.dispatchesByKernel.set('concat', (this.dispatchesByKernel.get('concat') ?? 0) + 1);
    return out;
  }
  canFuseDecode(shape: DecodeShape): boolean {
    return decode.canFuseDecode(this.device, shape, this.decodeThreads);
  }
  decodeLayer(x: Storage, weights: Storage, keys: Storage, values: Storage, rowStart: Storage, g: DecodeGeometry): void {
    decode.decodeLayer(this, x, weights, keys, values, rowStart, g, this.decodeThreads);
  }
  decodeHead(x: Storage, headWeights: Storage, finished: Storage, rowStart: Storage, out: DecodeHeadOutputs, p: DecodeHeadParams): void {
    decode.decodeHead(this, x, headWeights, finished, rowStart, out, p, this.decodeThreads);
  }
  policyLoss(logp: Storage, oldLogp: Storage | null, adv: Storage, mask: Storage, p: PolicyLossParams): PolicyLossOutputs {
    return fusedPolicyLoss.policyLoss(this, logp, oldLogp, adv, mask, p);
  }
  policyLossGrad(logp: Storage, oldLogp: Storage | null, adv: Storage, mask: Storage, dPerToken: Storage | null, dLoss: Storage | null, p: PolicyLossParams): Storage {
    return fusedPolicyLoss.policyLossGrad(this, logp, oldLogp, adv, mask, dPerToken, dLoss, p);
  }
  matmulBiasActivation(a: Storage, b: Storage, bias: Storage, m: number, k: number, n: number, act: BiasActivation): { y: Storage; pre: Storage | null } {
    if (this.matmulKernel === 'direct' && matmulBiasAct.canFuseLinear(k, n)) return matmulBiasAct.matmulBiasActivation(this, a, b, bias, m, k, n, act);
    return composedLinear(this, a, b, bias, m, k, n, act);
  }
  biasActivation(x: Storage, bias: Storage, rows: number, cols: number, act: BiasActivation): Storage {
    return biasAct.biasActivation(this, x, bias, rows, cols, act);
  }
  biasActivationGrad(dy: Storage, x: Storage, bias: Storage, rows: number, cols: number, act: BiasActivation): { dx: Storage | null; dbias: Storage } {
    return biasAct.biasActivationGrad(this, dy, x, bias, rows, cols, act);
  }
  residualLayerNorm(x: Storage, delta: Storage | null, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): ResidualLayerNormResult {
    return residualNorm.residualLayerNorm(this, x, delta, gamma, beta, rows, cols, eps);
  }
  residualLayerNormGrad(dy: Storage, dSum: Storage | null, sum: Storage, gamma: Storage, stats: Storage, rows: number, cols: number): LayerNormGrads {
    return residualNorm.residualLayerNormGrad(this, dy, dSum, sum, gamma, stats, rows, cols);
  }
  attention(qkv: Storage, keyMask: Storage | null, s: AttentionShape): AttentionOutputs {
    return fusedAttention.attention(this, qkv, keyMask, s);
  }
  attentionGrad(qkv: Storage, probs: Storage, dctx: Storage, s: AttentionShape): Storage {
    return fusedAttention.attentionGrad(this, qkv, probs, dctx, s);
  }
  decodeAttention(qkv: Storage, keys: Storage, values: Storage, keyMask: Storage, rows: number, heads: number, headDim: number, cacheLen: number, column: number): Storage {
    return fusedAttention.decodeAttention(this, qkv, keys, values, keyMask, rows, heads, headDim, cacheLen, column);
  }
  packColumns(list: Storage[], rows: number, cols: number): Storage {
    return fusedAttention.packColumns(this, list, rows, cols);
  }
  unpackColumns(x: Storage, rows: number, cols: number, n: number): Storage[] {
    return fusedAttention.unpackColumns(this, x, rows, cols, n);
  }
  clipScale(sumSq: Storage, maxNorm: number): Storage {
    return optimizer.clipScale(this, sumSq, maxNorm);
  }
  adamw(param: Storage, grad: Storage, m: Storage, v: Storage, h: AdamWHyper, gradScale: Storage | null): void {
    optimizer.adamw(this, param, grad, m, v, h, gradScale);
  }
  adamwMulti(groups: AdamWGroup[], h: AdamWHyper, gradScale: Storage | null): void {
    optimizer.adamwMulti(this, groups, h, gradScale);
  }

  // ---------------------------------------------------------------- internals

  private currentEncoder(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    return this.encoder;
  }

  private currentPass(): GPUComputePassEncoder {
    if (!this.pass) this.pass = this.currentEncoder().beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private assertAlive(): void {
    if (this.lostInfo) throw this.lostError();
  }

  private lostError(): DeviceLostError {
    const info = this.lostInfo!;
    return new DeviceLostError(`The GPU device was lost (${info.reason}): ${info.message || 'no details'}.`);
  }

  private throwIfValidationErrors(): void {
    if (this.validationErrors.length === 0) return;
    const errors = this.validationErrors.splice(0);
    throw new Error(`WebGPU reported ${errors.length} error(s); first: ${errors[0]}`);
  }
}
