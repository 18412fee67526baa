import { describe, expect, it } from 'vitest';
import { CpuBackend } from './cpuBackend';
import { expectClose, finiteDifference, peek, randomArray, readF32 } from './testUtil';

const f = Math.fround;
const LN2 = Math.LN2;

describe('cpu logProbEntropy', () => {
  const b = new CpuBackend();

  it('hand-computed p = [1/8, 2/8, 5/8] at temperature 2', async () => {
    // z = logits * 0.5 = [0, ln 2, ln 5] -> p = [1, 2, 5] / 8
    const logits = b.upload(Float32Array.of(0, 2 * LN2, 2 * Math.log(5), 0, 2 * LN2, 2 * Math.log(5)));
    const r = b.logProbEntropy(logits, b.upload(Int32Array.of(1, 2)), 2, 3, 0.5);
    const p = [1 / 8, 2 / 8, 5 / 8];
    const h = -p.reduce((s, v) => s + v * Math.log(v), 0);
    expectClose(await readF32(b, r.logp), [Math.log(2 / 8), Math.log(5 / 8)].map(f), 1e-6, 0);
    expectClose(await readF32(b, r.entropy), [h, h].map(f), 1e-6, 0);
  });

  it('ignored rows (target < 0) give 0 and 0', async () => {
    const r = b.logProbEntropy(b.upload(Float32Array.of(1, 2, 3, 4)), b.upload(Int32Array.of(-1, 0)), 2, 2, 1);
    const [logp, ent] = await b.readMany([r.logp, r.entropy]);
    expect(logp[0]).toBe(0);
    expect(ent[0]).toBe(0);
    expectClose([logp[1]], [f(-Math.log(1 + Math.E))], 1e-6, 0);
  });

  it('a zero-probability target gives logp = -Infinity; entropy treats 0 * -inf as 0', async () => {
    const r = b.logProbEntropy(b.upload(Float32Array.of(0, -Infinity, 0)), b.upload(Int32Array.of(1)), 1, 3, 1);
    expect(await readF32(b, r.logp)).toEqual([-Infinity]);
    expectClose(await readF32(b, r.entropy), [f(LN2)], 1e-7, 0);
  });

  it('±1e4 logits stay finite', async () => {
    const logits = b.upload(Float32Array.of(1e4, -1e4, 1e4, 1e4, -1e4, 1e4));
    const r = b.logProbEntropy(logits, b.upload(Int32Array.of(0, 1)), 2, 3, 1);
    expectClose(await readF32(b, r.logp), [-LN2, -2e4 - LN2].map(f), 1e-6, 0);
    expectClose(await readF32(b, r.entropy), [LN2, LN2].map(f), 1e-6, 0);
  });

  it('uniform logits over vocab 17 have entropy ln 17; vocab 1 has logp 0 and entropy 0', async () => {
    const r = b.logProbEntropy(b.fill(17, 3, 'f32'), b.upload(Int32Array.of(16)), 1, 17, 1);
    expectClose(await readF32(b, r.entropy), [f(Math.log(17))], 1e-6, 0);
    expectClose(await readF32(b, r.logp), [f(-Math.log(17))], 1e-6, 0);
    const one = b.logProbEntropy(b.upload(Float32Array.of(4)), b.upload(Int32Array.of(0)), 1, 1, 1);
    expect(await readF32(b, one.logp)).toEqual([0]);
    expect(await readF32(b, one.entropy)).toEqual([0]);
  });

  it('throws on a target outside the vocabulary', () => {
    expect(() => b.logProbEntropy(b.zeros(3, 'f32'), b.upload(Int32Array.of(3)), 1, 3, 1)).toThrow(/vocabulary/);
  });
});

describe('cpu logProbEntropyGrad', () => {
  const b = new CpuBackend();
  const rows = 4;
  const vocab = 17;
  const invT = 1 / 0.7;
  const logits = randomArray(rows * vocab, 41, -3, 3);
  const targets = b.upload(Int32Array.of(3, -1, 16, 0)); // row 1 ignored
  const dlogpData = Float32Array.of(0.7, 5, -1.3, 0.4);
  const dentData = Float32Array.of(-0.5, 5, 0.9, 1.1);

  const loss = (lv: Float32Array, withEntropy: boolean) => {
    const r = b.logProbEntropy(b.upload(lv), targets, rows, vocab, invT);
    let s = 0;
    for (let i = 0; i < rows; i++) s += dlogpData[i] * peek(r.logp)[i] + (withEntropy ? dentData[i] * peek(r.entropy)[i] : 0);
    b.free(r.logp);
    b.free(r.entropy);
    return s;
  };

  it('matches finite differences of logp + entropy', () => {
    const g = peek(b.logProbEntropyGrad(b.upload(logits), targets, b.upload(dlogpData), b.upload(dentData), rows, vocab, invT));
    expectClose(g, finiteDifference(logits, (v) => loss(v, true), 1e-3), 1e-3, 1e-3);
    expect(Array.from(g.slice(vocab, 2 * vocab))).toEqual(new Array(vocab).fill(0)); // ignored row
  });

  it('matches finite differences of logp alone when dentropy is null', () => {
    const g = peek(b.logProbEntropyGrad(b.upload(logits), targets, b.upload(dlogpData), null, rows, vocab, invT));
    expectClose(g, finiteDifference(logits, (v) => loss(v, false), 1e-3), 1e-3, 1e-3);
  });

  it('hand-computed: zero-probability entries (the target included) get 0, never NaN', async () => {
    // p = [0.5, 0, 0.5]; H = ln 2. dlogp: invT*(onehot - p) with the target at the -inf entry -> 0 there.
    // dH: -p (log p + H) = -0.5 (-ln2 + ln2) = 0 at the live entries, 0 at the dead one.
    const lg = b.upload(Float32Array.of(0, -Infinity, 0));
    const g = await readF32(b, b.logProbEntropyGrad(lg, b.upload(Int32Array.of(1)), b.fill(1, 1, 'f32'), b.fill(1, 1, 'f32'), 1, 3, 2));
    expect(g).toEqual([-1, 0, -1]);
  });

  it('±1e4 logits give a finite gradient', async () => {
    const lg = b.upload(Float32Array.of(1e4, -1e4, 1e4));
    const g = await readF32(b, b.logProbEntropyGrad(lg, b.upload(Int32Array.of(1)), b.fill(1, 1, 'f32'), b.fill(1, 1, 'f32'), 1, 3, 1));
    // p = [0.5, 0, 0.5] (underflow, not exactly zero): dlogp = [-0.5, 1, -0.5]; dH at p=0 -> 0 (p * finite).
    expectClose(g, [-0.5, 1, -0.5], 1e-6, 1e-7);
  });
});
