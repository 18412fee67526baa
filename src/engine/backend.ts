// The contract between the autograd layer (src/engine/ops) and a backend (cpu, webgpu).
//
// A backend implements *primitives*: flat, shape-light kernels that read storages and return a freshly
// allocated output storage (or update in place where the name says so). The autograd ops compose these
// primitives for both their forward and backward passes, so a backend never knows about gradients,
// and both backends are interchangeable: the CPU backend is the oracle the WebGPU kernels are tested
// against. All float maths is f32; token ids and targets are i32.
//
// Conventions that every primitive follows:
// - Sizes are element counts, row-major, last axis fastest.
// - Outputs are new storages owned by the caller (who must `free` them), unless noted "in place".
// - No primitive blocks or reads back; `read`/`readMany` are the only synchronisation points.

export type DType = 'f32' | 'i32';

/** Opaque handle to a backend's memory; only the backend that made it may touch its contents. */
export interface Storage {
  readonly size: number; // elements
  readonly dtype: DType;
}

export type UnaryOp = 'neg' | 'exp' | 'log' | 'tanh' | 'gelu' | 'sqrt' | 'square' | 'relu' | 'abs' | 'sigmoid';
/** Ops whose gradient needs the input x and/or output y: dx = dy * f'(x). */
export type UnaryGradOp = 'exp' | 'log' | 'tanh' | 'gelu' | 'sqrt' | 'relu' | 'abs' | 'sigmoid';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';
export type ReduceOp = 'sum' | 'max' | 'min';

/** Counters exposed to tests and benchmarks ("no hidden synchronisation" is checked with these). */
export interface BackendCounters {
  dispatches: number; // kernel launches (CPU: primitive calls)
  submits: number; // command-buffer submits (CPU: 0)
  readbacks: number; // read()/readMany() calls
  liveBuffers: number; // storages allocated and not yet freed
  pooledBuffers: number; // buffers held for reuse (WebGPU pool; CPU: 0)
  bytesAllocated: number; // bytes of device memory currently held (live + pooled)
}

/**
 * Matmul of row-major matrices, batched: out[b] = op(A[b]) · op(B[b]) with op = transpose when the flag
 * is set. A[b] starts at b*aBatchStride (use 0 to broadcast one matrix over the batch), likewise B.
 * Logical shapes: op(A) is m×k, op(B) is k×n, out is batch×m×n (contiguous).
 * Stored shapes: A is m×k (k×m when transA), B is k×n (n×k when transB).
 */
export interface MatmulParams {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  aBatchStride: number;
  bBatchStride: number;
}

/**
 * Masks for row softmax over the last axis of a tensor viewed as [rows, cols].
 * - causal: a row r is query position q = (r % queryLen) whose absolute position is
 *   q + (cols - queryLen) (so a KV-cache step with queryLen=1 sees every key); keys after it are masked.
 * - keyMask: f32 [numBatches, cols], 1 = key visible, 0 = padding; row r uses keyMask row
 *   floor(r / rowsPerBatch).
 * A fully masked row yields all zeros (softmax) / -Infinity... never NaN: see each primitive.
 */
export interface SoftmaxMask {
  causal: boolean;
  queryLen: number;
  keyMask: Storage | null;
  rowsPerBatch: number;
}

export interface LayerNormResult {
  y: Storage; // [rows, cols]
  mean: Storage; // [rows]
  rstd: Storage; // [rows]  1/sqrt(var + eps), biased variance as in PyTorch/TF
}

export interface LayerNormGrads {
  dx: Storage; // [rows, cols]
  dgamma: Storage; // [cols]
  dbeta: Storage; // [cols]
}

export interface LogProbResult {
  /** [rows] log softmax(z)[target] with z = logits * invTemperature; 0 where target < 0 (ignored row);
   *  -Infinity where the target's probability is exactly 0 (a -Infinity logit), never NaN. */
  logp: Storage;
  /** [rows] full-vocabulary entropy of softmax(z): logsumexp(z) - sum p*z, with 0*(-inf) taken as 0;
   *  0 for ignored rows. */
  entropy: Storage;
}

/** GRPO-family advantage normalisation over consecutive groups (docs/rl-reference.md, "Advantages"). */
export type AdvantageScale = 'group' | 'batch' | 'none';

/** One parameter's AdamW update: all f32 and the same size; param, m and v are updated in place. */
export interface AdamWGroup {
  param: Storage;
  grad: Storage;
  m: Storage;
  v: Storage;
}

export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number; // decoupled: p -= lr * wd * p
  step: number; // 1-based, for bias correction
}

/**
 * Token sampling for generation (see sampleTokens). Randomness is a counter-based hash of
 * (seed, step, row) computed with the same u32 arithmetic on every backend (see sampleUniform in
 * backend/cpu/sample.ts and shaders/sample.wgsl), so the same seed draws the same uniform everywhere.
 */
export interface SampleParams {
  rows: number;
  vocab: number;
  /** Logits are multiplied by this before the softmax; ignored when greedy. Must be > 0 otherwise. */
  invTemperature: number;
  /** Temperature 0: argmax, ties to the lowest id. */
  greedy: boolean;
  /** Keep the topK most likely ids (ties ranked by lower id first); 0 = off. */
  topK: number;
  /** Nucleus: keep an id when the probability mass ranked ahead of it (within the top-k set) is
   *  < topP of that set's mass; the most likely id is always kept. 1 = off. */
  topP: number;
  /** u32 stream seed, and a u32 counter (e.g. the token index) so every call draws fresh uniforms. */
  seed: number;
  step: number;
  /** Sampling eosId finishes the row; a finished row emits padId and stays finished. */
  eosId: number;
  padId: number;
}

/**
 * Geometry of one fused KV-cache decode step of a pre-LayerNorm GPT block (decodeLayer), for `rows`
 * generation rows that each feed one token. Each layer's key and value caches are
 * [rows * nHeads, cacheLen, dModel / nHeads]; rowStart (i32 [rows]) is each row's first real cache
 * column (its prompt is right-aligned to end at the prompt width), so row r's query at `column` sees
 * the keys at columns rowStart[r] .. column and the token it feeds sits at position column - rowStart[r].
 */
export interface DecodeGeometry {
  rows: number;
  dModel: number;
  nHeads: number;
  /** MLP hidden width. */
  hidden: number;
  cacheLen: number;
  /** The cache column this step writes, and the last one its query sees (< cacheLen). */
  column: number;
  /** Longest cache (the model's context): sizes the kernels' scratch, so one pipeline serves every rollout. */
  maxCacheLen: number;
  /** LayerNorm epsilon. */
  eps: number;
}

/** Everything the fused head-and-sample step (decodeHead) needs besides its storages. */
export interface DecodeHeadParams {
  rows: number;
  dModel: number;
  vocab: number;
  /** Rows of the position table in the packed head weights. */
  positions: number;
  eps: number;
  /** Sampling at this step (rows and vocab must match the fields above). */
  sample: SampleParams;
  /** The sampled token is scored (log-prob, entropy) at this inverse temperature. */
  scoreInvTemperature: number;
  /** Outputs are [rows, steps]; this step writes column `step` of them. */
  steps: number;
  step: number;
  /** Cache column of the token just sampled, which the next decodeLayer calls feed: x becomes its
   *  embedding (token + position column - rowStart[r]); -1 on the last step (x is left as it is). */
  embedColumn: number;
}

/** In-place outputs of decodeHead. */
export interface DecodeHeadOutputs {
  /** i32 [rows, steps]: the sampled ids (padId once a row has finished). */
  tokens: Storage;
  /** f32 [2, rows, steps]: log-prob then entropy of the sampled id at scoreInvTemperature. */
  scores: Storage;
  /** f32 [rows, steps, vocab] to keep every step's logits, or null. */
  logits: Storage | null;
}

/** What the fused decode kernels are asked to fit (a backend may decline a model too large for them). */
export interface DecodeShape {
  dModel: number;
  nHeads: number;
  hidden: number;
  vocab: number;
  maxCacheLen: number;
}

/**
 * The clipped policy-gradient loss per token, fused (src/rl/policyLoss.ts has the maths and the unfused
 * reference): ρ = exp(clamp(logp − oldLogp, ±20)); A_w = A, or λ+·relu(A) − λ−·relu(−A) when the
 * weights are not both 1; ℓ = max(−A_w·ρ, −A_w·clip(ρ, 1−clipLow, 1+clipHigh)), then min(ℓ, dualClip·|A_w|)
 * when dualClip > 0. Tensors are [rows, cols]; the advantages [rows, advCols] with advCols 1 or cols.
 */
export interface PolicyLossParams {
  rows: number;
  cols: number;
  advCols: number;
  clipLow: number;
  clipHigh: number;
  /** 0 = no dual clip. */
  dualClip: number;
  positiveWeight: number;
  negativeWeight: number;
}

export interface PolicyLossOutputs {
  /** f32 [rows, cols] ℓ per token. */
  perToken: Storage;
  /** f32 [1] the masked token mean Σ m·ℓ / max(Σ m, 1). */
  loss: Storage;
  /** f32 [4] masked token means of [ρ < 1−ε_low]·[A < 0], [ρ > 1+ε_high]·[A > 0], their union and
   *  [ℓ hit the dual-clip bound] (TRL clip_ratio low/high/region, verl pg_clipfrac_lower). */
  metrics: Storage;
}

/**
 * Attention of one pre-projected batch: qkv is [batch·seq, 3·D] with D = heads·headDim, each row its
 * q, k and v side by side (one projection matmul's layout: the heads are read by strides, no split
 * copies); causal, with an optional key-padding mask keyMask [batch, seq] (0 = padding). A query that
 * sees no key gets a zero context (as softmax's fully masked row). scale multiplies the scores (1/√headDim).
 */
export interface AttentionShape {
  batch: number;
  seq: number;
  heads: number;
  headDim: number;
  scale: number;
}

/** The activation biasActivation applies after the bias. */
export type BiasActivation = 'none' | 'gelu';

/** A residual add and the layer norm that reads it, in one launch (see Backend.residualLayerNorm). */
export interface ResidualLayerNormResult {
  /** [rows, cols] x + delta: the residual stream, carried on. */
  sum: Storage;
  /** [rows, cols] LN(x + delta). */
  y: Storage;
  /** [2, rows]: the mean of each row, then its rstd (one storage, to keep the backward's bindings at 8). */
  stats: Storage;
}

export interface AttentionOutputs {
  /** f32 [batch·seq, heads·headDim]: the heads' contexts, already merged. */
  ctx: Storage;
  /** f32 [batch, heads, seq, seq]: the attention probabilities (0 where masked), kept for the backward. */
  probs: Storage;
}


export interface Backend {
  readonly name: 'cpu' | 'webgpu';

  // ---- memory ----
  /** Zero-filled storage. */
  zeros(size: number, dtype: DType): Storage;
  fill(size: number, value: number, dtype: DType): Storage;
  upload(data: Float32Array | Int32Array): Storage;
  free(s: Storage): void;
  /** The one synchronisation point. Counts one readback. */
  read(s: Storage): Promise<Float32Array | Int32Array>;
  /** Reads several storages with a single readback (one copy into one staging buffer, one map). */
  readMany(list: Storage[]): Promise<(Float32Array | Int32Array)[]>;
  /** Submit any recorded work (WebGPU); no-op on CPU. */
  flush(): void;
  counters(): BackendCounters;
  resetCounters(): void;

  // ---- elementwise ----
  unary(op: UnaryOp, x: Storage): Storage;
  /** dx = dy * f'(x); y = f(x) is passed too because some derivatives are cheaper from it. */
  unaryGrad(op: UnaryGradOp, x: Storage, y: Storage, dy: Storage): Storage;
  /** out = x * scale + shift. */
  affine(x: Storage, scale: number, shift: number): Storage;
  clamp(x: Storage, lo: number, hi: number): Storage;
  /** dx = dy where lo <= x <= hi, else 0 (clamp's gradient). */
  clampGrad(x: Storage, dy: Storage, lo: number, hi: number): Storage;
  /**
   * Broadcasting binary op. outShape has rank r (<= 6); aStrides/bStrides have rank r, in elements, with
   * 0 on broadcast axes. out is contiguous in outShape.
   */
  binary(op: BinaryOp, a: Storage, aStrides: number[], b: Storage, bStrides: number[], outShape: number[]): Storage;
  /** out = cond != 0 ? a : b, all the same size (cond is f32 0/1). */
  where(cond: Storage, a: Storage, b: Storage): Storage;

  // ---- layout (dtype-agnostic: f32 and i32) ----
  /** Materialises a strided view: out[idx] = x[offset + sum_i idx_i * strides_i], out contiguous in shape (rank <= 6). */
  stridedCopy(x: Storage, offset: number, strides: number[], shape: number[]): Storage;
  /** In place on dst: dst[offset + sum_i idx_i * strides_i] = src[idx] for every idx of shape (src contiguous). */
  copyInto(dst: Storage, offset: number, strides: number[], src: Storage, shape: number[]): void;

  // ---- reductions ----
  /** x viewed as [outer, size, inner]; reduces the middle axis -> [outer, inner]. */
  reduce(op: ReduceOp, x: Storage, outer: number, size: number, inner: number): Storage;
  /** Sum of squares of all elements of all storages -> f32 [1]. (For global-norm clipping.) */
  sumOfSquares(list: Storage[]): Storage;

  // ---- linear algebra ----
  matmul(a: Storage, b: Storage, p: MatmulParams): Storage;

  // ---- normalisation / softmax ----
  /** Row softmax (log=false) or log-softmax (log=true) of x viewed as [rows, cols], masks applied.
   *  Masked entries: softmax 0, log-softmax -Infinity. A fully masked row: softmax all 0, log-softmax all -Infinity. */
  softmax(x: Storage, rows: number, cols: number, mask: SoftmaxMask | null, log: boolean): Storage;
  /** Given y = (log)softmax(x) and dy: softmax dx = y*(dy - sum(dy*y)); log-softmax dx = dy - exp(y)*sum(dy).
   *  Masked entries (y = 0 / -Infinity) get dx = 0. */
  softmaxGrad(y: Storage, dy: Storage, rows: number, cols: number, log: boolean): Storage;
  layerNorm(x: Storage, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): LayerNormResult;
  layerNormGrad(dy: Storage, x: Storage, gamma: Storage, mean: Storage, rstd: Storage, rows: number, cols: number): LayerNormGrads;

  // ---- embeddings ----
  /** out[i, :] = table[ids[i], :]; ids i32 [count]; table [numRows, cols]. Out-of-range ids give zeros. */
  gather(table: Storage, ids: Storage, count: number, cols: number): Storage;
  /** dtable [numRows, cols] with dtable[v] = sum over i with ids[i] = v of dy[i]. */
  scatterAdd(dy: Storage, ids: Storage, count: number, numRows: number, cols: number): Storage;

  // ---- fused RL kernels ----
  /** Fused log-softmax + gather of target ids + full-vocabulary entropy, per row, at a temperature. */
  logProbEntropy(logits: Storage, targets: Storage, rows: number, vocab: number, invTemperature: number): LogProbResult;
  /**
   * dlogits [rows, vocab] for loss = sum_r dlogp[r]*logp[r] + dentropy[r]*entropy[r] (dentropy may be null).
   * d logp/d logits_j = invT * (onehot_j - p_j); d H/d logits_j = -invT * p_j * (log p_j + H).
   * Ignored rows (target < 0) and zero-probability entries get 0, never NaN.
   */
  logProbEntropyGrad(
    logits: Storage,
    targets: Storage,
    dlogp: Storage,
    dentropy: Storage | null,
    rows: number,
    vocab: number,
    invTemperature: number,
  ): Storage;
  /** rewards [numGroups*groupSize] -> advantages. 'group': (r - mean_g)/(std_g + eps); 'batch': (r - mean_g)/(std_batch + eps);
   *  'none': r - mean_g. std is Bessel-corrected (n-1); a group (or batch) of one has std 0. */
  groupAdvantages(rewards: Storage, numGroups: number, groupSize: number, scale: AdvantageScale, eps: number): Storage;
  /**
   * One token per row of logits [rows, vocab] -> i32 ids [rows]. `finished` (i32 [rows], 0/1) is updated
   * in place: a finished row emits padId; a row that samples eosId becomes finished. Sampling is by
   * inverse CDF (ids in increasing order) over the temperature-scaled, top-k/top-p filtered and
   * renormalised distribution, with u = uniform(seed, step, row) in [0, 1). -Infinity logits are never drawn.
   */
  sampleTokens(logits: Storage, finished: Storage, p: SampleParams): Storage;

  // ---- fused KV-cache decoding (src/model/generate.ts; the unfused ops remain the reference) ----
  /** One storage holding the given ones back to back (all f32 or all i32): e.g. a layer's weights
   *  packed once per rollout for decodeLayer. */
  concat(list: Storage[]): Storage;
  /** Whether decodeLayer/decodeHead can run this model (a GPU keeps a row's activations in
   *  workgroup memory, which bounds the widths). When false, use the unfused ops. */
  canFuseDecode(shape: DecodeShape): boolean;
  /**
   * One pre-LayerNorm GPT block for one new token per row, in place on x [rows, dModel]:
   *   h = LN1(x); q, k, v = h·Wq / √dh, h·Wk, h·Wv; k, v written to the caches at `column`;
   *   attention of q over the row's cached keys rowStart[r] .. column (per head); x += ctx·Wo;
   *   x += gelu(LN2(x)·W1 + b1)·W2 + b2.
   * weights packs, back to back: ln1.g, ln1.b [D]; Wq, Wk, Wv, Wo [D, D]; ln2.g, ln2.b [D];
   * W1 [D, F]; b1 [F]; W2 [F, D]; b2 [D] (decodeLayerWeightCount gives the total).
   */
  decodeLayer(x: Storage, weights: Storage, keys: Storage, values: Storage, rowStart: Storage, g: DecodeGeometry): void;
  /**
   * The head and the sampler of one decode step, per row: logits = LN_f(x)·tok_embᵀ; id = sampleTokens
   * on them (finished updated in place, as sampleTokens does); the id, its log-prob and entropy at
   * scoreInvTemperature written at column `step` of the outputs (and the logits, when kept); then x
   * becomes the embedding of id at its next position (unless embedColumn is -1).
   * headWeights packs ln_f.g, ln_f.b [D]; tok_emb [vocab, D]; pos_emb [positions, D].
   */
  decodeHead(x: Storage, headWeights: Storage, finished: Storage, rowStart: Storage, out: DecodeHeadOutputs, p: DecodeHeadParams): void;

  // ---- fused training kernels (the unfused ops remain the reference) ----
  /** The fused policy-gradient loss (PolicyLossParams); oldLogp null means ρ ≡ 1 (a detached copy of logp). */
  policyLoss(logp: Storage, oldLogp: Storage | null, adv: Storage, mask: Storage, p: PolicyLossParams): PolicyLossOutputs;
  /** dlogp [rows, cols] for the upstream gradients of perToken (dPerToken, or null) and of loss (dLoss [1], or null). */
  policyLossGrad(logp: Storage, oldLogp: Storage | null, adv: Storage, mask: Storage, dPerToken: Storage | null, dLoss: Storage | null, p: PolicyLossParams): Storage;
  /**
   * A linear layer with its bias and activation as the matmul's epilogue: y = act(a·b + bias) for a
   * [m, k] and b [k, n] (both row-major) and bias [n]; with GELU also pre = a·b, what biasActivationGrad
   * differentiates from (null for 'none'). A backend without the fused launch for some shape composes
   * matmul and biasActivation.
   */
  matmulBiasActivation(a: Storage, b: Storage, bias: Storage, m: number, k: number, n: number, act: BiasActivation): { y: Storage; pre: Storage | null };
  /** y = act(x + bias) for x [rows, cols] and bias [cols]: a linear layer's epilogue in one launch. */
  biasActivation(x: Storage, bias: Storage, rows: number, cols: number, act: BiasActivation): Storage;
  /** In one launch: dx = dy·act'(x + bias) (null when act is 'none': dx is dy itself) and dbias, its column sums. */
  biasActivationGrad(dy: Storage, x: Storage, bias: Storage, rows: number, cols: number, act: BiasActivation): { dx: Storage | null; dbias: Storage };
  /** sum = x + delta (delta null: sum = x) and y = layerNorm(sum): the pre-LN block's residual add
   *  fused with the norm that follows it. */
  residualLayerNorm(x: Storage, delta: Storage | null, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): ResidualLayerNormResult;
  /** In one launch: dx = dSum + layerNormGrad(dy) (dSum null: 0) — the gradient of both x and delta —
   *  and dgamma, dbeta. sum and stats are the forward's. */
  residualLayerNormGrad(dy: Storage, dSum: Storage | null, sum: Storage, gamma: Storage, stats: Storage, rows: number, cols: number): LayerNormGrads;
  /** Causal multi-head attention of projected q, k, v packed as qkv (AttentionShape). */
  attention(qkv: Storage, keyMask: Storage | null, s: AttentionShape): AttentionOutputs;
  /** Its gradient with respect to qkv ([batch·seq, 3·D]), from the saved probabilities and dctx. */
  attentionGrad(qkv: Storage, probs: Storage, dctx: Storage, s: AttentionShape): Storage;
  /**
   * One op-by-op decode step's attention, fused (src/model/kvCache.ts): qkv [rows, 3·D] holds each row's
   * new q (already scaled by 1/√headDim), k and v; k and v are written into the caches [rows·heads,
   * cacheLen, headDim] at `column`, then q attends over the row's cache columns whose keyMask [rows,
   * cacheLen] is not 0. Returns ctx [rows, D], the heads merged.
   */
  decodeAttention(qkv: Storage, keys: Storage, values: Storage, keyMask: Storage, rows: number, heads: number, headDim: number, cacheLen: number, column: number): Storage;
  /** [rows, n·cols] from n (1 to 4) storages of [rows, cols] side by side (e.g. Wq | Wk | Wv). */
  packColumns(list: Storage[], rows: number, cols: number): Storage;
  /** The inverse: n storages of [rows, cols] from x [rows, n·cols]. */
  unpackColumns(x: Storage, rows: number, cols: number, n: number): Storage[];

  // ---- optimiser ----
  /** f32 [1]: min(1, maxNorm / (sqrt(sumSq) + 1e-6)) — the factor global-norm clipping multiplies grads by. */
  clipScale(sumSq: Storage, maxNorm: number): Storage;
  /** In place AdamW on param, m, v. grad is multiplied by gradScale[0] first when gradScale is given. */
  adamw(param: Storage, grad: Storage, m: Storage, v: Storage, h: AdamWHyper, gradScale: Storage | null): void;
  /** adamw on every group, in as few launches as the backend's binding limits allow (a multi-tensor
   *  optimiser step: the WebGPU backend updates several parameters per dispatch). */
  adamwMulti(groups: AdamWGroup[], h: AdamWHyper, gradScale: Storage | null): void;
}
