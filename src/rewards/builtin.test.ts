import { describe, expect, it } from 'vitest';
import { getTask } from '../tasks/registry';
import type { Problem } from '../tasks/task';
import { createRng } from '../tasks/random';
import { builtinReward, builtinSpecProblem, meanComponents, scoreBuiltin, scoreBuiltinBatch } from './builtin';
import { DEFAULT_REWARD_SPEC, type BuiltinRewardSpec } from './spec';

const addition = getTask('addition');
const parity = getTask('parity');
const sum: Problem = { task: 'addition', prompt: '12+7=', answer: '19', arm: 'd2' };
const bit: Problem = { task: 'parity', prompt: '0110=', answer: '0', arm: 'len4' };
const spec = (components: BuiltinRewardSpec['components'], extra: Partial<BuiltinRewardSpec> = {}): BuiltinRewardSpec => ({
  kind: 'builtin',
  components,
  ...extra,
});

describe('scoreBuiltin', () => {
  it('by default is the verifier reward: correctness', () => {
    expect(scoreBuiltin(DEFAULT_REWARD_SPEC, addition, sum, '19').reward).toBe(1);
    expect(scoreBuiltin(DEFAULT_REWARD_SPEC, addition, sum, '18').reward).toBe(0);
    expect(scoreBuiltin(DEFAULT_REWARD_SPEC, addition, sum, 'x').reward).toBe(0);
  });

  it('adds weighted terms and keeps every raw component', () => {
    const s = spec({ correctness: 1, format: 0.1, partial: 0.5 });
    const wrong = scoreBuiltin(s, addition, sum, '18'); // well formed, units digit wrong: partial 1/2
    expect(wrong.components).toEqual({ format: 1, correctness: 0, partial: 0.5 });
    expect(wrong.weighted).toEqual({ correctness: 0, format: 0.1, partial: 0.25 });
    expect(wrong.reward).toBeCloseTo(0.35, 12);
    expect(wrong.detail).toBe('expected 19');
    const right = scoreBuiltin(s, addition, sum, '19');
    expect(right.reward).toBeCloseTo(1.6, 12);
    expect(scoreBuiltin(s, addition, sum, '').reward).toBe(0);
  });

  it('uses correctness as partial credit for tasks without it', () => {
    const s = spec({ partial: 1 });
    expect(scoreBuiltin(s, parity, bit, '0').components.partial).toBe(1);
    expect(scoreBuiltin(s, parity, bit, '1').components.partial).toBe(0);
    expect(scoreBuiltin(s, parity, bit, '1').reward).toBe(0);
  });

  it('penalises length per completion token', () => {
    const s = spec({ correctness: 1, lengthPenalty: 0.01 });
    const r = scoreBuiltin(s, addition, sum, '19');
    expect(r.components.lengthPenalty).toBe(-2);
    expect(r.reward).toBeCloseTo(0.98, 12);
    // The trainer's token count (e.g. with EOS) wins over the character count.
    expect(scoreBuiltin(s, addition, sum, '19', 3).reward).toBeCloseTo(0.97, 12);
  });

  it('adds the DAPO overlong punishment', () => {
    const s = spec({ correctness: 1, overlong: 1 }, { overlong: { maxLength: 4, cacheLength: 2 } });
    expect(scoreBuiltin(s, addition, sum, '19').reward).toBe(1); // 2 ≤ L_max − L_cache
    expect(scoreBuiltin(s, addition, sum, '19', 3).components.overlong).toBe(-0.5);
    expect(scoreBuiltin(s, addition, sum, '19', 3).reward).toBe(0.5);
    expect(scoreBuiltin(s, addition, sum, '19', 4).reward).toBe(0);
    expect(scoreBuiltin(s, addition, sum, '19', 9).reward).toBe(0);
    // Default parameters come from the task: addition answers are at most 5 characters (L_max 5, L_cache 1).
    const d = spec({ overlong: 1 });
    expect(scoreBuiltin(d, addition, sum, '1234').components.overlong).toBe(0);
    expect(scoreBuiltin(d, addition, sum, '12345').components.overlong).toBe(-1);
  });

  it('weighs task-specific components by name, 0 where a task lacks them', () => {
    const s = spec({ correctness: 1, digits: 2 });
    const r = scoreBuiltin(s, addition, sum, '19');
    expect(r.reward).toBe(1);
    expect(r.weighted).toEqual({ correctness: 1, digits: 0 });
  });

  it('rejects non-finite weights and bad overlong parameters', () => {
    expect(builtinSpecProblem(spec({ correctness: Number.NaN }))).toMatch(/"correctness" must be a finite number/);
    expect(builtinSpecProblem(spec({ overlong: 1 }, { overlong: { maxLength: 2, cacheLength: 3 } }))).toMatch(/must not exceed/);
    expect(() => scoreBuiltin(spec({ format: Infinity }), addition, sum, '19')).toThrow(/finite/);
    expect(builtinSpecProblem(DEFAULT_REWARD_SPEC)).toBeNull();
  });
});

describe('scoreBuiltinBatch', () => {
  it('scores mixed-task batches in order, with per-sample components', () => {
    const s = spec({ correctness: 1, format: 0.5 });
    const out = scoreBuiltinBatch(s, [
      { problem: sum, completion: '19' },
      { problem: bit, completion: '1' },
      { problem: bit, completion: 'z' },
    ]);
    expect(out.rewards).toEqual([1.5, 0.5, 0]);
    expect(out.components.map((c) => c.correctness)).toEqual([1, 0, 0]);
    expect(out.details[2]).toBe('malformed answer');
  });

  it('averages components for metrics', () => {
    expect(meanComponents([{ a: 1, b: 0 }, { a: 0 }, { a: 0.5, b: 1 }])).toEqual({ a: 0.5, b: 0.5 });
    expect(meanComponents([])).toEqual({});
  });
});

describe('builtinReward', () => {
  it('scores a batch as the trainer sees it, counting EOS in the length terms', async () => {
    const reward = builtinReward(spec({ correctness: 0, format: 1, lengthPenalty: -0.1 }));
    const out = await reward([
      { problem: sum, completion: '19', length: 3, stopped: true },
      { problem: sum, completion: '1999', length: 5, stopped: true },
      { problem: sum, completion: '1999999', length: 8, stopped: false },
      { problem: sum, completion: 'x', length: 2, stopped: true },
    ]);
    expect(out.rewards[0]).toBeCloseTo(1.3, 12);
    expect(out.rewards[1]).toBeCloseTo(1.5, 12); // longer and wrong pays more: a gameable proxy
    expect(out.rewards[2]).toBeCloseTo(0.8, 12); // past the verifier's five characters: not well formed
    expect(out.rewards[3]).toBeCloseTo(0.2, 12);
    // The verifier's correctness is still reported beside the proxy.
    expect(out.components.map((c) => c.correctness)).toEqual([1, 0, 0, 0]);
  });

  it('refuses an invalid spec up front', () => {
    expect(() => builtinReward(spec({ correctness: Number.NaN }))).toThrow(/finite/);
  });
});

describe('coin (the spurious-rewards term)', () => {
  it('pays about half the completions, the same each time, whether right or wrong', () => {
    const task = getTask('addition');
    const rng = createRng(7);
    const spec = { kind: 'builtin', components: { coin: 1 } } as const;
    let paid = 0;
    let paidRight = 0;
    let right = 0;
    for (let i = 0; i < 2000; i++) {
      const problem = task.generate('d2', rng);
      const completion = i % 2 === 0 ? problem.answer : String(rng.nextInt(0, 199));
      const { reward } = scoreBuiltin(spec, task, problem, completion);
      expect(scoreBuiltin(spec, task, problem, completion).reward).toBe(reward);
      expect(reward === 0 || reward === 1).toBe(true);
      paid += reward;
      if (completion === problem.answer) {
        right++;
        paidRight += reward;
      }
    }
    expect(paid / 2000).toBeGreaterThan(0.45);
    expect(paid / 2000).toBeLessThan(0.55);
    // Independent of correctness: right answers are paid as often as all answers.
    expect(Math.abs(paidRight / right - paid / 2000)).toBeLessThan(0.05);
  });
});
