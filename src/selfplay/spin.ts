// SPIN — self-play fine-tuning (Chen et al. 2024; docs/rl-reference.md, "Self-play"). The model plays
// against its previous iterate: iteration t
//   1. the current model (the opponent p_opp = θ_t) answers every prompt of an SFT dataset: y_gen;
//   2. the next model θ is trained to tell the real answers from the opponent's:
//        u = β[(log p_θ(y_real) − log p_θ(y_gen)) − (log p_opp(y_real) − log p_opp(y_gen))]
//        loss = −log σ(u)   (or the hinge max(0, 1 − u))
//      with log p the SUM of the completion tokens' log-probs (EOS included), β = 0.1.
//   3. θ_{t+1} = θ becomes the next opponent.
// SPIN assumes it starts from an SFT model that has saturated on the SFT data; `sftFirst` first runs SFT
// on the SAME pairs until its loss stops moving (sftConverge.ts), and `objective: 'sft'` is the control:
// the same pairs, epochs, batches and lr, trained by plain SFT on the real answers instead of SPIN.
// The opponent is frozen during an iteration, and its only use is log p_opp of the iteration's pairs,
// so those are computed once, before the first update, from the params as they are then — exactly
// what a frozen copy of the weights would give, without keeping a second set of weights.
//
// Metrics follow TRL's DPO names: rewards/real (chosen) = β(log p_θ − log p_opp)(y_real),
// rewards/generated (rejected) likewise, margin = their difference = u, and the discrimination
// accuracy = mean [u > 0]. A pair whose y_gen equals y_real has u ≡ 0 and no gradient (the two
// terms cancel): as the model gets the answers right, SPIN runs out of signal — the fixed point the
// paper proves (p_θ = p_data).
import { AdamW, affine, backward, clamp, exp, log, mean, neg, readAll, relu, scale, slice, sub, tensor, tidy, type Tensor } from '../engine';
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import { SftTrainer } from '../model/sft';
import { createRng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import type { Problem, Task } from '../tasks/task';
import { encodeCompletion, encodePrompt } from '../tasks/tokenizer';
import {
  SELFPLAY_ADAMW, completionLogProbSums, evaluateHeldOut, heldOutSet, meanOf, packSequences, readCompletionLogProbSums, sample, streamSeed,
  summariseHeldOut, type EvalConfig, type HeldOutSummary, type Sequence,
} from './common';
import { withDefaults, type PartialConfig } from './config';
import type { LoopParams } from './params';
import { sftUntilConverged, type ConvergeResult } from './sftConverge';

export type SpinLossType = 'sigmoid' | 'hinge';

export interface SpinConfig {
  seed: number;
  task: string;
  /** Arms the SFT dataset is drawn from. */
  arms: string[];
  /** (prompt, real answer) pairs: drawn once from the training split and reused every iteration. */
  datasetSize: number;
  beta: number;
  loss: SpinLossType;
  /** Passes over the dataset per iteration. */
  epochs: number;
  /** Pairs per optimisation step. */
  batchSize: number;
  lr: number;
  /** Sampling temperature of the opponent's answers. */
  temperature: number;
  eval: EvalConfig;
  evalEvery: number;
  /** 'spin': the SPIN loss; 'sft': the control — plain SFT on the real answers, same pairs, epochs,
   *  batches and lr per iteration. */
  objective: 'spin' | 'sft';
  /** SFT on the same pairs before iteration 0 until converged (maxEpochs 0 = none; the evaluation of
   *  iteration 0 is taken after it, so the loop's effect is read from the converged SFT model). */
  sftFirst: { maxEpochs: number; tolerance: number; minDelta: number; lr: number };
}

export const defaultSpinConfig: SpinConfig = {
  seed: 1,
  task: 'addition',
  arms: ['d1', 'd2'],
  datasetSize: 128,
  beta: 0.1,
  loss: 'sigmoid',
  epochs: 2,
  batchSize: 16,
  // Tuned on the addition checkpoint: 5e-4 wrecks d1 (0.95 → 0.49) in one iteration, 2e-4 oscillates.
  lr: 1e-4,
  temperature: 1,
  eval: { arms: ['d1', 'd2', 'd3'], prompts: 32, samples: 4, greedy: true, seed: 4242 },
  evalEvery: 1,
  objective: 'spin',
  sftFirst: { maxEpochs: 0, tolerance: 0.02, minDelta: 0.005, lr: 1e-3 },
};

/** The knobs the experiment config exposes (the rest keep defaultSpinConfig). */
export const spinParams = {
  beta: { kind: 'number', min: 0.001, max: 10, default: defaultSpinConfig.beta, integer: false, label: 'β', help: 'SPIN\'s β (0.1 in the paper), scaling the log-ratio margin u.' },
  loss: { kind: 'enum', options: ['sigmoid', 'hinge'], default: defaultSpinConfig.loss, label: 'Loss', help: 'sigmoid: −log σ(u) (the paper); hinge: max(0, 1 − u).' },
  datasetSize: {
    kind: 'number', min: 1, max: 4096, default: defaultSpinConfig.datasetSize, integer: true, label: 'Dataset size (pairs)',
    help: '(prompt, real answer) pairs from the training split, drawn once and answered anew by the opponent every iteration.',
  },
  lr: {
    kind: 'number', min: 1e-6, max: 0.1, default: defaultSpinConfig.lr, integer: false, label: 'Learning rate',
    help: 'AdamW learning rate of SPIN. 1e-4 is stable on the addition checkpoint; 5e-4 wrecked d1 in one iteration in the recorded run.',
  },
  objective: {
    kind: 'enum', options: ['spin', 'sft'], default: defaultSpinConfig.objective, label: 'Objective',
    help: 'spin: the SPIN loss against the previous iterate. sft: the control — plain SFT on the same real answers, same epochs, batches and lr.',
  },
  sftEpochs: {
    kind: 'number', min: 0, max: 200, default: defaultSpinConfig.sftFirst.maxEpochs, integer: true, label: 'SFT first: max epochs',
    help: 'Before iteration 0, SFT on the same pairs until the loss changes by less than 2 % (or 0.005 nats) over an epoch, at most this many epochs (0 = none). SPIN assumes an SFT model that has saturated on its data.',
  },
} as const satisfies LoopParams;

/** Beyond |u| = 40 the sigmoid loss is saturated (−log σ(40) ≈ 4e−18); the clamp only keeps exp finite. */
const U_CLAMP = 40;

export type SpinLossResult = {
  /** Scalar mean loss over the pairs. */
  loss: Tensor;
  /** [B] u per pair. */
  u: Tensor;
  /** [B] β(log p_θ − log p_opp)(y_real). */
  rewardsReal: Tensor;
  /** [B] β(log p_θ − log p_opp)(y_gen). */
  rewardsGenerated: Tensor;
};

/**
 * The SPIN loss from summed completion log-probs, each f32 [B]: the policy's (differentiable) and
 * the opponent's (constants) for the real and the generated answers. −log σ(u) is written as
 * log(1 + e^{−u}) so that its gradient at u = 0 — where every pair starts, since θ = opponent — is
 * the exact −½ (a relu/abs "stable softplus" would have a zero subgradient there and never move).
 */
export function spinLoss(
  inputs: { policyReal: Tensor; policyGenerated: Tensor; opponentReal: Tensor; opponentGenerated: Tensor },
  beta: number,
  type: SpinLossType = 'sigmoid',
): SpinLossResult {
  if (!(beta > 0 && Number.isFinite(beta))) throw new Error(`spinLoss: beta must be > 0, got ${beta}.`);
  const rewardsReal = scale(sub(inputs.policyReal, inputs.opponentReal), beta);
  const rewardsGenerated = scale(sub(inputs.policyGenerated, inputs.opponentGenerated), beta);
  const u = sub(rewardsReal, rewardsGenerated);
  const perPair = type === 'hinge' ? relu(affine(u, -1, 1)) : log(affine(exp(neg(clamp(u, -U_CLAMP, U_CLAMP))), 1, 1));
  return { loss: mean(perPair), u, rewardsReal, rewardsGenerated };
}

/** Host reference of the per-pair loss (tests, docs): −log σ(u) or max(0, 1 − u). */
export function spinLossValue(u: number, type: SpinLossType = 'sigmoid'): number {
  return type === 'hinge' ? Math.max(0, 1 - u) : u > 0 ? Math.log1p(Math.exp(-u)) : -u + Math.log1p(Math.exp(u));
}

export interface SpinMetrics {
  iteration: number;
  pairs: number;
  /** Optimisation steps this iteration. */
  steps: number;
  /** Means over the iteration's training batches (TRL logs them per batch). */
  loss: number;
  rewards_real: number;
  rewards_generated: number;
  margin: number;
  discrimination_accuracy: number;
  grad_norm: number;
  /** After the iteration's training, over the whole dataset: mean u and [u > 0] over pairs whose
   *  y_gen differs from y_real (ties have u ≡ 0). */
  end_margin: number;
  end_discrimination_accuracy: number;
  /** Fraction of the opponent's answers equal to the real one (ties: no SPIN signal). */
  generated_equals_real: number;
  /** Fraction of the opponent's answers the verifier accepts. */
  generated_accuracy: number;
  heldout: HeldOutSummary | null;
  examples: string[];
  seconds: number;
}

/** An iteration of the SFT control (objective 'sft'). */
export interface SpinSftMetrics {
  iteration: number;
  pairs: number;
  steps: number;
  /** Mean SFT loss over the iteration's batches. */
  loss: number;
  grad_norm: number;
  heldout: HeldOutSummary | null;
  seconds: number;
}

export class SpinLoop {
  readonly config: SpinConfig;
  readonly task: Task;
  readonly optimizer: AdamW;
  readonly dataset: Problem[];
  iteration = 0;
  /** What the SFT before iteration 0 did (undefined until `prepare` has run). */
  sftFirstResult: ConvergeResult | undefined;
  /** The control's SFT optimiser (objective 'sft'), created at its first iteration. */
  private sft: SftTrainer | undefined;
  private readonly heldOut: ReturnType<typeof heldOutSet>;

  constructor(
    readonly modelConfig: GptConfig,
    readonly params: GptParams,
    config: PartialConfig<SpinConfig> = {},
  ) {
    this.config = withDefaults(defaultSpinConfig, config);
    const c = this.config;
    this.task = getTask(c.task);
    const rng = createRng(streamSeed(c.seed, -1, 3));
    this.dataset = Array.from({ length: c.datasetSize }, () => this.task.generate(rng.pick(c.arms), rng));
    this.optimizer = new AdamW([...params.values()], { ...SELFPLAY_ADAMW, lr: c.lr });
    this.heldOut = heldOutSet(this.task, c.eval);
  }

  evaluate() {
    return evaluateHeldOut(this.modelConfig, this.params, this.task, this.heldOut, this.config.eval);
  }

  /** The real pairs as SFT examples (BOS + prompt → answer + EOS). */
  private realPairs(): Sequence[] {
    return this.dataset.map((p) => ({ prompt: encodePrompt(p.prompt), completion: encodeCompletion(p.answer) }));
  }

  /** SFT on the pairs until converged (`sftFirst`), once; a no-op when maxEpochs is 0 or it has run. */
  async prepare(): Promise<ConvergeResult> {
    if (this.sftFirstResult) return this.sftFirstResult;
    const c = this.config;
    const rng = createRng(streamSeed(c.seed, -1, 5));
    this.sftFirstResult = await sftUntilConverged(this.modelConfig, this.params, this.realPairs(), { ...c.sftFirst, batchSize: c.batchSize }, rng);
    return this.sftFirstResult;
  }

  /** One iteration of the loop's objective: SPIN, or the SFT control (prepared first, once). */
  async runObjectiveIteration(): Promise<SpinMetrics | SpinSftMetrics> {
    return this.config.objective === 'sft' ? this.runSftIteration() : this.runIteration();
  }

  /** The control: `epochs` passes of plain SFT over the same pairs in the same batches and lr. */
  async runSftIteration(): Promise<SpinSftMetrics> {
    await this.prepare();
    const started = performance.now();
    const c = this.config;
    this.sft ??= new SftTrainer(this.modelConfig, this.params, { ...SELFPLAY_ADAMW, lr: c.lr });
    const pairs = this.realPairs();
    const rng = createRng(streamSeed(c.seed, this.iteration, 2));
    let loss = 0;
    let grad = 0;
    let steps = 0;
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      const order = rng.shuffle(pairs.map((_, i) => i));
      for (let start = 0; start < order.length; start += c.batchSize) {
        const r = await this.sft.step(order.slice(start, start + c.batchSize).map((i) => pairs[i]));
        loss += r.loss;
        grad += r.gradNorm;
        steps++;
      }
    }
    this.iteration++;
    const heldout = c.evalEvery > 0 && this.iteration % c.evalEvery === 0 ? summariseHeldOut(await this.evaluate()) : null;
    const n = Math.max(1, steps);
    return { iteration: this.iteration - 1, pairs: pairs.length, steps, loss: loss / n, grad_norm: grad / n, heldout, seconds: (performance.now() - started) / 1000 };
  }

  /** One SPIN iteration (prepared first, once). */
  async runIteration(): Promise<SpinMetrics> {
    await this.prepare();
    const started = performance.now();
    const c = this.config;
    const it = this.iteration;
    const prompts = this.dataset.map((p) => encodePrompt(p.prompt));
    // 1. The opponent (the current params) answers every prompt.
    const gen = await sample(this.modelConfig, this.params, prompts, {
      samplesPerPrompt: 1,
      maxNewTokens: this.task.maxCompletionLength + 1,
      temperature: c.temperature,
      seed: streamSeed(c.seed, it, 1),
    });
    const real: Sequence[] = this.dataset.map((p, i) => ({ prompt: prompts[i], completion: encodeCompletion(p.answer) }));
    const generated: Sequence[] = gen.completionIds.map((completion, i) => ({ prompt: prompts[i], completion }));
    const ties = this.dataset.map((p, i) => gen.texts[i] === p.answer && gen.stopped[i]);
    // 2. The frozen opponent's log-probs, before any update.
    const oppReal = await readCompletionLogProbSums(this.modelConfig, this.params, real);
    const oppGen = await readCompletionLogProbSums(this.modelConfig, this.params, generated);

    // 3. Train the next model against it.
    const rng = createRng(streamSeed(c.seed, it, 2));
    const sums = { loss: 0, real: 0, gen: 0, margin: 0, acc: 0, grad: 0 };
    let steps = 0;
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      const order = rng.shuffle(this.dataset.map((_, i) => i));
      for (let start = 0; start < order.length; start += c.batchSize) {
        const idx = order.slice(start, start + c.batchSize);
        const B = idx.length;
        const outputs = tidy(() => {
          const packed = packSequences([...idx.map((i) => real[i]), ...idx.map((i) => generated[i])]);
          const policy = completionLogProbSums(this.modelConfig, this.params, packed);
          const r = spinLoss(
            {
              policyReal: slice(policy, [0], [B]),
              policyGenerated: slice(policy, [B], [B]),
              opponentReal: tensor(idx.map((i) => oppReal[i])),
              opponentGenerated: tensor(idx.map((i) => oppGen[i])),
            },
            c.beta,
            c.loss,
          );
          backward(r.loss);
          return r;
        });
        const { gradNormSquared } = this.optimizer.update(c.lr);
        const [loss, u, rr, rg, g] = await readAll([outputs.loss, outputs.u, outputs.rewardsReal, outputs.rewardsGenerated, gradNormSquared]);
        for (const t of [outputs.loss, outputs.u, outputs.rewardsReal, outputs.rewardsGenerated, gradNormSquared]) t.dispose();
        sums.loss += loss[0];
        sums.real += meanOf(Array.from(rr));
        sums.gen += meanOf(Array.from(rg));
        sums.margin += meanOf(Array.from(u));
        sums.acc += Array.from(u).filter((v) => v > 0).length / B;
        sums.grad += Math.sqrt(g[0]);
        steps++;
      }
    }
    this.iteration++;

    // 4. How well the trained model tells real from generated, over the whole dataset.
    const endReal = await readCompletionLogProbSums(this.modelConfig, this.params, real);
    const endGen = await readCompletionLogProbSums(this.modelConfig, this.params, generated);
    const endU = this.dataset.map((_, i) => c.beta * (endReal[i] - endGen[i] - (oppReal[i] - oppGen[i])));
    const untied = endU.filter((_, i) => !ties[i]);
    const heldout = c.evalEvery > 0 && this.iteration % c.evalEvery === 0 ? summariseHeldOut(await this.evaluate()) : null;
    const n = Math.max(1, steps);
    return {
      iteration: it,
      pairs: this.dataset.length,
      steps,
      loss: sums.loss / n,
      rewards_real: sums.real / n,
      rewards_generated: sums.gen / n,
      margin: sums.margin / n,
      discrimination_accuracy: sums.acc / n,
      grad_norm: sums.grad / n,
      end_margin: meanOf(endU),
      end_discrimination_accuracy: untied.length ? untied.filter((v) => v > 0).length / untied.length : 0,
      generated_equals_real: ties.filter(Boolean).length / ties.length,
      generated_accuracy: meanOf(this.dataset.map((p, i) => this.task.verify(p, gen.texts[i]).reward)),
      heldout,
      examples: this.dataset.slice(0, 4).map((p, i) => `${p.prompt}${p.answer} vs ${JSON.stringify(gen.texts[i])}`),
      seconds: (performance.now() - started) / 1000,
    };
  }

  dispose(): void {
    this.optimizer.dispose();
    this.sft?.dispose();
  }
}

export function runSpinIteration(loop: SpinLoop): Promise<SpinMetrics | SpinSftMetrics> {
  return loop.runObjectiveIteration();
}
