// A completion that runs out of answer budget before EOS is never scored by its cut-off text: not by
// the verifier (even when the prefix is exactly the answer), not by a shaped reward; the options
// ('soft-overlong', 'mask') score it as documented in truncation.ts.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { createParams } from '../model/params';
import { parseCheckpoint } from '../model/checkpoint';
import { getTask } from '../tasks/registry';
import { createRng } from '../tasks/random';
import { evaluateArm } from './evaluate';
import { rollout, verifierReward, type RewardSample } from './rollout';
import { scoreWithTruncation, softOverlongParams } from './truncation';

beforeAll(() => setBackend(new CpuBackend()));

const addition = getTask('addition');
const problem = { task: 'addition', prompt: '12+30=', answer: '42', arm: 'd2' };
const sample = (completion: string, stopped: boolean): RewardSample => ({ problem, completion, length: completion.length + (stopped ? 1 : 0), stopped });

describe('truncated completions', () => {
  it('the verifier never scores a cut-off completion correct, even when its text is the answer', async () => {
    const samples = [sample('42', true), sample('42', false), sample('4', false), sample('42', false)];
    for (const policy of ['wrong', 'mask'] as const) {
      const scored = await scoreWithTruncation(samples, verifierReward(addition), policy, { budget: 2, longestAnswer: 5 });
      expect(scored.rewards).toEqual([1, 0, 0, 0]);
      expect(scored.components[1]).toEqual({ format: 0, correctness: 0 });
    }
    // The prefix really is the answer: scoring its text (TRL's default) would pay it.
    const byText = await scoreWithTruncation(samples, verifierReward(addition), 'score-text', { budget: 2, longestAnswer: 5 });
    expect(byText.rewards).toEqual([1, 1, 0, 1]);
  });

  it('the reward function never sees a cut-off completion', async () => {
    const seen: string[] = [];
    await scoreWithTruncation([sample('41', true), sample('4', false)], async (s) => {
      seen.push(...s.map((x) => x.completion));
      return { rewards: s.map(() => 5), components: s.map(() => ({})) };
    }, 'wrong', { budget: 3, longestAnswer: 5 });
    expect(seen).toEqual(['41']);
  });

  it("soft-overlong: −1 for a cut-off completion, DAPO's ramp over the budget's margin, none for valid answers", async () => {
    // Sorting: longest answer 12 characters, budget 19: the ramp covers tokens 14–19.
    expect(softOverlongParams(19, 12)).toEqual({ maxLength: 19, cacheLength: 6 });
    expect(softOverlongParams(13, 12)).toEqual({ maxLength: 13, cacheLength: 1 });
    const long = { ...problem, answer: '123456789012' };
    const s = (completion: string, stopped: boolean): RewardSample => ({ problem: long, completion, length: completion.length + (stopped ? 1 : 0), stopped });
    const one = async (x: RewardSample[]) => ({ rewards: x.map(() => 1), components: x.map(() => ({})) });
    const scored = await scoreWithTruncation([s('123456789012', true), s('12345678901234', true), s('1234567890123456789', false)], one, 'soft-overlong', { budget: 19, longestAnswer: 12 });
    // L_max 19, L_cache 6: no penalty up to 13 tokens (12 + EOS), (13 − 15)/6 at 15 tokens, −1 when cut off.
    expect(scored.rewards[0]).toBe(1);
    expect(scored.rewards[1]).toBeCloseTo(1 - 2 / 6, 12);
    expect(scored.rewards[2]).toBe(-1);
    expect(scored.components[2].overlong).toBe(-1);
  });

  it('a real rollout with no room for EOS: every row cut off, none rewarded, though many texts are the answer', async () => {
    const checkpoint = parseCheckpoint(new Uint8Array(readFileSync('public/checkpoints/addition.safetensors')));
    const params = createParams(checkpoint.config, checkpoint.values);
    const rng = createRng(7);
    // Two-digit answers only, and a budget of exactly two tokens: the answer fits, its EOS does not.
    const problems = Array.from({ length: 64 }, () => addition.generate('d2', rng)).filter((p) => p.answer.length === 2).slice(0, 16);
    const r = await rollout(checkpoint.config, params, problems, verifierReward(addition), { samplesPerPrompt: 4, maxNewTokens: 2, temperature: 1, topK: 0, topP: 1, seed: 3 });
    expect(r.samples.every((s) => !s.stopped)).toBe(true);
    expect(r.samples.filter((s) => s.completion === s.problem.answer).length).toBeGreaterThan(8);
    expect(r.rewards.every((x) => x === 0)).toBe(true);
    // Evaluation with the same budget agrees: nothing is correct; with the task's budget it is.
    const cut = await evaluateArm(checkpoint.config, params, addition, 'd2', { prompts: 16, samplesPerPrompt: 2, temperature: 1, seed: 5, maxNewTokens: 2, greedy: true });
    const full = await evaluateArm(checkpoint.config, params, addition, 'd2', { prompts: 16, samplesPerPrompt: 2, temperature: 1, seed: 5, greedy: true });
    expect(cut.meanAtN).toBe(0);
    expect(cut.greedyAccuracy).toBe(0);
    expect(full.greedyAccuracy).toBeGreaterThan(0.3);
  });
});
