import { describe, expect, it } from 'vitest';
import { compareRuns, judgeClaim, parseWindow, verdictWords } from './runComparison';

const steps = (rewards: number[]) => rewards.map((reward, step) => ({ step, reward, kl: { k3: reward / 10 } }));
const evaluation = (afterSteps: number, pass1: number[]) => ({ afterSteps, arms: pass1.map((p, i) => ({ arm: `d${i + 1}`, passAtK: { '1': p }, meanAtN: p })) });

// The records of scripts/compare.test.ts: last-2 rewards A 0.50, 0.62, 0.47 (and seed 9), B 0.40, 0.50, 0.33.
const A = [
  { seed: 1, steps: steps([0.0, 0.4, 0.6]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.5, 0.7])] },
  { seed: 2, steps: steps([0.0, 0.6, 0.64]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.4, 0.6])] },
  { seed: 3, steps: steps([0.0, 0.44, 0.5]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.3, 0.3])] },
  { seed: 9, steps: steps([0.0, 1, 1]), evaluations: [] },
];
const B = [
  { seed: 3, steps: steps([0.0, 0.3, 0.36]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.3, 0.3])] },
  { seed: 1, steps: steps([0.0, 0.4, 0.4]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.6, 0.6])] },
  { seed: 2, steps: steps([0.0, 0.5, 0.5]), evaluations: [evaluation(0, [0.1, 0.1]), evaluation(3, [0.6, 0.6])] },
];

describe('compareRuns', () => {
  it('pairs by seed, leaves unpaired seeds out with a sentence, and gives both intervals (hand computed)', () => {
    const c = compareRuns(A, B, 'reward', parseWindow('last:2'));
    expect(c.pairs.map((p) => p.seed)).toEqual([1, 2, 3]);
    expect(c.pairs.map((p) => p.difference.toFixed(4))).toEqual(['0.1000', '0.1200', '0.1400']);
    expect(c.onlyInA).toEqual([9]);
    expect(c.onlyInB).toEqual([]);
    expect(c.leftOut).toMatch(/seed 9 only in A/);
    // d̄ = 0.12, s = 0.02, half 4.3027 · 0.02 / √3 = 0.049683; bootstrap [0.10, 0.14].
    expect(c.result.t.mean).toBeCloseTo(0.12, 12);
    expect(c.result.t.halfWidth).toBeCloseTo(0.049683, 5);
    expect(c.result.bootstrap.low).toBeCloseTo(0.1, 12);
    expect(c.result.bootstrap.high).toBeCloseTo(0.14, 12);
    expect(c.result.verdict).toBe('excludes zero: A > B');
    expect(c.words).toMatch(/excludes zero: A is higher than B/);
  });

  it('reads evaluation metrics as the mean over arms, or one arm', () => {
    // Final pass@1, mean over arms: A 0.6, 0.5, 0.3; B 0.6, 0.6, 0.3 → d = 0, −0.1, 0.
    const mean = compareRuns(A, B, 'eval.pass@1', parseWindow('final'));
    expect(mean.pairs.map((p) => Number(p.difference.toFixed(4)))).toEqual([0, -0.1, 0]);
    expect(mean.result.verdict).toBe('includes zero');
    expect(mean.words).toMatch(/includes zero: these 3 seeds do not show a difference/);
    // Arm d2 only: A 0.7, 0.6, 0.3; B 0.6, 0.6, 0.3.
    const d2 = compareRuns(A, B, 'eval.d2.pass@1', parseWindow('final'));
    expect(d2.pairs.map((p) => Number(p.a.toFixed(4)))).toEqual([0.7, 0.6, 0.3]);
  });

  it('calls one pair an anecdote with no interval, and says which way a lower A goes', () => {
    const one = compareRuns([A[0]], [B[1]], 'reward', parseWindow('final'));
    expect(one.result.t.low).toBeNull();
    expect(one.words).toBe('One seed: an anecdote, no interval. Run more seeds to tell whether the difference is real.');
    const lower = compareRuns(B, A, 'reward', parseWindow('last:2'));
    expect(lower.words).toMatch(/A is lower than B \(by 0\.1200 on average\)/);
    expect(verdictWords(lower.result)).toBe(lower.words);
  });

  it('refuses runs with no seed in common, a repeated seed, or a metric a paired seed lacks', () => {
    expect(() => compareRuns([A[3]], B, 'reward', parseWindow('final'))).toThrow(/share no seed/);
    expect(() => compareRuns([A[0], A[0]], B, 'reward', parseWindow('final'))).toThrow(/seed 1 appears in more than one replica/);
    expect(() => compareRuns(A, B, 'rewrd', parseWindow('final'))).toThrow(/seed 1, step 0: metric rewrd/);
    expect(() => compareRuns(A, B, 'reward', parseWindow('last:5'))).toThrow(/fewer than k = 5/);
  });
});

describe('judgeClaim (the gallery verdicts)', () => {
  it('with one seed, judges the one difference as the gallery always has', () => {
    expect(judgeClaim({ 0: 0.77 }, { 0: 0.57 }, { atLeast: 0.1 })).toMatchObject({ holds: true, basis: 'one seed' });
    expect(judgeClaim({ 0: 0.6 }, { 0: 0.57 }, { atLeast: 0.1 }).holds).toBe(false);
    expect(judgeClaim({ 0: 0.984 }, { 0: 0.977 }, { atMost: 0.02 }).holds).toBe(true);
  });

  it('with several seeds, needs the t-interval beyond zero and the mean past the bound', () => {
    // d = 0.10, 0.12, 0.14: t-interval [0.0703, 0.1697], mean 0.12.
    const a = { 1: 0.5, 2: 0.62, 3: 0.47 };
    const b = { 1: 0.4, 2: 0.5, 3: 0.33 };
    expect(judgeClaim(a, b, { atLeast: 0.1 })).toMatchObject({ holds: true, basis: 'interval' });
    expect(judgeClaim(a, b, { atLeast: 0.13 }).holds).toBe(false); // the mean does not clear the bound
    // d = 0.3, −0.1, 0.1: mean 0.1 clears 0.05, but the interval includes zero.
    expect(judgeClaim({ 1: 0.3, 2: -0.1, 3: 0.1 }, { 1: 0, 2: 0, 3: 0 }, { atLeast: 0.05 }).holds).toBe(false);
    // "no worse than 0.05 below": d = −0.01, 0.0, 0.01 → interval [−0.0248, 0.0248] lies above −0.05.
    expect(judgeClaim({ 1: -0.01, 2: 0, 3: 0.01 }, { 1: 0, 2: 0, 3: 0 }, { atLeast: -0.05 }).holds).toBe(true);
    expect(judgeClaim(b, a, { atMost: -0.1 }).holds).toBe(true);
  });
});
