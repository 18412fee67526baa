// "Explain this number" against the trainer: on a small batch whose every row is inspected, the
// per-token explanations rebuilt on the host (from the numbers the step read back) sum to the policy
// loss the trainer computed and reported, token by token they equal the device's ℓ_t, and the step
// still reads the device only twice. Plus the clip regions on hand-made numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { getBackend, setBackend } from '../engine';
import type { GptConfig } from '../model/config';
import { disposeParams, initGptParams } from '../model/params';
import { getTask } from '../tasks/registry';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import type { LossSettings, SampleLossDetail, StepResult } from './metrics';
import type { RewardFunction } from './rollout';
import { explainedLoss } from './explanationCheck';
import { explainToken } from './tokenExplanation';
import { RlTrainer } from './trainer';
import { defaultRlConfig, type RlConfig } from './trainerConfig';

const small: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 24, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 2 };
// 'score-text': a random policy rarely emits EOS, and the lab's 'wrong' would score every row 0.
const quick: RlConfig = { ...defaultRlConfig, promptsPerStep: 4, samplesPerPrompt: 4, maxNewTokens: 4, lr: 1e-3, truncation: 'score-text' };
/** With ρ = 1 and completions of equal length (a random policy runs every one to the budget), GRPO's
 *  zero-sum advantages give a loss of exactly 0, which a sum of zeros would match: REINFORCE's ±1
 *  (no baseline) keeps the loss away from 0 where nothing else does. */
const plusMinusOne: Partial<RlConfig> = { estimator: 'reinforce' };

beforeAll(() => setBackend(new CpuBackend()));

/** An odd first character wins: spread within groups even for a random policy (whose completions
 *  mostly run to the budget, so a length-based reward would give all-zero advantages). */
const oddFirst = (completion: string) => (completion.length > 0 ? completion.charCodeAt(0) % 2 : 0);
const oddStart: RewardFunction = async (samples) => ({
  rewards: samples.map((s) => oddFirst(s.completion)),
  components: samples.map((s) => ({ odd: oddFirst(s.completion) })),
});

async function steps(config: RlConfig, count: number): Promise<{ results: StepResult[]; readbacks: number[] }> {
  const params = initGptParams(small, 3);
  const N = config.promptsPerStep * config.samplesPerPrompt;
  const trainer = new RlTrainer(small, params, getTask('addition'), config, { reward: oddStart, inspectRows: N });
  const results: StepResult[] = [];
  const readbacks: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = getBackend().counters().readbacks;
    results.push(await trainer.trainStep());
    readbacks.push(getBackend().counters().readbacks - before);
  }
  trainer.dispose();
  disposeParams(params);
  return { results, readbacks };
}

function details(result: StepResult): SampleLossDetail[] {
  return result.samples.map((s) => {
    expect(s.lossDetail, 'every inspected sample has loss detail').toBeDefined();
    return s.lossDetail!;
  });
}

describe('explainToken against the trainer', () => {
  const cases: [string, Partial<RlConfig>][] = [
    ['token-mean', { ...plusMinusOne }],
    ['seq-mean-token-mean', { ...plusMinusOne, aggregation: 'seq-mean-token-mean' }],
    [
      'λ± weights, clip-higher, dual clip, k3 KL in the loss, entropy bonus, two passes',
      { positiveWeight: 1.5, negativeWeight: 0.5, clipHigh: 0.28, dualClip: 3, klCoef: 0.2, klEstimator: 'k3', entropyCoef: 0.01, ppoEpochs: 2, lr: 2e-2 },
    ],
    ['seq-mean-token-sum-norm, k2 in the loss', { ...plusMinusOne, aggregation: 'seq-mean-token-sum-norm', klCoef: 0.1, klEstimator: 'k2', maxNewTokens: 3 }],
    ['seq-mean-token-sum, KL in the reward (not in ℓ)', { ...plusMinusOne, aggregation: 'seq-mean-token-sum', klCoef: 0.1, klInReward: true }],
  ];
  for (const [name, overrides] of cases) {
    it(`${name}: the tokens' contributions sum to the step's loss`, async () => {
      const config = { ...quick, ...overrides };
      const { results, readbacks } = await steps(config, 2);
      // The detail rides along in the metrics readback: generation + metrics (+ one for KL in the reward).
      expect(readbacks).toEqual(config.klInReward ? [3, 3] : [2, 2]);
      for (const result of results) {
        expect(result.samples.length).toBe(config.promptsPerStep * config.samplesPerPrompt);
        const { total, worstTokenGap, missing } = explainedLoss(result);
        expect(missing).toBe(0);
        expect(Math.abs(result.metrics.loss)).toBeGreaterThan(0); // a sum of zeros would prove nothing
        expect(Math.abs(total - result.metrics.loss), `Σ contributions ${total} vs loss ${result.metrics.loss}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(result.metrics.loss)));
        expect(worstTokenGap).toBeLessThan(1e-4);
      }
      const second = results[1];
      if (config.ppoEpochs > 1) {
        // The second pass's ratios moved off 1, and some tokens were clipped: the branch was exercised.
        expect(explainedLoss(second).regions.size).toBeGreaterThan(1);
        expect(second.metrics.clip_ratio.region_mean).toBeGreaterThan(0);
      } else {
        // One pass per batch: logπ_old is logπ detached, ρ = 1 for every token.
        for (const d of details(second)) for (let t = 0; t < d.logProbs.length; t++) expect(explainToken(d, t).ratio).toBe(1);
      }
      if (config.klCoef > 0 && !config.klInReward) {
        // After one update the policy left the reference: the KL term is live in ℓ.
        expect(details(second).some((d) => d.logProbs.some((_, t) => explainToken(d, t).klTerm !== 0))).toBe(true);
      }
      if (config.klInReward) {
        // The advantages came from reward − β·Σ_t k1, k1 under the policy before the update (= logπ here).
        details(second).forEach((d, i) => {
          const k1Sum = d.logProbs.reduce((acc, lp, t) => acc + lp - d.refLogProbs[t], 0);
          expect(d.shapedReward).toBeCloseTo(second.samples[i].reward - config.klCoef * k1Sum, 4);
        });
        expect(details(second).some((d, i) => d.shapedReward !== second.samples[i].reward)).toBe(true);
        expect(details(second).every((d) => d.logProbs.every((_, t) => explainToken(d, t).klTerm === 0))).toBe(true);
      }
    });
  }
});

describe('explainToken on hand-made numbers', () => {
  const settings: LossSettings = {
    clipLow: 0.2,
    clipHigh: 0.28,
    dualClip: 3,
    positiveWeight: 2,
    negativeWeight: 0.5,
    entropyCoef: 0,
    klCoef: 0,
    klEstimator: 'k3',
    klPlacement: 'none',
    aggregation: 'token-mean',
    ppoEpochs: 2,
    batchTokens: 10,
    batchSequences: 2,
    maxCompletionLength: 4,
  };
  const detail = (logp: number, advantage: number): SampleLossDetail => ({
    settings,
    oldLogProbs: [0],
    logProbs: [logp],
    refLogProbs: [0],
    advantages: [advantage],
    entropies: [0],
    losses: [Number.NaN],
    counted: true,
    shapedReward: 0,
  });

  it('names the clip region and applies λ± before the clip', () => {
    const high = explainToken(detail(Math.log(1.5), 1), 0);
    expect(high.region).toBe('high');
    expect(high.weightedAdvantage).toBe(2);
    expect(high.pg).toBeCloseTo(-2 * 1.28, 12);
    expect(high.contribution).toBeCloseTo((-2 * 1.28) / 10, 12);
    const low = explainToken(detail(Math.log(0.5), -1), 0);
    expect(low.region).toBe('low');
    expect(low.pg).toBeCloseTo(0.5 * 0.8, 12);
    const dual = explainToken(detail(Math.log(5), -1), 0);
    expect(dual.region).toBe('dual');
    expect(dual.pg).toBeCloseTo(3 * 0.5, 12); // min(0.5·5, c·|A_w|) = 1.5
    const inside = explainToken(detail(Math.log(1.1), 1), 0);
    expect(inside.region).toBe('none');
    expect(inside.pg).toBeCloseTo(-2 * 1.1, 12);
  });

  it('a row masked out of the loss (truncation "mask") contributes nothing', () => {
    const masked = explainToken({ ...detail(Math.log(1.1), 1), counted: false }, 0);
    expect(masked.loss).not.toBe(0);
    expect(masked.mask).toBe(0);
    expect(masked.contribution).toBe(0);
  });
});
