// The jax-js contender of the generation benchmark: the same GPT (src/model) and the same batched
// KV-cache rollout as TfjsGpt (bench/generation/tfjsGpt.ts), written in jax-js (numpy-style ops under
// its reference-counting rules: `.ref` for every use of an array but the last) and compiled with `jit`,
// on jax-js's WebGPU device (start it with startJaxWebGpu from bench/trainstep/jaxTrain.ts).
//
//   prefill   one jitted function: the B prompts (right-aligned, padding masked by an additive -1e9
//             bias), each prompt's keys/values gathered out to its G sample rows and zero-padded to
//             the full cache length L = P + T - 1, and the last position's logits per row;
//   per step  one jitted function with fixed shapes, so it compiles once and every step reuses it:
//             sample (argmax when greedy, else random.categorical at the temperature with a key split
//             from the carried PRNG key), PAD for rows that already emitted EOS, log-prob and entropy
//             of the sampled token at the temperature, then embed the token and per layer: LayerNorm,
//             q/k/v projections, the new key/value written into the preallocated [N, H, L, dh] cache at
//             column P + t (jax-js has no dynamic_update_slice, so the write is
//             `where(column == P + t, k, cache)` with the column index a carried int32 scalar), q·Kᵀ
//             over all L columns + padding bias + a -1e9 bias on the columns not yet written, softmax,
//             att·V, output projection, GELU MLP; final LayerNorm and the tied head give the next
//             logits. The last step only samples (a second, smaller jitted function), as TfjsGpt does;
//   end       tokens, log-probs and entropies stacked into one array and read with ONE data().
//
// Same numerics as ours and TfjsGpt: pre-LN blocks, LayerNorm eps 1e-5 with biased variance, tanh-GELU,
// queries pre-scaled by 1/√dh (folded into wq once), tied output head, position ids counted from each
// row's first token. Sampling draws from jax-js's own PRNG (Gumbel-max), so sampled tokens differ from
// ours and TF.js's; greedy tokens must not.
import { getWebGPUDevice, jit, nn, numpy as np, random, tree } from '@jax-js/jax';
import { parameterShapes, type GptConfig } from '../../src/model/config';
import { EOS_ID, PAD_ID } from '../../src/tasks/tokenizer';
import { GELU_C, MASKED } from '../gptConstants';
import { layerNorm } from '../trainstep/jaxTrain';
import { rolloutLayout, type RolloutOptions, type RolloutResult } from './rolloutLayout';

type Arr = np.Array;
type Params = Record<string, Arr>;

const EOS = EOS_ID;
const PAD = PAD_ID;

/** What one decode step carries to the next (all on the device). */
type State = {
  logits: Arr; // [N, V]
  finished: Arr; // [N] bool
  keys: Arr[]; // per layer [N, H, L, dh]
  values: Arr[];
  t: Arr; // int32 scalar: the step index
  rng?: Arr; // PRNG key (sampling only)
};
type SampleIn = { logits: Arr; finished: Arr; rng?: Arr };
type StepOut = { ids: Arr; logp: Arr; entropy: Arr };
type Consts = { rowBias: Arr; basePos: Arr };
type PrefillIn = { ids: Arr; positions: Arr; promptBias: Arr; rowToPrompt: Arr };

type Compiled = {
  prefill: ((p: Params, x: PrefillIn) => { logits: Arr; keys: Arr[]; values: Arr[] }) & { dispose(): void };
  step: ((p: Params, s: State, c: Consts) => { state: State; out: StepOut }) & { dispose(): void };
  sampleOnly: ((s: SampleIn) => StepOut) & { dispose(): void };
};

export class JaxGpt {
  private readonly params: Params = {};
  /** Jitted functions per (B, P, T, G, temperature): the closures bake those in. */
  private readonly compiled = new Map<string, Compiled>();

  constructor(readonly config: GptConfig, values: Map<string, Float32Array>) {
    const dh = config.dModel / config.nHeads;
    for (const [name, shape] of parameterShapes(config)) {
      const data = values.get(name);
      if (!data) throw new Error(`JaxGpt: missing parameter ${name}.`);
      // Query projections pre-scaled by 1/√dh (ours and TfjsGpt do the same).
      const scaled = name.endsWith('.attn.wq') ? Float32Array.from(data, (v) => Math.fround(v * (1 / Math.sqrt(dh)))) : Float32Array.from(data);
      this.params[name] = np.array(scaled, { shape });
    }
  }

  dispose(): void {
    tree.dispose(this.params);
    for (const c of this.compiled.values()) {
      c.prefill.dispose();
      c.step.dispose();
      c.sampleOnly.dispose();
    }
    this.compiled.clear();
  }

  private mlp(x: Arr, p: Params, l: number): Arr {
    const h = layerNorm(x.ref, p[`h${l}.ln2.g`], p[`h${l}.ln2.b`]);
    const z = np.matmul(h, p[`h${l}.mlp.w1`]).add(p[`h${l}.mlp.b1`]);
    const inner = z.ref.add(z.ref.mul(z.ref).mul(z.ref).mul(0.044715)).mul(GELU_C);
    const gelu = z.mul(0.5).mul(np.tanh(inner).add(1));
    return x.add(np.matmul(gelu, p[`h${l}.mlp.w2`]).add(p[`h${l}.mlp.b2`]));
  }

  private build(B: number, P: number, T: number, G: number, temperature: number): Compiled {
    const c = this.config;
    const N = B * G;
    const D = c.dModel;
    const H = c.nHeads;
    const dh = D / H;
    const V = c.vocabSize;
    const L = P + T - 1;
    const greedy = temperature === 0;
    const invTemp = greedy ? 1 : 1 / temperature;

    const sample = (s: SampleIn): StepOut & { finished: Arr; rng?: Arr } => {
      const scaled = greedy ? s.logits : s.logits.mul(invTemp);
      let sampled: Arr;
      let rng: Arr | undefined;
      if (greedy) {
        sampled = np.argmax(scaled.ref, -1);
      } else {
        const keys = random.split(s.rng!, 2);
        rng = keys.ref.slice(1);
        sampled = random.categorical(keys.slice(0), scaled.ref);
      }
      const ids = np.where(s.finished.ref, PAD, sampled);
      const finished = np.logicalOr(s.finished, ids.ref.equal(EOS));
      const logSm = nn.logSoftmax(scaled, -1);
      const logp = logSm.ref.mul(nn.oneHot(ids.ref, V)).sum(-1);
      const entropy = np.exp(logSm.ref).mul(logSm).sum(-1).neg();
      return { ids, logp, entropy, finished, rng };
    };

    const prefill = jit((p: Params, x: PrefillIn) => {
      let h0 = np.take(p.tok_emb.ref, x.ids, 0).add(np.take(p.pos_emb, x.positions, 0)); // [B*P, D]
      const heads = (t: Arr) => t.reshape([B, P, H, dh]).transpose([0, 2, 1, 3]);
      const padCache = (t: Arr) => (L > P ? np.pad(t, [[0, 0], [0, 0], [0, L - P], [0, 0]]) : t);
      const keys: Arr[] = [];
      const values: Arr[] = [];
      for (let l = 0; l < c.nLayers; l++) {
        const h = layerNorm(h0.ref, p[`h${l}.ln1.g`], p[`h${l}.ln1.b`]);
        const q = heads(np.matmul(h.ref, p[`h${l}.attn.wq`]));
        const k = heads(np.matmul(h.ref, p[`h${l}.attn.wk`]));
        const v = heads(np.matmul(h, p[`h${l}.attn.wv`]));
        const att = nn.softmax(np.matmul(q, k.ref.transpose([0, 1, 3, 2])).add(x.promptBias.ref), -1); // [B, H, P, P]
        const ctx = np.matmul(att, v.ref).transpose([0, 2, 1, 3]).reshape([B * P, D]);
        h0 = h0.add(np.matmul(ctx, p[`h${l}.attn.wo`]));
        h0 = this.mlp(h0, p, l);
        // Each prompt's cache, once per sample row, zero-padded to the full length: [N, H, L, dh].
        keys.push(padCache(np.take(k, x.rowToPrompt.ref, 0)));
        values.push(padCache(np.take(v, x.rowToPrompt.ref, 0)));
      }
      x.promptBias.dispose();
      const last = h0.reshape([B, P, D]).slice([], P - 1, []); // [B, D]
      const logits = np.take(np.matmul(layerNorm(last, p['ln_f.g'], p['ln_f.b']), p.tok_emb.transpose()), x.rowToPrompt, 0); // [N, V]
      return { logits, keys, values };
    });

    const step = jit((p: Params, s: State, k: Consts) => {
      const { ids, logp, entropy, finished, rng } = sample(s);
      const col = s.t.ref.add(P); // the cache column this step's token goes to
      let x = np.take(p.tok_emb.ref, ids.ref, 0).add(np.take(p.pos_emb, k.basePos.add(s.t.ref), 0)); // [N, D]
      const cols = np.arange(0, L, 1, { dtype: np.int32 });
      const write = cols.ref.equal(col.ref).reshape([1, 1, L, 1]);
      const bias = np.where(cols.lessEqual(col).reshape([1, 1, 1, L]), k.rowBias, MASKED); // [N, 1, 1, L]
      const keys: Arr[] = [];
      const values: Arr[] = [];
      for (let l = 0; l < c.nLayers; l++) {
        const h = layerNorm(x.ref, p[`h${l}.ln1.g`], p[`h${l}.ln1.b`]);
        const q = np.matmul(h.ref, p[`h${l}.attn.wq`]).reshape([N, H, 1, dh]);
        const kNew = np.matmul(h.ref, p[`h${l}.attn.wk`]).reshape([N, H, 1, dh]);
        const vNew = np.matmul(h, p[`h${l}.attn.wv`]).reshape([N, H, 1, dh]);
        const K = np.where(write.ref, kNew, s.keys[l]); // [N, H, L, dh]
        const Vc = np.where(write.ref, vNew, s.values[l]);
        keys.push(K.ref);
        values.push(Vc.ref);
        const att = nn.softmax(np.matmul(q, K.transpose([0, 1, 3, 2])).add(bias.ref), -1); // [N, H, 1, L]
        const ctx = np.matmul(att, Vc).reshape([N, D]);
        x = x.add(np.matmul(ctx, p[`h${l}.attn.wo`]));
        x = this.mlp(x, p, l);
      }
      write.dispose();
      bias.dispose();
      const logits = np.matmul(layerNorm(x, p['ln_f.g'], p['ln_f.b']), p.tok_emb.transpose());
      const state: State = { logits, finished, keys, values, t: s.t.add(1) };
      if (rng) state.rng = rng;
      return { state, out: { ids, logp, entropy } };
    });

    const sampleOnly = jit((s: SampleIn) => {
      const { ids, logp, entropy, finished, rng } = sample(s);
      finished.dispose();
      rng?.dispose();
      return { ids, logp, entropy };
    });

    return { prefill, step, sampleOnly } as unknown as Compiled;
  }

  /** B prompts (BOS included) × G samples, T new tokens; one readback at the end. */
  async generate(prompts: number[][], o: RolloutOptions): Promise<RolloutResult> {
    const c = this.config;
    const B = prompts.length;
    const G = o.samplesPerPrompt;
    const T = o.maxNewTokens;
    const N = B * G;
    const P = Math.max(...prompts.map((p) => p.length));
    if (P + T > c.contextLength) throw new Error(`JaxGpt: ${P} + ${T} tokens exceed the context of ${c.contextLength}.`);
    if (T < 1) throw new Error('JaxGpt: maxNewTokens must be at least 1.');
    const L = P + T - 1;
    const key = `${B},${P},${T},${G},${o.temperature}`;
    let fns = this.compiled.get(key);
    if (!fns) {
      fns = this.build(B, P, T, G, o.temperature);
      this.compiled.set(key, fns);
    }

    // ---- host-side layout (right-aligned prompts, positions, masks), uploaded once before the loop
    const { ids, positions, promptBias, rowBias, rowToPrompt } = rolloutLayout(prompts, G, L);
    // Position of the token fed at step 0 (its prompt's length); step t adds t.
    const basePos = Int32Array.from(rowToPrompt, (b) => prompts[b].length);
    const consts: Consts = {
      rowBias: np.array(rowBias, { shape: [N, 1, 1, L] }),
      basePos: np.array(basePos, { dtype: np.int32 }),
    };

    // ---- prefill
    const first = fns.prefill(tree.ref(this.params), {
      ids: np.array(ids, { dtype: np.int32 }),
      positions: np.array(positions, { dtype: np.int32 }),
      promptBias: np.array(promptBias, { shape: [B, 1, P, P] }),
      rowToPrompt: np.array(rowToPrompt, { dtype: np.int32 }),
    });
    let state: State = {
      logits: first.logits,
      finished: np.zeros([N], { dtype: np.bool }),
      keys: first.keys,
      values: first.values,
      t: np.array(0, { dtype: np.int32 }),
    };
    if (o.temperature !== 0) state.rng = random.key(o.seed);

    const outs: StepOut[] = [];
    const stepLogits: Arr[] = [];
    for (let t = 0; t < T; t++) {
      if (o.returnLogits) stepLogits.push(state.logits.ref);
      if (t === T - 1) {
        const { logits, finished, rng, keys, values, t: step } = state;
        tree.dispose([keys, values, step]);
        outs.push(fns.sampleOnly(rng ? { logits, finished, rng } : { logits, finished }));
      } else {
        const r = fns.step(tree.ref(this.params), state, tree.ref(consts));
        state = r.state;
        outs.push(r.out);
      }
    }
    tree.dispose(consts);

    // ---- one readback: [3, T, N] = tokens (as floats; ids < 2^24 are exact), log-probs, entropies
    const packed = np.stack([
      np.stack(outs.map((s) => s.ids)).astype(np.float32),
      np.stack(outs.map((s) => s.logp)),
      np.stack(outs.map((s) => s.entropy)),
    ]);
    const allLogits = o.returnLogits ? np.stack(stepLogits).transpose([1, 0, 2]) : null; // [N, T, V]
    const [data, logitsData] = await Promise.all([packed.data(), allLogits?.data()]);

    const tokens = new Int32Array(N * T);
    const logProbs = new Float32Array(N * T);
    const entropies = new Float32Array(N * T);
    for (let t = 0; t < T; t++) {
      for (let r = 0; r < N; r++) {
        tokens[r * T + t] = data[t * N + r];
        logProbs[r * T + t] = data[(T + t) * N + r];
        entropies[r * T + t] = data[(2 * T + t) * N + r];
      }
    }
    return { tokens, logProbs, entropies, logits: logitsData ? Float32Array.from(logitsData) : undefined };
  }
}

export interface JaxCounts {
  dispatches: number;
  submits: number;
  readbacks: number;
}

/** jax-js's dispatch/submit/readback counts for one run (jax-js exposes no counters): wraps its
 *  GPUDevice's queue.submit, and for the run's duration GPUComputePassEncoder.dispatchWorkgroups and
 *  GPUBuffer.mapAsync (only jax-js works on the GPU meanwhile). */
export async function countJax(run: () => Promise<void>): Promise<JaxCounts> {
  const queue = getWebGPUDevice().queue;
  const n = { dispatches: 0, submits: 0, readbacks: 0 };
  const pass = GPUComputePassEncoder.prototype;
  const buffer = GPUBuffer.prototype;
  const { dispatchWorkgroups, dispatchWorkgroupsIndirect } = pass;
  const { mapAsync } = buffer;
  const submit = queue.submit;
  pass.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>) {
    n.dispatches++;
    return dispatchWorkgroups.apply(this, args);
  };
  pass.dispatchWorkgroupsIndirect = function (this: GPUComputePassEncoder, ...args: Parameters<GPUComputePassEncoder['dispatchWorkgroupsIndirect']>) {
    n.dispatches++;
    return dispatchWorkgroupsIndirect.apply(this, args);
  };
  buffer.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
    n.readbacks++;
    return mapAsync.apply(this, args);
  };
  queue.submit = function (this: GPUQueue, ...args: Parameters<GPUQueue['submit']>) {
    n.submits++;
    return submit.apply(this, args);
  };
  try {
    await run();
  } finally {
    pass.dispatchWorkgroups = dispatchWorkgroups;
    pass.dispatchWorkgroupsIndirect = dispatchWorkgroupsIndirect;
    buffer.mapAsync = mapAsync;
    delete (queue as Partial<GPUQueue>).submit; // back to the prototype's
    if (queue.submit !== submit) queue.submit = submit;
  }
  return n;
}
