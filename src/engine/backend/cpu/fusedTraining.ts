// The CPU backend's fused training primitives (Backend.policyLoss, attention, packColumns,
// residualLayerNorm, biasActivation and their gradients): argument checks and wrapping here, the maths in policyLoss.ts and attention.ts. A class
// of its own so that cpuBackend.ts stays a readable size; it shares the backend's counters and storages
// through the two callbacks.
import type { AttentionOutputs, AttentionShape, BiasActivation, LayerNormGrads, PolicyLossOutputs, PolicyLossParams, ResidualLayerNormResult, Storage } from '../../backend';
import { layerNorm, layerNormGrad } from './layerNorm';
import { biasActivation, biasActivationGrad } from './biasActivation';
import { attention, attentionGrad, decodeAttention, packColumns, unpackColumns } from './attention';
import type { CpuArray } from './cpuStorage';
import { f32 } from './cpuStorage';
import { policyLoss, policyLossGrad } from './policyLoss';

export class CpuFusedTraining {
  constructor(
    private readonly wrap: (array: CpuArray) => Storage,
    private readonly launch: () => void,
  ) {}

  policyLoss(logp: Storage, oldLogp: Storage | null, adv: Storage, mask: Storage, p: PolicyLossParams): PolicyLossOutputs {
    const n = p.rows * p.cols;
    const r = policyLoss(f32(logp, 'policyLoss (logp)', n), oldLogp && f32(oldLogp, 'policyLoss (oldLogp)', n), f32(adv, 'policyLoss (adv)', p.rows * p.advCols), f32(mask, 'policyLoss (mask)', n), p);
    this.launch();
    return { perToken: this.wrap(r.perToken), loss: this.wrap(r.loss), metrics: this.wrap(r.metrics) };
  }

  policyLossGrad(logp: Storage, oldLogp: Storage | null, adv: Storage, mask: Storage, dPerToken: Storage | null, dLoss: Storage | null, p: PolicyLossParams): Storage {
    const n = p.rows * p.cols;
    const arrays = [f32(logp, 'policyLossGrad (logp)', n), oldLogp && f32(oldLogp, 'policyLossGrad (oldLogp)', n), f32(adv, 'policyLossGrad (adv)', p.rows * p.advCols), f32(mask, 'policyLossGrad (mask)', n)] as const;
    this.launch();
    return this.wrap(policyLossGrad(...arrays, dPerToken && f32(dPerToken, 'policyLossGrad (dPerToken)', n), dLoss && f32(dLoss, 'policyLossGrad (dLoss)', 1), p));
  }

  attention(qkv: Storage, keyMask: Storage | null, s: AttentionShape): AttentionOutputs {
    const r = attention(f32(qkv, 'attention (qkv)', s.batch * s.seq * 3 * s.heads * s.headDim), keyMask && f32(keyMask, 'attention (keyMask)', s.batch * s.seq), s);
    this.launch();
    return { ctx: this.wrap(r.ctx), probs: this.wrap(r.probs) };
  }

  attentionGrad(qkv: Storage, probs: Storage, dctx: Storage, s: AttentionShape): Storage {
    const rows = s.batch * s.seq;
    const [D, P] = [s.heads * s.headDim, s.batch * s.heads * s.seq * s.seq];
    const args = [f32(qkv, 'attentionGrad (qkv)', rows * 3 * D), f32(probs, 'attentionGrad (probs)', P), f32(dctx, 'attentionGrad (dctx)', rows * D)] as const;
    this.launch();
    return this.wrap(attentionGrad(...args, s));
  }

  packColumns(list: Storage[], rows: number, cols: number): Storage {
    const arrays = list.map((x) => f32(x, 'packColumns', rows * cols));
    this.launch();
    return this.wrap(packColumns(arrays, rows, cols));
  }

  unpackColumns(x: Storage, rows: number, cols: number, n: number): Storage[] {
    const xa = f32(x, 'unpackColumns', rows * cols * n);
    this.launch();
    return unpackColumns(xa, rows, cols, n).map((a) => this.wrap(a));
  }

  residualLayerNorm(x: Storage, delta: Storage | null, gamma: Storage, beta: Storage, rows: number, cols: number, eps: number): ResidualLayerNormResult {
    const n = rows * cols;
    const xa = f32(x, 'residualLayerNorm (x)', n);
    const da = delta && f32(delta, 'residualLayerNorm (delta)', n);
    const [ga, ba] = [f32(gamma, 'residualLayerNorm (gamma)', cols), f32(beta, 'residualLayerNorm (beta)', cols)];
    this.launch();
    const sum = Float32Array.from(xa.subarray(0, n), (v, i) => (da ? v + da[i] : v));
    const r = layerNorm(sum, ga, ba, rows, cols, eps);
    const stats = new Float32Array(2 * rows);
    stats.set(r.mean);
    stats.set(r.rstd, rows);
    return { sum: this.wrap(sum), y: this.wrap(r.y), stats: this.wrap(stats) };
  }

  residualLayerNormGrad(dy: Storage, dSum: Storage | null, sum: Storage, gamma: Storage, stats: Storage, rows: number, cols: number): LayerNormGrads {
    const n = rows * cols;
    const [dya, sa] = [f32(dy, 'residualLayerNormGrad (dy)', n), f32(sum, 'residualLayerNormGrad (sum)', n)];
    const dsa = dSum && f32(dSum, 'residualLayerNormGrad (dSum)', n);
    const [ga, st] = [f32(gamma, 'residualLayerNormGrad (gamma)', cols), f32(stats, 'residualLayerNormGrad (stats)', 2 * rows)];
    this.launch();
    const g = layerNormGrad(dya, sa, ga, st.subarray(0, rows), st.subarray(rows, 2 * rows), rows, cols);
    if (dsa) for (let i = 0; i < n; i++) g.dx[i] += dsa[i];
    return { dx: this.wrap(g.dx), dgamma: this.wrap(g.dgamma), dbeta: this.wrap(g.dbeta) };
  }

  biasActivation(x: Storage, bias: Storage, rows: number, cols: number, act: BiasActivation): Storage {
    const [xa, ba] = [f32(x, 'biasActivation (x)', rows * cols), f32(bias, 'biasActivation (bias)', cols)];
    this.launch();
    return this.wrap(biasActivation(xa, ba, rows, cols, act));
  }

  biasActivationGrad(dy: Storage, x: Storage, bias: Storage, rows: number, cols: number, act: BiasActivation): { dx: Storage | null; dbias: Storage } {
    const [dya, xa, ba] = [f32(dy, 'biasActivationGrad (dy)', rows * cols), f32(x, 'biasActivationGrad (x)', rows * cols), f32(bias, 'biasActivationGrad (bias)', cols)];
    this.launch();
    const r = biasActivationGrad(dya, xa, ba, rows, cols, act);
    return { dx: r.dx && this.wrap(r.dx), dbias: this.wrap(r.dbias) };
  }

  decodeAttention(qkv: Storage, keys: Storage, values: Storage, keyMask: Storage, rows: number, heads: number, headDim: number, cacheLen: number, column: number): Storage {
    const D = heads * headDim;
    const cacheSize = rows * heads * cacheLen * headDim;
    if (!(Number.isInteger(column) && column >= 0 && column < cacheLen)) throw new Error(`decodeAttention: column ${column} is outside the cache (${cacheLen})`);
    const args = [f32(qkv, 'decodeAttention (qkv)', rows * 3 * D), f32(keys, 'decodeAttention (keys)', cacheSize), f32(values, 'decodeAttention (values)', cacheSize), f32(keyMask, 'decodeAttention (keyMask)', rows * cacheLen)] as const;
    this.launch();
    return this.wrap(decodeAttention(...args, rows, heads, headDim, cacheLen, column));
  }
}
