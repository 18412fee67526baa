// The RLVR trainer step (docs/rl-reference.md): rollout → rewards → advantages → policy loss (+ KL,
// entropy) → backward → AdamW, with every per-token quantity computed by engine ops (GPU kernels on
// WebGPU). A step reads the GPU twice: once at the end of generation (the host must see the tokens to
// score them) and once for all the step's metrics together.
import { AdamW, abs, backward, clamp, div, getBackend, keep, logProbs, mul, noGrad, readAll, reshape, sum, tensor, tidy, zeros, type Tensor } from '../engine';
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
import { NonFiniteStepError, readHostState, TrainingState, uploadHostState, type HostTrainingState } from './trainingState';

export { NonFiniteStepError, type HostTrainingState };

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
  /** Online difficulty filtering (TrainerOptions.filter): groups outside the accuracy band are left out
   *  of the loss; the step over-samples within its budget to keep B groups. */
  filtering?: FilteringMetrics;
  /** Completions generated since the run began, this step's included (over-sampling too): the x of
   *  "equal compute" comparisons. Absent in records made before it existed. */
  samples_spent?: number;
}

/** One step's filtering bookkeeping (the curriculum layer's FilterStepMetrics has this shape). */
export interface FilteringMetrics {
  /** Fraction of the generated groups the filter removed. */
  frac_filtered: number;
  /** Groups trained on: min(passed, B). */
  kept_groups: number;
  /** Groups that passed (may exceed B: the surplus is not trained on). */
  passed_groups: number;
  generated_groups: number;
  rounds: number;
  /** The step stopped on its budget or round limit with fewer than B groups. */
  budget_exhausted: boolean;
}

/**
 * Online difficulty filtering, injected by a layer above (src/curriculum/filtering.ts builds it from
 * the band and the over-sampling settings): `passes` says whether a group of accuracy p is kept, and
 * the planner says how many prompts each generation round draws (begin → next/record … → end).
 */
export interface DifficultyFilter {
  passes(accuracy: number): boolean;
  planner: { begin(target: number): void; next(): number; record(passed: number, generated: number): void; end(): FilteringMetrics };
}

/** A sample the step generated but did not train on (a filtered-out group): the curriculum still
 *  hears of it, with advantage 0. */
interface UntrainedSample {
  arm: string;
  reward: number;
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
  /** Online difficulty filtering; absent = off. */
  filter?: DifficultyFilter;
  /** The problem stream to continue (a trainer rebuilt after a lost device); default: a new one from the seed. */
  dataRng?: Rng;
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

/** Group g's accuracy: the mean of the correctness component where every sample reports one (shaped
 *  rewards then do not count as accuracy), else the mean reward. */
function groupAccuracy(r: Rollout, g: number, G: number): number {
  const rows = Array.from({ length: G }, (_, j) => g * G + j);
  const useCorrectness = rows.every((i) => typeof r.components[i]?.correctness === 'number');
  return rows.reduce((s, i) => s + (useCorrectness ? r.components[i].correctness : r.rewards[i]), 0) / G;
}

/** A rollout of the chosen groups (prompt groups of possibly different rounds), rows group-major. */
function mergeGroups(chosen: { r: Rollout; g: number }[], G: number, generation: Rollout['generation']): Rollout {
  const rows = (x: { r: Rollout; g: number }) => Array.from({ length: G }, (_, j) => x.g * G + j);
  return {
    problems: chosen.map((x) => x.r.problems[x.g]),
    prompts: chosen.map((x) => x.r.prompts[x.g]),
    generation, // used only for per-token inspection of the first rows
    completionIds: chosen.flatMap((x) => rows(x).map((i) => x.r.completionIds[i])),
    samples: chosen.flatMap((x) => rows(x).map((i) => x.r.samples[i])),
    rewards: chosen.flatMap((x) => rows(x).map((i) => x.r.rewards[i])),
    components: chosen.flatMap((x) => rows(x).map((i) => x.r.components[i])),
  };
}

function untrained(groups: { r: Rollout; g: number }[], G: number): UntrainedSample[] {
  return groups.flatMap((x) => Array.from({ length: G }, (_, j) => ({ arm: x.r.problems[x.g].arm, reward: x.r.rewards[x.g * G + j] })));
}

interface Collected {
  r: Rollout;
  dynamic?: StepMetrics['dynamic_sampling'];
  filtering?: FilteringMetrics;
  /** Generated, not trained on (filtered out): reported to the curriculum with advantage 0. */
  dropped: UntrainedSample[];
  /** Nothing passed the filter: the batch is the first round's groups, trained with advantages 0. */
  zeroAdvantages: boolean;
}

export class RlTrainer {
  readonly optimizer: AdamW;
  step = 0;
  private readonly reward: RewardFunction;
  private readonly arms: ArmSampler;
  private readonly dataRng: Rng;
  private readonly refParams: GptParams;
  private readonly filter: DifficultyFilter | undefined;
  /** Completions generated so far (StepMetrics.samples_spent). */
  samplesSpent = 0;
  /** params, m, v and the optimizer step before the current update: restored when it goes non-finite. */
  private readonly lastGood: TrainingState;

  constructor(
    readonly modelConfig: GptConfig,
    readonly params: GptParams,
    readonly task: Task,
    public config: RlConfig,
    options: TrainerOptions = {},
  ) {
    this.reward = options.reward ?? verifierReward(task);
    this.arms = options.arms ?? uniformArms(task.arms.map((a) => a.id));
    this.dataRng = options.dataRng ?? createRng(streamSeed(config.seed, -1, 1));
    this.filter = options.filter;
    this.optimizer = new AdamW([...params.values()], { ...config.optimizer, lr: config.lr });
    // The reference policy: a frozen copy of the start (reset every refResetEvery steps if set).
    this.refParams = new Map([...params].map(([name, p]) => [name, keep(zeros(p.shape))]));
    this.copyIntoReference();
    this.lastGood = new TrainingState(params, this.optimizer);
  }

  /** Params, m, v, reference and step counters on the host (one readback): what a run resumes from. */
  readState(): Promise<HostTrainingState> {
    return readHostState(this.step, this.params, this.optimizer, this.refParams);
  }

  /** Puts a host state back on the current backend. The params must already hold state.params
   *  (create them with createParams); this writes m, v, the reference and the step counters. */
  loadState(state: HostTrainingState): void {
    uploadHostState(state, this.optimizer, this.refParams);
    this.step = state.step;
  }

  /** A trainer on the current backend continuing this one from a host state (after a lost device):
   *  same task, config, reward, arm sampler (curriculum state lives on the host) and problem stream. */
  continueFrom(state: HostTrainingState, params: GptParams): RlTrainer {
    const next = new RlTrainer(this.modelConfig, params, this.task, this.config, { reward: this.reward, arms: this.arms, dataRng: this.dataRng, filter: this.filter });
    next.loadState(state);
    next.samplesSpent = this.samplesSpent;
    return next;
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

  /** Generation, with online difficulty filtering (over-sampling within a budget) or DAPO dynamic
   *  sampling when enabled: groups that fail the criterion are dropped and more are generated. */
  private async collect(): Promise<Collected> {
    const c = this.config;
    const G = c.samplesPerPrompt;
    const B = c.promptsPerStep;
    const draw = (round: number, count: number) => {
      const arms = this.arms.chooseArms(count, this.dataRng);
      const problems = arms.map((arm) => this.task.generate(arm, this.dataRng));
      this.samplesSpent += count * G;
      return rollout(this.modelConfig, this.params, problems, this.reward, {
        samplesPerPrompt: G,
        maxNewTokens: c.maxNewTokens,
        temperature: c.temperature,
        topK: c.topK,
        topP: c.topP,
        seed: streamSeed(c.seed, this.step, 100 + round),
      });
    };
    if (this.filter) return this.collectFiltered(this.filter, draw);
    const first = await draw(0, B);
    if (!c.dynamicSampling) return { r: first, dropped: [], zeroAdvantages: false };
    const keep: { r: Rollout; g: number }[] = [];
    const drop: { r: Rollout; g: number }[] = [];
    let generated = 0;
    let rounds = 0;
    for (let r: Rollout | null = first; r && rounds < Math.max(1, c.dynamicSamplingMaxTries); ) {
      rounds++;
      generated += r.problems.length;
      for (let g = 0; g < r.problems.length; g++) (groupHasSpread(r.rewards, g, G) ? keep : drop).push({ r, g });
      if (keep.length >= B || rounds >= c.dynamicSamplingMaxTries) break;
      r = await draw(rounds, B);
    }
    const chosen = keep.slice(0, B);
    const dynamic = { kept_groups: chosen.length, generated_groups: generated, rounds };
    // Nothing informative: train on the first batch (all A = 0); its groups are the batch, not dropped.
    if (chosen.length === 0) return { r: first, dynamic, dropped: untrained(drop.filter((x) => x.r !== first), G), zeroAdvantages: false };
    return { r: mergeGroups(chosen, G, first.generation), dynamic, dropped: untrained(drop, G), zeroAdvantages: false };
  }

  /** Difficulty filtering: rounds sized by the planner; a group passes when its accuracy is in the band
   *  (and, with dynamic sampling on too, its rewards are not all equal). */
  private async collectFiltered(filter: DifficultyFilter, draw: (round: number, count: number) => Promise<Rollout>): Promise<Collected> {
    const c = this.config;
    const G = c.samplesPerPrompt;
    const B = c.promptsPerStep;
    const passed: { r: Rollout; g: number }[] = [];
    const drop: { r: Rollout; g: number }[] = [];
    let first: Rollout | null = null;
    filter.planner.begin(B);
    for (let round = 0, n = filter.planner.next(); n > 0; round++, n = filter.planner.next()) {
      const r = await draw(round, n);
      first ??= r;
      let pass = 0;
      for (let g = 0; g < r.problems.length; g++) {
        const ok = filter.passes(groupAccuracy(r, g, G)) && (!c.dynamicSampling || groupHasSpread(r.rewards, g, G));
        if (ok) pass++;
        (ok ? passed : drop).push({ r, g });
      }
      filter.planner.record(pass, r.problems.length);
    }
    const filtering = filter.planner.end();
    if (first === null) throw new Error('difficulty filtering: the planner drew no prompts.');
    const chosen = passed.slice(0, B);
    // Nothing passed: the first round is the batch with every advantage 0 (no policy-gradient signal;
    // the step still runs, so metrics and the optimiser keep their rhythm).
    if (chosen.length === 0) return { r: first, filtering, dropped: untrained(drop.filter((x) => x.r !== first), G), zeroAdvantages: true };
    return { r: mergeGroups(chosen, G, first.generation), filtering, dropped: untrained(drop, G), zeroAdvantages: false };
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

    const { r, dynamic, filtering, dropped, zeroAdvantages } = await this.collect();
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

    this.lastGood.capture(); // on the device, no readback: undone below if the step goes non-finite
    const outputs = tidy(() => {
      const inputs = this.packedTensors(packed, N);
      const mask = tensor(packed.completionMask, [N, packed.T]);
      const ref = noGrad(() => this.sequenceLogProbs(this.refParams, packed, inputs));
      const old = c.ppoEpochs > 1 || isReinforcePP ? noGrad(() => this.sequenceLogProbs(this.params, packed, inputs)) : null;
      const tokenKl = isReinforcePP && c.klCoef > 0 ? noGrad(() => klK1(old!.logp, ref.logp)) : undefined;
      const adv = noGrad(() =>
        computeAdvantages(rewards, mask, { estimator: c.estimator, groupSize: G, scale: c.rewardScale, klCoef: isReinforcePP ? c.klCoef : 0 }, tokenKl),
      );
      // Filtering let nothing through: the batch carries no policy-gradient signal.
      const advantages = zeroAdvantages ? noGrad(() => mul(adv.advantages, zeros([1]))) : adv.advantages;
      let last: ReturnType<typeof this.optimiseOnce> | null = null;
      for (let epoch = 0; epoch < c.ppoEpochs; epoch++) {
        last?.dispose();
        last = this.optimiseOnce(packed, inputs, mask, advantages, old?.logp, ref.logp, lr, isReinforcePP);
      }
      // Token-mean advantage per sample (what curricula such as DUMP and SEC score arms by).
      // With it, token-mean |A| per sample (update()'s absAdvantage), read in the same readAll.
      const { perSampleAdv, perSampleAbsAdv } = noGrad(() => {
        const tokens = clamp(sum(mask, 1), 1, 3.4e38);
        return { perSampleAdv: div(sum(mul(advantages, mask), 1), tokens), perSampleAbsAdv: div(sum(mul(abs(advantages), mask), 1), tokens) };
      });
      // Σ w² after the update: an overflow here (|w| ≳ 1e19, an absurd learning rate) is caught now,
      // before the next step's forward turns it into NaN with nothing good left to restore.
      const weightSumSq = this.lastGood.paramSumOfSquares();
      return { ...last!.tensors, perSampleAdv, perSampleAbsAdv, weightSumSq, fracZero: adv.fracRewardZeroStd };
    });

    const names = ['loss', 'entropy', 'k1', 'k2', 'k3', 'clipLow', 'clipHigh', 'clipRegion', 'gradNormSq', 'perSampleAdv', 'perSampleAbsAdv', 'weightSumSq'] as const;
    const values = await readAll(names.map((n) => outputs[n]));
    for (const n of names) outputs[n].dispose();
    const read = (n: (typeof names)[number]) => values[names.indexOf(n)][0];
    const advantages = Array.from(values[names.indexOf('perSampleAdv')]);
    const absAdvantages = Array.from(values[names.indexOf('perSampleAbsAdv')]);
    const nonFinite = (
      [
        ['loss', read('loss')],
        ['grad_norm', read('gradNormSq')],
        ['entropy', read('entropy')],
        ['kl.k1', read('k1')],
        ['kl.k2', read('k2')],
        ['kl.k3', read('k3')],
        ['weights', read('weightSumSq')],
      ] as const
    )
      .filter(([, v]) => !Number.isFinite(v))
      .map(([name]) => name);
    if (nonFinite.length > 0) this.lastGood.restore(); // weights and m, v, step as after the last good step

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
      a.meanAbsAdvantage += absAdvantages[i];
    });
    for (const a of Object.values(arms)) {
      a.reward /= a.samples;
      a.meanAbsAdvantage /= a.samples;
    }
    if (nonFinite.length === 0) {
      this.arms.update?.([
        ...r.samples.map((s, i) => ({ arm: s.problem.arm, reward: r.rewards[i], advantage: advantages[i], absAdvantage: absAdvantages[i] })),
        ...dropped.map((d) => ({ ...d, advantage: 0, absAdvantage: 0 })),
      ]);
    }
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
      ...(filtering ? { filtering } : {}),
      samples_spent: this.samplesSpent,
    };
    if (nonFinite.length > 0) throw new NonFiniteStepError(nonFinite, metrics);
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
    const sameRows = !metrics.dynamic_sampling && !metrics.filtering; // token-level detail is only aligned without regrouping
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
    this.lastGood.dispose();
    for (const t of this.refParams.values()) t.dispose();
  }
}

