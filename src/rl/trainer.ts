// The RLVR trainer step (docs/rl-reference.md): collect → advantages → optimise → report.
//   collect    prompts from the arm sampler, G samples each, scored (collect.ts; filtering and DAPO
//              dynamic sampling generate more rounds there);
//   advantages the group-relative (or REINFORCE++) advantages of the trained batch, with the KL penalty
//              placed once per step (klPlacement: in the loss, in the reward, or per token);
//   optimise   the policy loss, backward and AdamW, ppoEpochs times over the batch;
//   report     one readback of every scalar the step needs, the non-finite check, the curriculum update
//              and the StepMetrics record (stepReport.ts).
// Every per-token quantity is computed by engine ops (GPU kernels on WebGPU). A step reads the GPU
// twice: once at the end of generation (the host must see the tokens to score them) and once for all
// the step's metrics together (a third time only for KL in the reward).
import { AdamW, abs, backward, clamp, div, getBackend, keep, logProbs, mul, noGrad, readAll, reshape, sum, tensor, tidy, zeros, type Tensor } from '../engine';
import { packBatch, type PackedBatch } from '../model/batch';
import type { GptConfig } from '../model/config';
import { gptForward } from '../model/forward';
import type { GptParams } from '../model/params';
import { createRng, type Rng } from '../tasks/random';
import type { Task } from '../tasks/task';
import { computeAdvantages } from './advantages';
import { maskedTokenMean } from './aggregation';
import { collectBatch, streamSeed, type Collected, type DifficultyFilter } from './collect';
import { evaluateArm, type ArmEvaluation } from './evaluate';
import { klK1, measureKl } from './kl';
import { captureLossDetail, inspectedRows, lossSettings, unpackLossDetail } from './lossDetail';
import type { StepResult } from './metrics';
import { CLIP_METRICS, policyLoss } from './policyLoss';
import { uniformArms, verifierReward, type ArmSampler, type RewardFunction } from './rollout';
import { inspectSamples, nonFiniteQuantities, stepMetrics, type StepScalars } from './stepReport';
import { klPlacement, learningRate, type KlPlacement, type RlConfig } from './trainerConfig';
import { NonFiniteStepError, readHostState, TrainingState, uploadHostState, type HostTrainingState } from './trainingState';

export { NonFiniteStepError, type HostTrainingState };
export type { DifficultyFilter };

export interface TrainerOptions {
  reward?: RewardFunction;
  arms?: ArmSampler;
  /** Online difficulty filtering; absent = off. */
  filter?: DifficultyFilter;
  /** The problem stream to continue (a trainer rebuilt after a lost device); default: a new one from the seed. */
  dataRng?: Rng;
  /** Leading rows of the trained batch the inspector gets, with per-token loss detail; default
   *  inspectedRows (whole groups, at least 8). */
  inspectRows?: number;
}

type PackedTensors = { ids: Tensor; positions: Tensor; keyMask: Tensor; targets: Tensor };

/** The trained batch packed for the forward pass, with the rewards the advantages are computed from. */
interface PreparedBatch {
  packed: PackedBatch;
  N: number;
  /** Verifier rewards, less β·Σk1 when the KL is in the reward. */
  rewards: number[];
  /** Completion mask rows to drop from the loss (truncation 'mask'); empty otherwise. */
  maskedRows: number[];
}

/** Metric tensors of the optimise phase, read back together in the report phase. */
type OptimiseOutputs = Record<Exclude<keyof StepScalars, 'fracZero' | 'clipLow' | 'clipHigh' | 'clipRegion'> | 'clipMetrics' | 'perSampleAdv' | 'perSampleAbsAdv' | 'lossDetail', Tensor> & {
  fracZero: number;
};

export class RlTrainer {
  readonly optimizer: AdamW;
  step = 0;
  private readonly reward: RewardFunction;
  private readonly arms: ArmSampler;
  private readonly dataRng: Rng;
  private readonly refParams: GptParams;
  private readonly filter: DifficultyFilter | undefined;
  private readonly inspectRows: number | undefined;
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
    this.inspectRows = options.inspectRows;
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
    const next = new RlTrainer(this.modelConfig, params, this.task, this.config, { reward: this.reward, arms: this.arms, dataRng: this.dataRng, filter: this.filter, inspectRows: this.inspectRows });
    next.loadState(state);
    next.samplesSpent = this.samplesSpent;
    return next;
  }

  /** ref ← current policy, on the device (no readback). */
  private copyIntoReference(): void {
    const backend = getBackend();
    for (const [name, p] of this.params) backend.copyInto(this.refParams.get(name)!.storage, 0, [1], p.storage, [p.size]);
  }

  /** ProRL's hard reset every refResetEvery steps: the reference becomes the current policy and, with
   *  refResetOptimizer (ProRL's recipe), AdamW starts over. True when it happened before this step. */
  private maybeResetReference(): boolean {
    const c = this.config;
    if (!(c.refResetEvery > 0 && this.step > 0 && this.step % c.refResetEvery === 0)) return false;
    this.copyIntoReference();
    if (c.refResetOptimizer) this.optimizer.reset();
    return true;
  }

  async trainStep(): Promise<StepResult> {
    const startedAt = performance.now();
    const referenceReset = this.maybeResetReference();
    const placement = klPlacement(this.config);
    const collected = await collectBatch({
      config: this.config,
      modelConfig: this.modelConfig,
      params: this.params,
      task: this.task,
      arms: this.arms,
      reward: this.reward,
      dataRng: this.dataRng,
      filter: this.filter,
      step: this.step,
      spend: (n) => (this.samplesSpent += n),
    });
    const batch = await this.prepare(collected, placement);
    const lr = learningRate(this.config, this.step);
    this.lastGood.capture(); // on the device, no readback: undone below if the step goes non-finite
    const outputs = this.optimise(batch, collected.zeroAdvantages, placement, lr);
    return this.report(collected, batch, outputs, lr, startedAt, referenceReset);
  }

  /** Packs the trained batch and settles its rewards: KL in the reward costs one extra readback. */
  private async prepare(collected: Collected, placement: KlPlacement): Promise<PreparedBatch> {
    const c = this.config;
    const G = c.samplesPerPrompt;
    const r = collected.r;
    const N = r.samples.length;
    const rowPrompts = r.samples.map((_, i) => r.prompts[Math.floor(i / G)]);
    const promptWidth = Math.max(...rowPrompts.map((p) => p.length));
    const packed = packBatch(rowPrompts, r.completionIds, promptWidth, c.maxNewTokens);
    let rewards = r.rewards.slice();
    if (placement === 'reward') {
      const penalties = await this.klPenalties(packed, N);
      rewards = rewards.map((v, i) => v - penalties[i]);
    }
    const maskedRows = c.truncation === 'mask' ? r.samples.flatMap((s, i) => (s.stopped ? [] : [i])) : [];
    if (maskedRows.length > 0) {
      // TRL's mask_truncated_completions: a truncated row adds nothing to the loss (its mask is zero).
      const mask = packed.completionMask.slice();
      for (const row of maskedRows) mask.fill(0, row * packed.T, (row + 1) * packed.T);
      return { packed: { ...packed, completionMask: mask }, N, rewards, maskedRows };
    }
    return { packed, N, rewards, maskedRows };
  }

  /** β·Σ_t k1 per sample, for KL in the reward (TRL RLOO, verl use_kl_in_reward). */
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

  private packedTensors(packed: PackedBatch, N: number): PackedTensors {
    return {
      ids: tensor(packed.ids, [N, packed.T], 'i32'),
      positions: tensor(packed.positions, [N, packed.T], 'i32'),
      keyMask: tensor(packed.keyMask, [N, packed.T]),
      targets: tensor(packed.targets, [N * packed.T], 'i32'),
    };
  }

  /** Per-token log-probs [N, L] and entropies [N, L] of the packed batch under `params`. */
  private sequenceLogProbs(params: GptParams, packed: PackedBatch, tensors: PackedTensors): { logp: Tensor; entropy: Tensor } {
    const logits = gptForward(this.modelConfig, params, tensors);
    const r = logProbs(logits, tensors.targets, this.config.temperature > 0 ? this.config.temperature : 1);
    return { logp: reshape(r.logp, [packed.B, packed.T]), entropy: reshape(r.entropy, [packed.B, packed.T]) };
  }

  /** Advantages, then ppoEpochs passes of loss → backward → AdamW. Returns the tensors to read back. */
  private optimise(batch: PreparedBatch, zeroAdvantages: boolean, placement: KlPlacement, lr: number): OptimiseOutputs {
    const c = this.config;
    const { packed, N } = batch;
    return tidy(() => {
      const inputs = this.packedTensors(packed, N);
      const mask = tensor(packed.completionMask, [N, packed.T]);
      const ref = noGrad(() => this.sequenceLogProbs(this.refParams, packed, inputs));
      const needOld = c.ppoEpochs > 1 || c.estimator.startsWith('reinforce++');
      const old = needOld ? noGrad(() => this.sequenceLogProbs(this.params, packed, inputs)) : null;
      const tokenKl = placement === 'token-reward' ? noGrad(() => klK1(old!.logp, ref.logp)) : undefined;
      const adv = noGrad(() =>
        computeAdvantages(batch.rewards, mask, { estimator: c.estimator, groupSize: c.samplesPerPrompt, scale: c.rewardScale, klCoef: placement === 'token-reward' ? c.klCoef : 0 }, tokenKl),
      );
      // Filtering let nothing through: the batch carries no policy-gradient signal.
      const advantages = zeroAdvantages ? noGrad(() => mul(adv.advantages, zeros([1]))) : adv.advantages;
      let last: ReturnType<typeof this.optimiseOnce> | null = null;
      const rows = this.rowsInspected(N);
      for (let epoch = 0; epoch < c.ppoEpochs; epoch++) {
        last?.dispose();
        // The inspector's per-token detail is the last pass's: the pass whose loss the step reports.
        const detailRows = epoch === c.ppoEpochs - 1 ? rows : 0;
        last = this.optimiseOnce(packed, inputs, mask, advantages, old?.logp, ref.logp, lr, placement === 'loss' ? c.klCoef : 0, detailRows);
      }
      // Token-mean advantage per sample (what curricula such as DUMP and SEC score arms by), and its |A|.
      const { perSampleAdv, perSampleAbsAdv } = noGrad(() => {
        const tokens = clamp(sum(mask, 1), 1, 3.4e38);
        return { perSampleAdv: div(sum(mul(advantages, mask), 1), tokens), perSampleAbsAdv: div(sum(mul(abs(advantages), mask), 1), tokens) };
      });
      // Σ w² after the update: an overflow here (|w| ≳ 1e19, an absurd learning rate) is caught now,
      // before the next step's forward turns it into NaN with nothing good left to restore.
      const weightSumSq = this.lastGood.paramSumOfSquares();
      return { ...last!.tensors, perSampleAdv, perSampleAbsAdv, weightSumSq, fracZero: adv.fracRewardZeroStd };
    });
  }

  /** One optimisation pass over the batch: loss, backward, AdamW. Returns the metric tensors. */
  private optimiseOnce(packed: PackedBatch, inputs: PackedTensors, mask: Tensor, advantages: Tensor, oldLogp: Tensor | undefined, refLogp: Tensor, lr: number, klInLoss: number, detailRows: number) {
    const c = this.config;
    const tensors = tidy(() => {
      const { logp, entropy } = this.sequenceLogProbs(this.params, packed, inputs);
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
      const detailSources = { logp, oldLogp, refLogp, advantages, entropy, perToken: result.perToken };
      const lossDetail = detailRows > 0 ? captureLossDetail(detailSources, detailRows, packed, c.maxNewTokens) : zeros([1]);
      return {
        loss: result.loss,
        entropy: noGrad(() => maskedTokenMean(entropy, mask)),
        k1: kl.k1,
        k2: kl.k2,
        k3: kl.k3,
        clipMetrics: result.metrics.values,
        lossDetail,
      };
    });
    const { gradNormSquared } = this.optimizer.update(lr);
    const all = { ...tensors, gradNormSq: gradNormSquared };
    return { tensors: all, dispose: () => Object.values(all).forEach((t) => t.dispose()) };
  }

  /** The step's one metrics readback, the non-finite check (undoing the update), the curriculum's
   *  update and the metrics record. */
  private async report(collected: Collected, batch: PreparedBatch, outputs: OptimiseOutputs, lr: number, startedAt: number, referenceReset: boolean): Promise<StepResult> {
    const names = ['loss', 'entropy', 'k1', 'k2', 'k3', 'clipMetrics', 'gradNormSq', 'weightSumSq', 'perSampleAdv', 'perSampleAbsAdv', 'lossDetail'] as const;
    const values = await readAll(names.map((n) => outputs[n]));
    for (const n of names) outputs[n].dispose();
    const at = (n: (typeof names)[number]) => values[names.indexOf(n)];
    const scalars: StepScalars = {
      loss: at('loss')[0],
      entropy: at('entropy')[0],
      k1: at('k1')[0],
      k2: at('k2')[0],
      k3: at('k3')[0],
      clipLow: at('clipMetrics')[CLIP_METRICS.indexOf('clipRatioLow')],
      clipHigh: at('clipMetrics')[CLIP_METRICS.indexOf('clipRatioHigh')],
      clipRegion: at('clipMetrics')[CLIP_METRICS.indexOf('clipRatioRegion')],
      gradNormSq: at('gradNormSq')[0],
      weightSumSq: at('weightSumSq')[0],
      fracZero: outputs.fracZero,
    };
    const advantages = Array.from(at('perSampleAdv'));
    const absAdvantages = Array.from(at('perSampleAbsAdv'));
    const nonFinite = nonFiniteQuantities(scalars);
    if (nonFinite.length > 0) this.lastGood.restore(); // weights and m, v, step as after the last good step
    const r = collected.r;
    const metrics = stepMetrics({ step: this.step, collected, scalars, absAdvantages, learningRate: lr, startedAt, samplesSpent: this.samplesSpent, referenceReset });
    if (nonFinite.length > 0) throw new NonFiniteStepError(nonFinite, metrics);
    this.arms.update?.([
      ...r.samples.map((s, i) => ({ arm: s.problem.arm, reward: r.rewards[i], advantage: advantages[i], absAdvantage: absAdvantages[i] })),
      ...collected.dropped.map((d) => ({ ...d, advantage: 0, absAdvantage: 0 })),
    ]);
    this.step++;
    const rows = this.rowsInspected(batch.N);
    const details = unpackLossDetail({
      values: at('lossDetail'),
      rows,
      width: this.config.maxNewTokens,
      settings: lossSettings(this.config, batch.packed),
      lengths: r.completionIds.slice(0, rows).map((ids) => ids.length),
      counted: Array.from({ length: rows }, (_, i) => !batch.maskedRows.includes(i)),
      shapedRewards: batch.rewards.slice(0, rows),
    });
    return { metrics, samples: inspectSamples(r, advantages, metrics, rows, details) };
  }

  private rowsInspected(N: number): number {
    return Math.min(N, this.inspectRows ?? inspectedRows(N, this.config.samplesPerPrompt));
  }

  /** Held-out pass@k per arm (k = 1, 2, 4, … n) and greedy accuracy, with the training answer budget.
   *  `ruler`: the evaluation's own seed and temperature (default: the run's). */
  async evaluate(armIds: string[], prompts: number, samplesPerPrompt: number, ruler: { seed?: number; temperature?: number } = {}): Promise<ArmEvaluation[]> {
    const out: ArmEvaluation[] = [];
    for (const arm of armIds) {
      out.push(
        await evaluateArm(this.modelConfig, this.params, this.task, arm, {
          prompts,
          samplesPerPrompt,
          temperature: ruler.temperature ?? this.config.temperature,
          seed: ruler.seed ?? this.config.seed,
          maxNewTokens: this.config.maxNewTokens,
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
