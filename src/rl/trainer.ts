// The RLVR trainer step (RL_REFERENCE.md): rollout → rewards → advantages → policy loss (+ KL,
// entropy) → backward → AdamW, with every per-token quantity computed by engine ops (GPU kernels on
// WebGPU). A step reads the GPU twice: once at the end of generation (the host must see the tokens to
// score them) and once for all the step's metrics together.
import { AdamW, backward, clamp, div, getBackend, keep, logProbs, mul, noGrad, readAll, reshape, sum, tensor, tidy, zeros, type Tensor } from '../engine';
import { packBatch, type PackedBatch } from '../model/batch';
import type { GptConfig } from '../model/config';
import { gptForward } from '../model/forward';
import type { GptParams } from '../model/params';
import { createRng, type Rng } from '../tasks/random';
import type { Task } from '../tasks/task';
import { computeAdvantages } from './advantages';
import { maskedTokenMean } from './aggregation';
import { evaluateArm, type ArmEvaluation } from './evaluate';
import { klK1, measureKl } from './kl';
import { policyLoss } from './policyLoss';
import { rollout, uniformArms, verifierReward, type ArmSampler, type RewardFunction, type Rollout } from './rollout';
import { learningRate, type RlConfig } from './trainerConfig';

/** One step's metrics, named as TRL logs them where TRL has a name. */
export interface StepMetrics {
  step: number;
  reward: number;
  reward_std: number;
  /** Mean of each reward component over the batch, e.g. rewards/correctness. */
  rewards: Record<string, number>;
  frac_reward_zero_std: number;
  entropy: number;
  kl: { k1: number; k2: number; k3: number };
  clip_ratio: { low_mean: number; high_mean: number; region_mean: number };
  loss: number;
  grad_norm: number;
  learning_rate: number;
  completions: { mean_length: number; min_length: number; max_length: number; clipped_ratio: number };
  num_tokens: number;
  step_time: number;
  tokens_per_second: number;
  /** Per arm in this batch: samples, accuracy (mean reward) and mean |A|. */
  arms: Record<string, { samples: number; reward: number; meanAbsAdvantage: number }>;
  /** DAPO dynamic sampling: groups kept / generated, and generation rounds used. */
  dynamic_sampling?: { kept_groups: number; generated_groups: number; rounds: number };
}

/** A few recent rollouts, token by token, for the sample inspector. */
export interface InspectedSample {
  prompt: string;
  completion: string;
  answer: string;
  arm: string;
  reward: number;
  components: Record<string, number>;
  advantage: number;
  tokens: number[];
  logProbs: number[];
  entropies: number[];
}

export interface StepResult {
  metrics: StepMetrics;
  samples: InspectedSample[];
}

export interface TrainerOptions {
  reward?: RewardFunction;
  arms?: ArmSampler;
  /** Samples kept per step for the inspector. */
  inspectSamples?: number;
}

/** A u32 mix of (seed, step, purpose): independent streams per purpose, reproducible per step. */
function streamSeed(seed: number, step: number, purpose: number): number {
  let h = (seed ^ Math.imul(step + 1, 0x9e3779b1) ^ Math.imul(purpose + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function meanStd(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const variance = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return [mean, Math.sqrt(variance)];
}

function groupHasSpread(rewards: number[], g: number, G: number): boolean {
  const group = rewards.slice(g * G, (g + 1) * G);
  return group.some((r) => r !== group[0]);
}

export class RlTrainer {
  readonly optimizer: AdamW;
  step = 0;
  private readonly reward: RewardFunction;
  private readonly arms: ArmSampler;
  private readonly dataRng: Rng;
  private readonly refParams: GptParams;

  constructor(
    readonly modelConfig: GptConfig,
    readonly params: GptParams,
    readonly task: Task,
    public config: RlConfig,
    options: TrainerOptions = {},
  ) {
    this.reward = options.reward ?? verifierReward(task);
    this.arms = options.arms ?? uniformArms(task.arms.map((a) => a.id));
    this.dataRng = createRng(streamSeed(config.seed, -1, 1));
    this.optimizer = new AdamW([...params.values()], { ...config.optimizer, lr: config.lr });
    // The reference policy: a frozen copy of the start (reset every refResetEvery steps if set).
    this.refParams = new Map([...params].map(([name, p]) => [name, keep(zeros(p.shape))]));
    this.copyIntoReference();
  }

  /** ref ← current policy, on the device (no readback). */
  private copyIntoReference(): void {
    const backend = getBackend();
    for (const [name, p] of this.params) backend.copyInto(this.refParams.get(name)!.storage, 0, [1], p.storage, [p.size]);
  }

  /** β·Σ_t k1 per sample, for KL in the reward (TRL RLOO, verl use_kl_in_reward): one extra readback. */
  private async klPenalties(packed: PackedBatch, N: number): Promise<number[]> {
    const perSample = tidy(() =>
      noGrad(() => {
        const inputs = this.packedTensors(packed, N);
        const mask = tensor(packed.completionMask, [N, packed.T]);
        const cur = this.sequenceLogProbs(this.params, packed, inputs);
        const ref = this.sequenceLogProbs(this.refParams, packed, inputs);
        return sum(mul(klK1(cur.logp, ref.logp), mask), 1);
      }),
    );
    const [values] = await readAll([perSample]);
    perSample.dispose();
    return Array.from(values, (v) => this.config.klCoef * v);
  }

  private packedTensors(packed: PackedBatch, N: number) {
    return {
      ids: tensor(packed.ids, [N, packed.T], 'i32'),
      positions: tensor(packed.positions, [N, packed.T], 'i32'),
      keyMask: tensor(packed.keyMask, [N, packed.T]),
      targets: tensor(packed.targets, [N * packed.T], 'i32'),
    };
  }

  /** Generation with DAPO dynamic sampling when enabled: groups whose rewards all agree are dropped
   *  and more are generated, up to the configured number of rounds. */
  private async collect(): Promise<{ r: Rollout; dynamic?: StepMetrics['dynamic_sampling'] }> {
    const c = this.config;
    const G = c.samplesPerPrompt;
    const draw = (round: number) => {
      const arms = this.arms.chooseArms(c.promptsPerStep, this.dataRng);
      const problems = arms.map((arm) => this.task.generate(arm, this.dataRng));
      return rollout(this.modelConfig, this.params, problems, this.reward, {
        samplesPerPrompt: G,
        maxNewTokens: c.maxNewTokens,
        temperature: c.temperature,
        topK: c.topK,
        topP: c.topP,
        seed: streamSeed(c.seed, this.step, 100 + round),
      });
    };
    const first = await draw(0);
    if (!c.dynamicSampling) return { r: first };
    const keep: { r: Rollout; g: number }[] = [];
    let generated = 0;
    let rounds = 0;
    for (let r: Rollout | null = first; r && rounds < Math.max(1, c.dynamicSamplingMaxTries); ) {
      rounds++;
      generated += r.problems.length;
      for (let g = 0; g < r.problems.length; g++) if (groupHasSpread(r.rewards, g, G)) keep.push({ r, g });
      if (keep.length >= c.promptsPerStep || rounds >= c.dynamicSamplingMaxTries) break;
      r = await draw(rounds);
    }
    const chosen = keep.slice(0, c.promptsPerStep);
    const dynamic = { kept_groups: chosen.length, generated_groups: generated, rounds };
    if (chosen.length === 0) return { r: first, dynamic }; // nothing informative: train on the first batch (all A = 0)
    const rows = (x: { r: Rollout; g: number }) => Array.from({ length: G }, (_, j) => x.g * G + j);
    const merged: Rollout = {
      problems: chosen.map((x) => x.r.problems[x.g]),
      prompts: chosen.map((x) => x.r.prompts[x.g]),
      generation: first.generation, // used only for per-token inspection of the first rows
      completionIds: chosen.flatMap((x) => rows(x).map((i) => x.r.completionIds[i])),
      samples: chosen.flatMap((x) => rows(x).map((i) => x.r.samples[i])),
      rewards: chosen.flatMap((x) => rows(x).map((i) => x.r.rewards[i])),
      components: chosen.flatMap((x) => rows(x).map((i) => x.r.components[i])),
    };
    return { r: merged, dynamic };
  }

  /** Per-token log-probs [N, L] and entropies [N, L] of the packed batch under `params`. */
  private sequenceLogProbs(params: GptParams, packed: PackedBatch, tensors: { ids: Tensor; positions: Tensor; keyMask: Tensor; targets: Tensor }): { logp: Tensor; entropy: Tensor } {
    const logits = gptForward(this.modelConfig, params, tensors);
    const r = logProbs(logits, tensors.targets, this.config.temperature > 0 ? this.config.temperature : 1);
    return { logp: reshape(r.logp, [packed.B, packed.T]), entropy: reshape(r.entropy, [packed.B, packed.T]) };
  }

  async trainStep(): Promise<StepResult> {
    const started = performance.now();
    const c = this.config;
    const G = c.samplesPerPrompt;
    if (c.refResetEvery > 0 && this.step > 0 && this.step % c.refResetEvery === 0) this.copyIntoReference();

    const { r, dynamic } = await this.collect();
    const N = r.samples.length;
    const rowPrompts = r.samples.map((_, i) => r.prompts[Math.floor(i / G)]);
    const promptWidth = Math.max(...rowPrompts.map((p) => p.length));
    const packed = packBatch(rowPrompts, r.completionIds, promptWidth, c.maxNewTokens);
    const lr = learningRate(c, this.step);
    const isReinforcePP = c.estimator.startsWith('reinforce++');
    // The verifier's rewards are reported; the optimised ones may carry a KL penalty.
    let rewards = r.rewards.slice();
    if (c.klInReward && c.klCoef > 0 && !isReinforcePP) {
      const penalties = await this.klPenalties(packed, N);
      rewards = rewards.map((v, i) => v - penalties[i]);
    }

    const outputs = tidy(() => {
      const inputs = this.packedTensors(packed, N);
      const mask = tensor(packed.completionMask, [N, packed.T]);
      const ref = noGrad(() => this.sequenceLogProbs(this.refParams, packed, inputs));
      const old = c.ppoEpochs > 1 || isReinforcePP ? noGrad(() => this.sequenceLogProbs(this.params, packed, inputs)) : null;
      const tokenKl = isReinforcePP && c.klCoef > 0 ? noGrad(() => klK1(old!.logp, ref.logp)) : undefined;
      const adv = noGrad(() =>
        computeAdvantages(rewards, mask, { estimator: c.estimator, groupSize: G, scale: c.rewardScale, klCoef: isReinforcePP ? c.klCoef : 0 }, tokenKl),
      );
      let last: ReturnType<typeof this.optimiseOnce> | null = null;
      for (let epoch = 0; epoch < c.ppoEpochs; epoch++) {
        last?.dispose();
        last = this.optimiseOnce(packed, inputs, mask, adv.advantages, old?.logp, ref.logp, lr, isReinforcePP);
      }
      // Token-mean advantage per sample (what curricula such as DUMP and SEC score arms by).
      const perSampleAdv = noGrad(() => div(sum(mul(adv.advantages, mask), 1), clamp(sum(mask, 1), 1, 3.4e38)));
      return { ...last!.tensors, perSampleAdv, fracZero: adv.fracRewardZeroStd };
    });

    const names = ['loss', 'entropy', 'k1', 'k2', 'k3', 'clipLow', 'clipHigh', 'clipRegion', 'gradNormSq', 'perSampleAdv'] as const;
    const values = await readAll(names.map((n) => outputs[n]));
    for (const n of names) outputs[n].dispose();
    const read = (n: (typeof names)[number]) => values[names.indexOf(n)][0];
    const advantages = Array.from(values[names.indexOf('perSampleAdv')]);

    const [rewardMean, rewardStd] = meanStd(r.rewards);
    const componentMeans: Record<string, number> = {};
    for (const comp of r.components) for (const [k, v] of Object.entries(comp)) componentMeans[k] = (componentMeans[k] ?? 0) + v / N;
    const lengths = r.samples.map((s) => s.length);
    const numTokens = lengths.reduce((a, b) => a + b, 0);
    const arms: StepMetrics['arms'] = {};
    r.samples.forEach((s, i) => {
      const a = (arms[s.problem.arm] ??= { samples: 0, reward: 0, meanAbsAdvantage: 0 });
      a.samples++;
      a.reward += r.rewards[i];
      a.meanAbsAdvantage += Math.abs(advantages[i]);
    });
    for (const a of Object.values(arms)) {
      a.reward /= a.samples;
      a.meanAbsAdvantage /= a.samples;
    }
    this.arms.update?.(r.samples.map((s, i) => ({ arm: s.problem.arm, reward: r.rewards[i], advantage: advantages[i] })));
    const stepTime = (performance.now() - started) / 1000;
    const metrics: StepMetrics = {
      step: this.step,
      reward: rewardMean,
      reward_std: rewardStd,
      rewards: componentMeans,
      frac_reward_zero_std: outputs.fracZero,
      entropy: read('entropy'),
      kl: { k1: read('k1'), k2: read('k2'), k3: read('k3') },
      clip_ratio: { low_mean: read('clipLow'), high_mean: read('clipHigh'), region_mean: read('clipRegion') },
      loss: read('loss'),
      grad_norm: Math.sqrt(read('gradNormSq')),
      learning_rate: lr,
      completions: {
        mean_length: numTokens / N,
        min_length: Math.min(...lengths),
        max_length: Math.max(...lengths),
        clipped_ratio: r.samples.filter((s) => !s.stopped).length / N,
      },
      num_tokens: numTokens,
      step_time: stepTime,
      tokens_per_second: numTokens / stepTime,
      arms,
      ...(dynamic ? { dynamic_sampling: dynamic } : {}),
    };
    this.step++;
    return { metrics, samples: this.inspect(r, advantages, metrics) };
  }

  /** One optimisation pass over the batch: loss, backward, AdamW. Returns the metric tensors. */
  private optimiseOnce(
    packed: PackedBatch,
    inputs: { ids: Tensor; positions: Tensor; keyMask: Tensor; targets: Tensor },
    mask: Tensor,
    advantages: Tensor,
    oldLogp: Tensor | undefined,
    refLogp: Tensor,
    lr: number,
    klInTokenReward: boolean,
  ) {
    const c = this.config;
    const tensors = tidy(() => {
      const { logp, entropy } = this.sequenceLogProbs(this.params, packed, inputs);
      const klInLoss = !c.klInReward && !klInTokenReward ? c.klCoef : 0;
      const result = policyLoss(
        { logp, oldLogp, advantages, mask, refLogp, entropy },
        {
          clipLow: c.clipLow,
          clipHigh: c.clipHigh,
          dualClip: c.dualClip,
          positiveWeight: c.positiveWeight,
          negativeWeight: c.negativeWeight,
          entropyCoef: c.entropyCoef,
          klCoef: klInLoss,
          klEstimator: c.klEstimator,
        },
        c.aggregation,
        { maxCompletionLength: c.maxNewTokens },
      );
      backward(result.loss);
      const kl = measureKl(logp, refLogp, mask);
      return {
        loss: result.loss,
        entropy: noGrad(() => maskedTokenMean(entropy, mask)),
        k1: kl.k1,
        k2: kl.k2,
        k3: kl.k3,
        clipLow: result.metrics.clipRatioLow,
        clipHigh: result.metrics.clipRatioHigh,
        clipRegion: result.metrics.clipRatioRegion,
      };
    });
    const { gradNormSquared } = this.optimizer.update(lr);
    const all = { ...tensors, gradNormSq: gradNormSquared };
    return { tensors: all, dispose: () => Object.values(all).forEach((t) => t.dispose()) };
  }

  private inspect(r: Rollout, advantages: number[], metrics: StepMetrics): InspectedSample[] {
    const count = Math.min(r.samples.length, 8);
    const T = r.generation.maxNewTokens;
    const sameRows = !metrics.dynamic_sampling; // token-level detail is only aligned without regrouping
    return r.samples.slice(0, count).map((s, i) => ({
      prompt: s.problem.prompt,
      completion: s.completion,
      answer: s.problem.answer,
      arm: s.problem.arm,
      reward: r.rewards[i],
      components: r.components[i],
      advantage: advantages[i],
      tokens: r.completionIds[i],
      logProbs: sameRows ? Array.from(r.generation.logProbs.subarray(i * T, i * T + s.length)) : [],
      entropies: sameRows ? Array.from(r.generation.entropies.subarray(i * T, i * T + s.length)) : [],
    }));
  }

  /** Held-out pass@k per arm (k = 1, 2, 4, … n) and greedy accuracy. */
  async evaluate(armIds: string[], prompts: number, samplesPerPrompt: number): Promise<ArmEvaluation[]> {
    const out: ArmEvaluation[] = [];
    for (const arm of armIds) {
      out.push(
        await evaluateArm(this.modelConfig, this.params, this.task, arm, {
          prompts,
          samplesPerPrompt,
          temperature: this.config.temperature,
          seed: this.config.seed,
          greedy: true,
        }),
      );
    }
    return out;
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const t of this.refParams.values()) t.dispose();
  }
}

