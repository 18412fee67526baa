// The CPU sampleTokens primitive: the counter-based uniform, argmax ties, finished rows, and the
// sampled frequencies under temperature, top-k and top-p.
import { describe, expect, it } from 'vitest';
import { pcgHash, sampleUniform } from '../sampling';
import { CpuBackend } from './cpuBackend';
import type { SampleParams } from '../../backend';

const defaults: Omit<SampleParams, 'rows' | 'vocab'> = {
  invTemperature: 1, greedy: false, topK: 0, topP: 1, seed: 42, step: 0, eosId: 2, padId: 0,
};

/** Samples `rows` rows that all share one row of logits; returns the ids and the finished flags. */
async function sampleRepeated(logits: number[], rows: number, p: Partial<SampleParams>, finished?: number[]) {
  const be = new CpuBackend();
  const V = logits.length;
  const data = new Float32Array(rows * V);
  for (let r = 0; r < rows; r++) data.set(logits, r * V);
  const l = be.upload(data);
  const f = be.upload(Int32Array.from(finished ?? new Array(rows).fill(0)));
  const ids = be.sampleTokens(l, f, { ...defaults, ...p, rows, vocab: V });
  const [idArr, finArr] = await be.readMany([ids, f]);
  return { ids: Array.from(idArr), finished: Array.from(finArr) };
}

function frequencies(ids: number[], V: number): number[] {
  const c = new Array(V).fill(0);
  for (const id of ids) c[id]++;
  return c.map((x) => x / ids.length);
}

function softmax(l: number[], invT: number): number[] {
  const m = Math.max(...l.map((x) => x * invT));
  const e = l.map((x) => Math.exp(x * invT - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

describe('sampleTokens (CPU)', () => {
  it('draws its uniform from a u32 hash of (seed, step, row): in [0, 1), reproducible, well spread', () => {
    expect(pcgHash(0)).toBe(pcgHash(0));
    expect(pcgHash(1)).not.toBe(pcgHash(0));
    let sum = 0;
    const buckets = new Array(10).fill(0);
    for (let r = 0; r < 20000; r++) {
      const u = sampleUniform(7, 3, r);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      buckets[Math.floor(u * 10)]++;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 2);
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
    expect(sampleUniform(7, 3, 5)).not.toBe(sampleUniform(7, 4, 5));
    expect(sampleUniform(7, 3, 5)).not.toBe(sampleUniform(8, 3, 5));
  });

  it('greedy picks the argmax with ties to the lowest id; finished rows emit PAD; EOS finishes', async () => {
    const g = await sampleRepeated([0, 3, 1, 3], 3, { greedy: true, eosId: 1 }, [0, 1, 0]);
    expect(g.ids).toEqual([1, 0, 1]);
    expect(g.finished).toEqual([1, 1, 1]);
    const all = await sampleRepeated([-Infinity, -Infinity, -Infinity], 1, {});
    expect(all.ids).toEqual([0]);
  });

  it('sampled frequencies follow softmax(logits / T), and -Infinity logits are never drawn', async () => {
    const logits = [1, 0.2, -Infinity, 2, -1];
    for (const invT of [1, 0.5, 2]) {
      const { ids } = await sampleRepeated(logits, 20000, { invTemperature: invT, eosId: -1 });
      const f = frequencies(ids, logits.length);
      const p = softmax(logits, invT);
      for (let j = 0; j < logits.length; j++) expect(Math.abs(f[j] - p[j])).toBeLessThan(0.015);
      expect(f[2]).toBe(0);
    }
  });

  it('top-k keeps the k most likely ids (ties by lower id), renormalised', async () => {
    const logits = [0.5, 2, 1, 1, -3];
    const { ids } = await sampleRepeated(logits, 20000, { topK: 3, eosId: -1 });
    const f = frequencies(ids, 5);
    // Kept: 1 (2.0), 2 (1.0), 3 (1.0, tie broken towards 2 only at the k boundary — both fit here).
    const p = softmax([2, 1, 1], 1);
    expect(f[0]).toBe(0);
    expect(f[4]).toBe(0);
    [1, 2, 3].forEach((id, i) => expect(Math.abs(f[id] - p[i])).toBeLessThan(0.015));
    const tie = await sampleRepeated(logits, 5000, { topK: 2, eosId: -1 });
    expect(new Set(tie.ids)).toEqual(new Set([1, 2])); // 2 and 3 tie: the lower id is ranked ahead
  });

  it('top-p keeps the smallest prefix (by probability) whose mass reaches p, renormalised', async () => {
    const probs = [0.05, 0.5, 0.15, 0.3];
    const logits = probs.map(Math.log);
    const a = await sampleRepeated(logits, 20000, { topP: 0.7, eosId: -1 });
    const fa = frequencies(a.ids, 4);
    expect(fa[0]).toBe(0);
    expect(fa[2]).toBe(0);
    expect(Math.abs(fa[1] - 0.5 / 0.8)).toBeLessThan(0.015);
    const b = await sampleRepeated(logits, 20000, { topP: 0.9, eosId: -1 });
    const fb = frequencies(b.ids, 4);
    expect(fb[0]).toBe(0);
    expect(Math.abs(fb[2] - 0.15 / 0.95)).toBeLessThan(0.015);
    // With top-k, p is relative to the top-k set's mass (top-k, renormalise, then top-p, as HF warpers
    // do): top-2 = {1, 3} of mass 0.8, and id 1 alone has 0.5 / 0.8 = 0.625 >= 0.6, so id 3 goes —
    // although 0.5 < 0.6 of the full distribution's mass; at 0.7 both stay.
    const c = await sampleRepeated(logits, 5000, { topK: 2, topP: 0.6, eosId: -1 });
    expect(new Set(c.ids)).toEqual(new Set([1]));
    const c2 = await sampleRepeated(logits, 5000, { topK: 2, topP: 0.7, eosId: -1 });
    expect(new Set(c2.ids)).toEqual(new Set([1, 3]));
    const d = await sampleRepeated(logits, 2000, { topP: 0, eosId: -1 });
    expect(new Set(d.ids)).toEqual(new Set([1])); // the most likely id always survives
  });

  it('rejects bad parameters', async () => {
    await expect(sampleRepeated([0, 1], 1, { invTemperature: 0 })).rejects.toThrow(/invTemperature/);
    await expect(sampleRepeated([0, 1], 1, { topP: 1.5 })).rejects.toThrow(/topP/);
    await expect(sampleRepeated([0, 1], 1, { seed: -1 })).rejects.toThrow(/seed/);
  });
});
