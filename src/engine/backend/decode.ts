// Shared by both backends' fused decode primitives (Backend.decodeLayer / decodeHead): where each
// weight sits in the packed buffers, and the argument checks, so that both reject the same misuse.
import type { DecodeGeometry, DecodeHeadParams, Storage } from '../backend';
import { checkSampleParams } from './sampling';

/** Offsets (in elements) of a block's weights packed as Backend.decodeLayer documents. */
export interface DecodeLayerOffsets {
  ln1g: number;
  ln1b: number;
  wq: number;
  wk: number;
  wv: number;
  wo: number;
  ln2g: number;
  ln2b: number;
  w1: number;
  b1: number;
  w2: number;
  b2: number;
  total: number;
}

export function decodeLayerOffsets(D: number, F: number): DecodeLayerOffsets {
  const ln1g = 0;
  const ln1b = D;
  const wq = 2 * D;
  const wk = wq + D * D;
  const wv = wk + D * D;
  const wo = wv + D * D;
  const ln2g = wo + D * D;
  const ln2b = ln2g + D;
  const w1 = ln2b + D;
  const b1 = w1 + D * F;
  const w2 = b1 + F;
  const b2 = w2 + F * D;
  return { ln1g, ln1b, wq, wk, wv, wo, ln2g, ln2b, w1, b1, w2, b2, total: b2 + D };
}

/** Offsets of the packed head weights: ln_f.g, ln_f.b [D], tok_emb [V, D], pos_emb [positions, D]. */
export function decodeHeadOffsets(D: number, V: number, positions: number) {
  const tok = 2 * D;
  const pos = tok + V * D;
  return { lnfg: 0, lnfb: D, tok, pos, total: pos + positions * D };
}

function positiveInt(what: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what}: ${name} must be a positive integer, got ${v}`);
}

function needs(what: string, name: string, s: Storage, dtype: 'f32' | 'i32', size: number): void {
  if (s.dtype !== dtype || s.size < size) throw new Error(`${what}: ${name} must be ${dtype} with ${size} elements, got ${s.dtype}[${s.size}]`);
}

export function checkDecodeLayer(x: Storage, weights: Storage, keys: Storage, values: Storage, rowStart: Storage, g: DecodeGeometry): void {
  const what = 'decodeLayer';
  for (const name of ['rows', 'dModel', 'nHeads', 'hidden', 'cacheLen', 'maxCacheLen'] as const) positiveInt(what, name, g[name]);
  if (g.dModel % g.nHeads !== 0) throw new Error(`${what}: dModel ${g.dModel} is not divisible by nHeads ${g.nHeads}`);
  if (g.cacheLen > g.maxCacheLen) throw new Error(`${what}: cacheLen ${g.cacheLen} exceeds maxCacheLen ${g.maxCacheLen}`);
  if (!(Number.isInteger(g.column) && g.column >= 0 && g.column < g.cacheLen)) throw new Error(`${what}: column ${g.column} is outside [0, ${g.cacheLen})`);
  if (!(g.eps > 0)) throw new Error(`${what}: eps must be positive, got ${g.eps}`);
  needs(what, 'x', x, 'f32', g.rows * g.dModel);
  needs(what, 'weights', weights, 'f32', decodeLayerOffsets(g.dModel, g.hidden).total);
  needs(what, 'keys', keys, 'f32', g.rows * g.cacheLen * g.dModel);
  needs(what, 'values', values, 'f32', g.rows * g.cacheLen * g.dModel);
  needs(what, 'rowStart', rowStart, 'i32', g.rows);
  if (keys === values) throw new Error(`${what}: keys and values must be distinct storages`);
}

export function checkDecodeHead(
  x: Storage,
  headWeights: Storage,
  finished: Storage,
  rowStart: Storage,
  out: { tokens: Storage; scores: Storage; logits: Storage | null },
  p: DecodeHeadParams,
): void {
  const what = 'decodeHead';
  for (const name of ['rows', 'dModel', 'vocab', 'positions', 'steps'] as const) positiveInt(what, name, p[name]);
  checkSampleParams(p.sample);
  if (p.sample.rows !== p.rows || p.sample.vocab !== p.vocab) throw new Error(`${what}: sample.rows/vocab must equal rows/vocab`);
  if (!(Number.isInteger(p.step) && p.step >= 0 && p.step < p.steps)) throw new Error(`${what}: step ${p.step} is outside [0, ${p.steps})`);
  if (!(Number.isInteger(p.embedColumn) && p.embedColumn >= -1)) throw new Error(`${what}: embedColumn must be an integer >= -1, got ${p.embedColumn}`);
  if (!(Number.isFinite(p.scoreInvTemperature) && p.scoreInvTemperature > 0)) {
    throw new Error(`${what}: scoreInvTemperature must be a positive finite number, got ${p.scoreInvTemperature}`);
  }
  if (!(p.eps > 0)) throw new Error(`${what}: eps must be positive, got ${p.eps}`);
  needs(what, 'x', x, 'f32', p.rows * p.dModel);
  needs(what, 'headWeights', headWeights, 'f32', decodeHeadOffsets(p.dModel, p.vocab, p.positions).total);
  needs(what, 'finished', finished, 'i32', p.rows);
  needs(what, 'rowStart', rowStart, 'i32', p.rows);
  needs(what, 'tokens', out.tokens, 'i32', p.rows * p.steps);
  needs(what, 'scores', out.scores, 'f32', 2 * p.rows * p.steps);
  if (out.logits) needs(what, 'logits', out.logits, 'f32', p.rows * p.steps * p.vocab);
}
