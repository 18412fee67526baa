// B-STaR's balance score, its argmax, and the exploration / exploitation measures on hand-made cases.
import { describe, expect, it } from 'vitest';
import { argmax, balanceScore, explorationExploitation, meanBalanceScore, rankAuc, type ScoredSample } from './bstar';

const right = (text: string, shaped = 1, confidence = -0.1): ScoredSample => ({ text, correct: true, shaped, confidence });
const wrong = (text: string, shaped = 0, confidence = -1): ScoredSample => ({ text, correct: false, shaped, confidence });

describe('balanceScore', () => {
  it('is min(n\'/n*, 1) · n\'/n with n\' the distinct correct and n the selected responses', () => {
    // 3 selected, 2 distinct correct, n* = 4: (2/4) · (2/3).
    expect(balanceScore([right('a'), right('a'), right('b')], 4)).toBeCloseTo((2 / 4) * (2 / 3), 12);
    // Enough distinct right answers: the exploration factor saturates at 1.
    expect(balanceScore([right('a'), right('b'), right('c')], 2)).toBe(1);
    // A wrong response among the selected lowers the exploitation factor (a reward model's miss).
    expect(balanceScore([right('a'), right('b'), wrong('c')], 2)).toBeCloseTo(2 / 3, 12);
    // Nothing selected, or nothing right: 0.
    expect(balanceScore([], 2)).toBe(0);
    expect(balanceScore([wrong('x')], 2)).toBe(0);
    expect(() => balanceScore([right('a')], 0)).toThrow(RangeError);
  });

  it('averages over queries with the verifier as the selector (only correct samples are kept)', () => {
    // Query 1 keeps a, a (1 distinct of 2) → (1/2)(1/2); query 2 keeps b, c → 1; query 3 keeps nothing → 0.
    const queries = [[right('a'), right('a'), wrong('z')], [right('b'), right('c'), wrong('y')], [wrong('x'), wrong('w')]];
    expect(meanBalanceScore(queries, 2)).toBeCloseTo((0.25 + 1 + 0) / 3, 12);
    expect(meanBalanceScore([], 2)).toBe(0);
  });

  it('prefers the temperature whose samples are right AND varied', () => {
    const n = 2;
    // Cold: always the same right answer (exploitation, no exploration). Hot: varied but mostly wrong.
    // Middle: two distinct right answers. B-STaR picks the middle. (Cold scores lowest: four copies of
    // one right answer are (1/2)·(1/4) — repeats are what the exploitation factor divides by.)
    const cold = [[right('a'), right('a'), right('a'), right('a')]];
    const middle = [[right('a'), right('b'), wrong('x'), wrong('y')]];
    const hot = [[right('a'), wrong('p'), wrong('q'), wrong('r')]];
    const scores = [cold, middle, hot].map((q) => meanBalanceScore(q, n));
    expect(scores).toEqual([0.125, 1, 0.5]);
    expect(argmax(scores)).toBe(1);
  });
});

describe('argmax', () => {
  it('is the index of the largest score, the first on a tie', () => {
    expect(argmax([0.1, 0.7, 0.3])).toBe(1);
    expect(argmax([0.5, 0.5, 0.2])).toBe(0);
    expect(argmax([-3])).toBe(0);
    expect(() => argmax([])).toThrow(RangeError);
  });
});

describe('rankAuc', () => {
  it('is the chance a positive outscores a negative, ties counting half', () => {
    expect(rankAuc([3, 4], [1, 2])).toBe(1);
    expect(rankAuc([1], [2])).toBe(0);
    expect(rankAuc([1, 3], [2, 2])).toBe(0.5);
    expect(rankAuc([2], [2])).toBe(0.5);
    expect(rankAuc([], [1])).toBeNull();
  });
});

describe('explorationExploitation', () => {
  it('counts pass@k, distinct correct, accuracy, Reward@k and the AUCs over queries', () => {
    const queries = [
      // solved, 2 distinct right answers; the shaped reward's best (a, 1.0) is right.
      [right('a', 1, -0.2), right('b', 1, -0.5), right('a', 1, -0.2), wrong('x', 0.4, -0.3)],
      // solved once; the right answer (shaped 1.0) outranks the near misses (0.9).
      [wrong('y', 0.9, -0.1), right('c', 1, -2), wrong('z', 0.2, -3), wrong('y', 0.9, -0.1)],
      // not solved.
      [wrong('u', 0.5, -1), wrong('v', 0.1, -1), wrong('u', 0.5, -1), wrong('w', 0, -1)],
    ];
    const m = explorationExploitation(queries);
    expect(m.pass_at_k).toBeCloseTo(2 / 3, 12);
    expect(m.distinct_correct).toBeCloseTo((2 + 1 + 0) / 3, 12);
    expect(m.accuracy).toBeCloseTo(4 / 12, 12);
    expect(m.reward_at_k).toBeCloseTo(2 / 3, 12);
    // Every right sample has shaped 1 and every wrong one less: perfect separation.
    expect(m.auc_shaped).toBe(1);
    // Confidence: right {−0.2, −0.5, −0.2, −2} vs wrong {−0.3, −0.1, −3, −0.1, −1 ×4}.
    const pos = [-0.2, -0.5, -0.2, -2];
    const neg = [-0.3, -0.1, -3, -0.1, -1, -1, -1, -1];
    expect(m.auc_confidence).toBeCloseTo(rankAuc(pos, neg)!, 12);
  });

  it('Reward@k misses when the shaped reward ranks a wrong answer first', () => {
    const m = explorationExploitation([[wrong('x', 0.8), right('a', 0.5)]]);
    expect(m.pass_at_k).toBe(1);
    expect(m.reward_at_k).toBe(0);
    expect(m.auc_shaped).toBe(0);
  });

  it('all right or all wrong: no AUC', () => {
    expect(explorationExploitation([[right('a'), right('b')]]).auc_shaped).toBeNull();
    expect(explorationExploitation([]).pass_at_k).toBe(0);
  });
});
