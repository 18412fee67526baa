// The CPU backend: every Backend primitive on TypedArrays. It is the oracle the WebGPU kernels are tested
// against, the fallback without WebGPU, and what Node scripts train with, so it validates its arguments
// and throws clear errors where a GPU kernel would silently read out of range.
//
// This file only checks arguments, wraps arrays in storages and keeps the counters; the maths lives in
// one kernel file per family, on plain arrays. The hot kernels also exist in WASM SIMD (./wasm/): they
// are used where the JavaScript engine runs them, and the JavaScript kernels stay the reference (and
// the fallback); `new CpuBackend({ kernels: 'js' })` or RLVR_CPU_KERNELS=js forces the reference.
// Large WASM matmuls run on a thread pool in Node (option `threads`, RLVR_CPU_THREADS; end it with dispose()).
import type {
  AdamWGroup, AdamWHyper, AttentionOutputs, Backend, BackendCounters, BiasActivation, BinaryOp, DType, DecodeGeometry, DecodeHeadOutputs,
  DecodeHeadParams, LayerNormGrads, LayerNormResult, LogProbResult, MatmulParams, PolicyLossOutputs, ReduceOp, ResidualLayerNormResult, SoftmaxMask, Storage, UnaryGradOp, UnaryOp,
} from '../../backend';
import { composedLinear } from '../linear';
import { CpuStorage, cpu, f32, i32, type CpuArray } from './cpuStorage';
import * as ew from './elementwise';
import { checkStridedBounds, copyInto, shapeSize, stridedCopy } from './layout';
import { reduce, sumOfSquares } from './reduce';
import { matmul } from './matmul';
import { softmax, softmaxGrad } from './softmax';
import { layerNorm, layerNormGrad } from './layerNorm';
import { gather, scatterAdd } from './embedding';
import { adamw, clipScale } from './adamw';
import { CpuRlKernels } from './rlKernels';
import { decodeHead, decodeLayer } from './decode';
import { CpuFusedTraining } from './fusedTraining';
import { checkDecodeHead, checkDecodeLayer } from '../decode';
import { loadWasmKernels, type WasmKernels } from './wasm/wasmKernels';
import { MatmulThreads } from './wasm/matmulThreads';
import { checkCount, kernelsFromEnv, sameSize, threadsFromEnv, type CpuBackendOptions } from './cpuOptions';

export type { CpuBackendOptions, CpuKernels, CpuThreads } from './cpuOptions';

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  /** The WASM SIMD kernels in use, or null on the JavaScript path. */
  private readonly wasm: WasmKernels | null;
  /** The WASM matmul's thread pool (null on the JavaScript path). */
  private readonly matmulThreads: MatmulThreads | null;

  constructor(options: CpuBackendOptions = {}) {
    const kernels = options.kernels ?? kernelsFromEnv() ?? 'auto';
    this.wasm = kernels === 'js' ? null : loadWasmKernels();
    if (kernels === 'wasm' && !this.wasm) throw new Error('CpuBackend: WASM SIMD kernels requested, but this JavaScript engine cannot run them');
    this.matmulThreads = this.wasm ? new MatmulThreads(options.threads ?? threadsFromEnv() ?? 'auto', this.wasm) : null;
  }

  /** Threads the large matmuls run on (1: the calling thread only). */
  get threads(): number {
    return this.matmulThreads?.threads ?? 1;
  }

  /** Ends the matmul pool's workers (unref'd, so a script exits without this; later matmuls run on one thread). */
  dispose(): void {
    this.matmulThreads?.dispose();
  }

  /** Which kernels run the hot primitives: 'wasm' (SIMD) or 'js' (the reference). */
  get kernels(): 'wasm' | 'js' {
    return this.wasm ? 'wasm' : 'js';
  }

  private dispatches = 0;
  private readbacks = 0;
  private live = 0;
  private liveBytes = 0;

  // ---- memory ----

  /** Wraps a freshly made array; every storage this backend hands out goes through here. */
  private wrap(array: CpuArray): CpuStorage {
    const s = new CpuStorage(array);
    this.live++;
    this.liveBytes += s.bytes;
    return s;
  }

  /** Counts one primitive call (the CPU analogue of a kernel launch). */
  private launch(): void {
    this.dispatches++;
  }

  zeros(size: number, dtype: DType): Storage {
    checkCount('zeros', 'size', size);
    return this.wrap(dtype === 'i32' ? new Int32Array(size) : new Float32Array(size));
  }

  fill(size: number, value: number, dtype: DType): Storage {
    checkCount('fill', 'size', size);
    // Int32Array.fill truncates towards zero, as a WGSL i32(f32) conversion would for in-range values.
    return this.wrap(dtype === 'i32' ? new Int32Array(size).fill(value) : new Float32Array(size).fill(value));
  }

  upload(data: Float32Array | Int32Array): Storage {
    // Copied: the caller may reuse its array, and a GPU upload is a copy too.
    return this.wrap(data instanceof Int32Array ? Int32Array.from(data) : Float32Array.from(data));
  }

  free(s: Storage): void {
    if (!(s instanceof CpuStorage)) throw new Error('free: storage does not belong to the CPU backend');
    if (s.freed) throw new Error(`free: storage (${s.dtype}[${s.size}]) was already freed (double free)`);
    s.freed = true;
    this.live--;
    this.liveBytes -= s.bytes;
  }

  // async so that misuse (a freed storage) surfaces as a rejected promise, as it would from a GPU read.
  async read(s: Storage): Promise<Float32Array | Int32Array> {
    const data = cpu(s, 'read').data;
    this.readbacks++;
    return data.slice(); // a copy, like a mapped staging buffer: the caller may keep it
  }

  async readMany(list: Storage[]): Promise<(Float32Array | Int32Array)[]> {
    const out = list.map((s) => cpu(s, 'readMany').data.slice());
    this.readbacks++;
    return out;
  }

  flush(): void {}

  counters(): BackendCounters {
    return {
      dispatches: this.dispatches,
      submits: 0,
      readbacks: this.readbacks,
      liveBuffers: this.live,
      pooledBuffers: 0,
      bytesAllocated: this.liveBytes,
    };
  }

  /** Resets the event counters; liveBuffers and bytesAllocated describe state, not events, so they stay. */
  resetCounters(): void {
    this.dispatches = 0;
    this.readbacks = 0;
  }

  // ---- elementwise ----

  unary(op: UnaryOp, x: Storage): Storage {
    const xa = f32(x, `unary ${op}`);
    this.launch();
    return this.wrap(op === 'gelu' && this.wasm ? this.wasm.gelu(xa) : ew.unary(op, xa));
  }

  unaryGrad(op: UnaryGradOp, x: Storage, y: Storage, dy: Storage): Storage {
    const what = `unaryGrad ${op}`;
    sameSize(what, x.size, y, dy);
    const xa = f32(x, what);
    const ya = f32(y, what);
    const dya = f32(dy, what);
    this.launch();
    return this.wrap(op === 'gelu' && this.wasm ? this.wasm.geluGrad(xa, dya) : ew.unaryGrad(op, xa, ya, dya));
  }

  affine(x: Storage, scale: number, shift: number): Storage {
    const xa = f32(x, 'affine');
    this.launch();
    return this.wrap(ew.affine(xa, scale, shift));
  }

  clamp(x: Storage, lo: number, hi: number): Storage {
    const xa = f32(x, 'clamp');
    this.launch();
    return this.wrap(ew.clamp(xa, lo, hi));
  }

  clampGrad(x: Storage, dy: Storage, lo: number, hi: number): Storage {
    sameSize('clampGrad', x.size, dy);
    const xa = f32(x, 'clampGrad');
    const dya = f32(dy, 'clampGrad');
    this.launch();
    return this.wrap(ew.clampGrad(xa, dya, lo, hi));
  }

  binary(op: BinaryOp, a: Storage, aStrides: number[], b: Storage, bStrides: number[], outShape: number[]): Storage {
    const what = `binary ${op}`;
    const aa = f32(a, what);
    const ba = f32(b, what);
    checkStridedBounds(`${what} (a)`, aa.length, 0, aStrides, outShape);
    checkStridedBounds(`${what} (b)`, ba.length, 0, bStrides, outShape);
    this.launch();
    return this.wrap(ew.binary(op, aa, aStrides, ba, bStrides, outShape));
  }

  where(cond: Storage, a: Storage, b: Storage): Storage {
    sameSize('where', cond.size, a, b);
    const ca = f32(cond, 'where');
    const aa = f32(a, 'where');
    const ba = f32(b, 'where');
    this.launch();
    return this.wrap(ew.where(ca, aa, ba));
  }

  // ---- layout ----

  stridedCopy(x: Storage, offset: number, strides: number[], shape: number[]): Storage {
    const xs = cpu(x, 'stridedCopy');
    checkStridedBounds('stridedCopy', xs.size, offset, strides, shape);
    this.launch();
    return this.wrap(stridedCopy(xs.data, offset, strides, shape));
  }

  copyInto(dst: Storage, offset: number, strides: number[], src: Storage, shape: number[]): void {
    const ds = cpu(dst, 'copyInto (dst)');
    const ss = cpu(src, 'copyInto (src)', ds.dtype);
    if (ss.size !== shapeSize(shape)) {
      throw new Error(`copyInto: src has ${ss.size} elements, shape [${shape.join(', ')}] needs ${shapeSize(shape)}`);
    }
    checkStridedBounds('copyInto', ds.size, offset, strides, shape);
    this.launch();
    copyInto(ds.data, offset, strides, ss.data, shape);
  }

  // ---- reductions ----

  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage {
    checkCount('reduce', 'outer', outer);
    checkCount('reduce', 'size', size);
    checkCount('reduce', 'inner', inner);
    const xa = f32(x, `reduce ${op}`, outer * size * inner);
    this.launch();
    return this.wrap(reduce(op, xa, outer, size, inner));
  }

  sumOfSquares(list: Storage[]): Storage {
    const arrays = list.map((s) => f32(s, 'sumOfSquares'));
    this.launch();
    return this.wrap(sumOfSquares(arrays));
  }

  // ---- linear algebra ----

  matmul(a: Storage, b: Storage, p: MatmulParams): Storage {
    const { batch, m, n, k, aBatchStride, bBatchStride } = p;
    for (const key of ['batch', 'm', 'n', 'k', 'aBatchStride', 'bBatchStride'] as const) checkCount('matmul', key, p[key]);
    const last = Math.max(batch - 1, 0);
    const aa = f32(a, 'matmul (a)', batch > 0 ? last * aBatchStride + m * k : 0);
    const ba = f32(b, 'matmul (b)', batch > 0 ? last * bBatchStride + k * n : 0);
    this.launch();
    return this.wrap(this.matmulThreads ? this.matmulThreads.matmul(aa, ba, p) : matmul(aa, ba, p));
  }

  // ---- normalisation / softmax ----

  softmax(x: Storage, rows: number, cols: number, mask: SoftmaxMask | null, log: boolean): Storage {
    checkCount('softmax', 'rows', rows);
    checkCount('softmax', 'cols', cols);
    const xa = f32(x, 'softmax', rows * cols);
    let keyMask: Float32Array | null = null;
    if (mask) {
      if (mask.causal && !(Number.isInteger(mask.queryLen) && mask.queryLen >= 1)) {
        throw new Error(`softmax: causal mask needs queryLen >= 1, got ${mask.queryLen}`);
      }
      if (mask.keyMask) {
        if (!(Number.isInteger(mask.rowsPerBatch) && mask.rowsPerBatch >= 1)) {
          throw new Error(`softmax: keyMask needs rowsPerBatch >= 1, got ${mask.rowsPerBatch}`);
        }
        keyMask = f32(mask.keyMask, 'softmax (keyMask)', Math.ceil(rows / mask.rowsPerBatch) * cols);
      }
    }
    this.launch();
    const cpuMask = mask ? { causal: mask.causal, queryLen: mask.queryLen, keyMask, rowsPerBatch: mask.rowsPerBatch } : null;
    return this.wrap(softmax(xa, rows, cols, cpuMask, log));
  }

  softmaxGrad(y: Storage, dy: Storage, rows: number, cols: number, log: boolean): Storage {
    checkCount('softmaxGrad', 'rows', rows);
    checkCount('softmaxGrad', 'cols', cols);
    const ya = f32(y, 'softmaxGrad (y)', rows * cols);
    const dya = f32(dy, 'softmaxGrad (dy)', rows * cols);
    this.launch();
    return this.wrap(softmaxGrad(ya, dya, rows, cols, log));
  }

  layerNorm(x: Storage, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): LayerNormResult {
    checkCount('layerNorm', 'rows', rows);
    checkCount('layerNorm', 'cols', cols);
    const xa = f32(x, 'layerNorm (x)', rows * cols);
    const ga = f32(gamma, 'layerNorm (gamma)', cols);
    const ba = f32(beta, 'layerNorm (beta)', cols);
    this.launch();
    const r = layerNorm(xa, ga, ba, rows, cols, eps);
    return { y: this.wrap(r.y), mean: this.wrap(r.mean), rstd: this.wrap(r.rstd) };
  }

  layerNormGrad(dy: Storage, x: Storage, gamma: Storage, mean: Storage, rstd: Storage, rows: number, cols: number): LayerNormGrads {
    checkCount('layerNormGrad', 'rows', rows);
    checkCount('layerNormGrad', 'cols', cols);
    const dya = f32(dy, 'layerNormGrad (dy)', rows * cols);
    const xa = f32(x, 'layerNormGrad (x)', rows * cols);
    const ga = f32(gamma, 'layerNormGrad (gamma)', cols);
    const ma = f32(mean, 'layerNormGrad (mean)', rows);
    const ra = f32(rstd, 'layerNormGrad (rstd)', rows);
    this.launch();
    const g = layerNormGrad(dya, xa, ga, ma, ra, rows, cols);
    return { dx: this.wrap(g.dx), dgamma: this.wrap(g.dgamma), dbeta: this.wrap(g.dbeta) };
  }

  // ---- embeddings ----

  gather(table: Storage, ids: Storage, count: number, cols: number): Storage {
    checkCount('gather', 'count', count);
    checkCount('gather', 'cols', cols);
    const ta = f32(table, 'gather (table)');
    if (cols > 0 && ta.length % cols !== 0) throw new Error(`gather: table of ${ta.length} is not a whole number of rows of ${cols}`);
    const ia = i32(ids, 'gather (ids)', count);
    this.launch();
    return this.wrap(gather(ta, ia, count, cols));
  }

  scatterAdd(dy: Storage, ids: Storage, count: number, numRows: number, cols: number): Storage {
    checkCount('scatterAdd', 'count', count);
    checkCount('scatterAdd', 'numRows', numRows);
    checkCount('scatterAdd', 'cols', cols);
    const da = f32(dy, 'scatterAdd (dy)', count * cols);
    const ia = i32(ids, 'scatterAdd (ids)', count);
    this.launch();
    return this.wrap(scatterAdd(da, ia, count, numRows, cols));
  }

  // ---- fused RL kernels (argument checks and maths in rlKernels.ts) ----

  private readonly rl = new CpuRlKernels((a) => this.wrap(a), () => this.launch());
  logProbEntropy(...a: Parameters<Backend['logProbEntropy']>): LogProbResult {
    return this.rl.logProbEntropy(...a);
  }
  logProbEntropyGrad(...a: Parameters<Backend['logProbEntropyGrad']>): Storage {
    return this.rl.logProbEntropyGrad(...a);
  }
  groupAdvantages(...a: Parameters<Backend['groupAdvantages']>): Storage {
    return this.rl.groupAdvantages(...a);
  }
  sampleTokens(...a: Parameters<Backend['sampleTokens']>): Storage {
    return this.rl.sampleTokens(...a);
  }

  // ---- fused KV-cache decoding (kernels in ./decode.ts) ----

  concat(list: Storage[]): Storage {
    const arrays = list.map((s) => cpu(s, 'concat', list[0]?.dtype).data);
    const total = arrays.reduce((n, a) => n + a.length, 0);
    const out = list[0]?.dtype === 'i32' ? new Int32Array(total) : new Float32Array(total);
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    this.launch();
    return this.wrap(out);
  }

  canFuseDecode(): boolean {
    return true; // no workgroup memory to fit
  }

  decodeLayer(x: Storage, weights: Storage, keys: Storage, values: Storage, rowStart: Storage, g: DecodeGeometry): void {
    checkDecodeLayer(x, weights, keys, values, rowStart, g);
    this.launch();
    decodeLayer(f32(x, 'decodeLayer'), f32(weights, 'decodeLayer'), f32(keys, 'decodeLayer'), f32(values, 'decodeLayer'), i32(rowStart, 'decodeLayer'), g);
  }

  decodeHead(x: Storage, headWeights: Storage, finished: Storage, rowStart: Storage, out: DecodeHeadOutputs, p: DecodeHeadParams): void {
    checkDecodeHead(x, headWeights, finished, rowStart, out, p);
    this.launch();
    const arr = (s: Storage) => f32(s, 'decodeHead');
    decodeHead(arr(x), arr(headWeights), i32(finished, 'decodeHead'), i32(rowStart, 'decodeHead'), i32(out.tokens, 'decodeHead'), arr(out.scores), out.logits ? arr(out.logits) : null, p);
  }

  // ---- fused training kernels (argument checks and maths in fusedTraining.ts) ----

  private readonly fused = new CpuFusedTraining((a) => this.wrap(a), () => this.launch());
  policyLoss(...a: Parameters<Backend['policyLoss']>): PolicyLossOutputs {
    return this.fused.policyLoss(...a);
  }
  policyLossGrad(...a: Parameters<Backend['policyLossGrad']>): Storage {
    return this.fused.policyLossGrad(...a);
  }
  matmulBiasActivation(a: Storage, b: Storage, bias: Storage, m: number, k: number, n: number, act: BiasActivation): { y: Storage; pre: Storage | null } {
    return composedLinear(this, a, b, bias, m, k, n, act); // the WASM matmul has no epilogue
  }
  biasActivation(...a: Parameters<Backend['biasActivation']>): Storage {
    return this.fused.biasActivation(...a);
  }
  biasActivationGrad(...a: Parameters<Backend['biasActivationGrad']>): { dx: Storage | null; dbias: Storage } {
    return this.fused.biasActivationGrad(...a);
  }
  residualLayerNorm(...a: Parameters<Backend['residualLayerNorm']>): ResidualLayerNormResult {
    return this.fused.residualLayerNorm(...a);
  }
  residualLayerNormGrad(...a: Parameters<Backend['residualLayerNormGrad']>): LayerNormGrads {
    return this.fused.residualLayerNormGrad(...a);
  }
  attention(...a: Parameters<Backend['attention']>): AttentionOutputs {
    return this.fused.attention(...a);
  }
  attentionGrad(...a: Parameters<Backend['attentionGrad']>): Storage {
    return this.fused.attentionGrad(...a);
  }
  decodeAttention(...a: Parameters<Backend['decodeAttention']>): Storage {
    return this.fused.decodeAttention(...a);
  }
  packColumns(...a: Parameters<Backend['packColumns']>): Storage {
    return this.fused.packColumns(...a);
  }
  unpackColumns(...a: Parameters<Backend['unpackColumns']>): Storage[] {
    return this.fused.unpackColumns(...a);
  }

  // ---- optimiser ----

  clipScale(sumSq: Storage, maxNorm: number): Storage {
    const sa = f32(sumSq, 'clipScale', 1);
    this.launch();
    return this.wrap(Float32Array.of(clipScale(sa[0], maxNorm)));
  }

  adamw(param: Storage, grad: Storage, m: Storage, v: Storage, h: AdamWHyper, gradScale: Storage | null): void {
    sameSize('adamw', param.size, grad, m, v);
    if (!(Number.isInteger(h.step) && h.step >= 1)) throw new Error(`adamw: step must be a 1-based integer, got ${h.step}`);
    const pa = f32(param, 'adamw (param)');
    const ga = f32(grad, 'adamw (grad)');
    const ma = f32(m, 'adamw (m)');
    const va = f32(v, 'adamw (v)');
    const scale = gradScale ? f32(gradScale, 'adamw (gradScale)', 1)[0] : 1;
    if (pa === ma || pa === va || ma === va) throw new Error('adamw: param, m and v must be distinct storages');
    this.launch();
    adamw(pa, ga, ma, va, h, scale);
  }

  adamwMulti(groups: AdamWGroup[], h: AdamWHyper, gradScale: Storage | null): void {
    // One call, counted as one launch (the checks and the maths are adamw's).
    const before = this.dispatches;
    for (const g of groups) this.adamw(g.param, g.grad, g.m, g.v, h, gradScale);
    this.dispatches = before + (groups.length > 0 ? 1 : 0);
  }
}
