// Self-consuming generations (docs/rl-reference.md "Self-play"; "model collapse", Shumailov et al. 2024;
// "Self-consuming generative models go MAD", Alemohammad et al. 2024): generation k is trained by SFT
// on answers SAMPLED FROM generation k − 1, for prompts of the task's training split.
//
//   freshFraction  that fraction of each generation's training set is real (prompt, reference answer)
//                  pairs instead — the "fresh data" loop that is known to keep a model anchored;
//   curate         a verifier filters the synthetic answers (keep only correct ones) — which turns the
//                  loop into rejection-sampling fine-tuning (STaR / RFT);
//   init           'previous': generation k starts from generation k − 1's weights (fine-tuning, cheap);
//                  'base': it starts from the same base weights every time (only the data carries
//                  what earlier generations did).
// Each generation gets a fresh optimiser. Per generation the loop reports held-out accuracy, the
// diversity of the answers (distinct answers among n samples of the same prompt) and the distribution
// of output lengths, the quantities in which collapse would show.
//
//   temperatureSchedule 'bstar': B-STaR (./bstar.ts) — every generation samples the prompts at each
//                  temperature of `temperatureGrid` and trains on the temperature whose samples have the
//                  highest mean balance score (n* = `bstarTarget`); 'fixed' samples at `temperature` only.
//                  Either way the generation reports the balance score, exploration (pass@k, distinct
//                  correct answers) and exploitation (Reward@k, AUCs) of the samples it trained on.
import { getBackend, tensor } from '../engine';
import { argmax, explorationExploitation, meanBalanceScore, type ExplorationExploitation, type ScoredSample } from './bstar';
import type { GptConfig } from '../model/config';
import { readParams, type GptParams } from '../model/params';
import { SftTrainer, type SftExample } from '../model/sft';
import { createRng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import type { Task } from '../tasks/task';
import { encodeCompletion, encodePrompt } from '../tasks/tokenizer';
import { evaluateHeldOut, heldOutSet, lengthHistogram, meanOf, sample, streamSeed, summariseHeldOut, type EvalConfig, type HeldOutSummary, type Samples } from './common';
import { withDefaults, type PartialConfig } from './config';
import type { LoopParams } from './params';

export interface SelfConsumingConfig {
  seed: number;
  task: string;
  /** Arms the training prompts are drawn from. */
  arms: string[];
  /** Training prompts per generation (fresh prompts each generation; the answers are what is synthetic). */
  prompts: number;
  /** Answers sampled from the previous generation per synthetic prompt. */
  samplesPerPrompt: number;
  /** Sampling temperature of the synthetic answers ('fixed' schedule). */
  temperature: number;
  /** 'fixed': sample at `temperature`; 'bstar': pick the temperature of the grid with the best balance score. */
  temperatureSchedule: 'fixed' | 'bstar';
  /** The temperatures B-STaR chooses from, each generation. */
  temperatureGrid: number[];
  /** B-STaR's n*: distinct correct answers per prompt that earn the full exploration factor. */
  bstarTarget: number;
  /** Fraction of the prompts that get their real answer instead of a sampled one. */
  freshFraction: number;
  /** Keep only synthetic answers the verifier accepts. */
  curate: boolean;
  init: 'previous' | 'base';
  sftSteps: number;
  batchSize: number;
  lr: number;
  eval: EvalConfig;
}

export const defaultSelfConsumingConfig: SelfConsumingConfig = {
  seed: 1,
  task: 'addition',
  arms: ['d1', 'd2'],
  prompts: 256,
  samplesPerPrompt: 1,
  temperature: 1,
  temperatureSchedule: 'fixed',
  temperatureGrid: [0.5, 0.7, 0.9, 1.1, 1.3],
  bstarTarget: 2,
  freshFraction: 0,
  curate: false,
  init: 'previous',
  sftSteps: 24,
  batchSize: 32,
  lr: 1e-3,
  eval: { arms: ['d1', 'd2'], prompts: 32, samples: 8, greedy: true, seed: 4242 },
};

/** The knobs the experiment config exposes (the rest keep defaultSelfConsumingConfig). */
export const selfConsumingParams = {
  prompts: {
    kind: 'number', min: 1, max: 4096, default: defaultSelfConsumingConfig.prompts, integer: true, label: 'Prompts per generation',
    help: 'Training prompts of each generation (new ones every generation; the answers are what is synthetic).',
  },
  freshFraction: { kind: 'number', min: 0, max: 1, default: defaultSelfConsumingConfig.freshFraction, integer: false, label: 'Fresh fraction', help: 'Share of the prompts trained on their real answer instead of a sampled one.' },
  curate: { kind: 'boolean', default: defaultSelfConsumingConfig.curate, label: 'Verifier curation', help: 'Keep only the sampled answers the verifier accepts: rejection-sampling fine-tuning (STaR / RFT).' },
  samplesPerPrompt: {
    kind: 'number', min: 1, max: 64, default: defaultSelfConsumingConfig.samplesPerPrompt, integer: true, label: 'Samples per prompt',
    help: 'Answers sampled from the previous generation per prompt (k): B-STaR counts distinct correct ones among them.',
  },
  temperature: { kind: 'number', min: 0.1, max: 2, default: defaultSelfConsumingConfig.temperature, integer: false, label: 'Sampling temperature', help: 'Temperature of the sampled answers (the fixed schedule).' },
  temperatureSchedule: {
    kind: 'enum', options: ['fixed', 'bstar'], default: defaultSelfConsumingConfig.temperatureSchedule, label: 'Temperature schedule',
    help: 'fixed: sample at the temperature above. bstar: each generation samples at 0.5, 0.7, 0.9, 1.1 and 1.3 and trains on the one with the highest B-STaR balance score.',
  },
  bstarTarget: { kind: 'number', min: 1, max: 64, default: defaultSelfConsumingConfig.bstarTarget, integer: true, label: 'B-STaR n*', help: 'Distinct correct answers per prompt that earn the balance score\'s full exploration factor.' },
  sftSteps: { kind: 'number', min: 1, max: 1000, default: defaultSelfConsumingConfig.sftSteps, integer: true, label: 'SFT steps per generation', help: 'Supervised steps (batches of 32) that train each generation on its data.' },
} as const satisfies LoopParams;

/** What a generation looks like on the held-out prompts. */
export interface GenerationEval {
  heldout: HeldOutSummary;
  /** Per arm, held-out pass@k at k = 1, 2, 4 … eval.samples. */
  heldout_pass_at_k: Record<string, Record<string, number>>;
  /** Mean over held-out prompts of distinct answers / samples. */
  diversity: number;
  entropy: number;
  /** Counts of completion lengths (tokens, EOS included) 0..maxNewTokens of every held-out sample. */
  length_histogram: number[];
  mean_length: number;
}

export interface SelfConsumingMetrics extends GenerationEval {
  /** The generation this call trained (1 = trained on the base's samples). */
  generation: number;
  train: {
    examples: number;
    real: number;
    synthetic: number;
    /** Synthetic answers sampled, and the fraction of them the verifier accepts (before any curation). */
    candidates: number;
    candidate_accuracy: number;
    /** Fraction of the training set (real + synthetic) that is correct. */
    data_accuracy: number;
    loss: number;
  };
  /** B-STaR's view of the samples: the temperature trained on, its balance score, and (bstar) every
   *  candidate temperature's balance score keyed `t<temperature>` (t0.5: a key that is not an integer keeps the grid's order). */
  bstar: { temperature: number; balance: number; balance_at: Record<string, number>; samples_drawn: number };
  /** Exploration and exploitation of the samples trained on (the synthetic prompts, k samples each). */
  explore: Pick<ExplorationExploitation, 'pass_at_k' | 'distinct_correct' | 'accuracy'>;
  exploit: Pick<ExplorationExploitation, 'reward_at_k' | 'auc_shaped' | 'auc_confidence'>;
  seconds: number;
}

export class SelfConsumingLoop {
  readonly config: SelfConsumingConfig;
  readonly task: Task;
  generation = 0;
  private baseValues: Map<string, Float32Array> | null = null;
  private readonly heldOut: ReturnType<typeof heldOutSet>;

  constructor(
    readonly modelConfig: GptConfig,
    readonly params: GptParams,
    config: PartialConfig<SelfConsumingConfig> = {},
  ) {
    this.config = withDefaults(defaultSelfConsumingConfig, config);
    const c = this.config;
    if (!(c.freshFraction >= 0 && c.freshFraction <= 1)) throw new Error(`self-consuming: freshFraction must be in [0, 1], got ${c.freshFraction}.`);
    if (c.temperatureSchedule === 'bstar' && c.temperatureGrid.length === 0) throw new Error('self-consuming: B-STaR needs at least one temperature in its grid.');
    this.task = getTask(c.task);
    this.heldOut = heldOutSet(this.task, c.eval);
  }

  /** The current generation on the held-out set. */
  async evaluate(): Promise<GenerationEval> {
    const h = await evaluateHeldOut(this.modelConfig, this.params, this.task, this.heldOut, this.config.eval);
    return {
      heldout: summariseHeldOut(h),
      heldout_pass_at_k: h.passAtK,
      diversity: h.diversity,
      entropy: h.entropy,
      length_histogram: lengthHistogram(h.lengths, this.task.maxCompletionLength + 1),
      mean_length: meanOf(h.lengths),
    };
  }

  /** Params ← the base weights, in place (the caller's tensors stay the same objects). */
  private resetToBase(): void {
    const backend = getBackend();
    for (const [name, p] of this.params) {
      const t = tensor(this.baseValues!.get(name)!, p.shape);
      backend.copyInto(p.storage, 0, [1], t.storage, [p.size]);
      t.dispose();
    }
  }

  /** Samples generation k − 1's data, trains generation k on it, evaluates it. */
  async runGeneration(): Promise<SelfConsumingMetrics> {
    const started = performance.now();
    const c = this.config;
    const k = this.generation + 1;
    if (c.init === 'base' && !this.baseValues) this.baseValues = await readParams(this.params);
    const rng = createRng(streamSeed(c.seed, k, 1));
    const problems = Array.from({ length: c.prompts }, () => this.task.generate(rng.pick(c.arms), rng));
    const nReal = Math.round(c.prompts * c.freshFraction);
    const realSet = problems.slice(0, nReal);
    const synthSet = problems.slice(nReal);

    // 1. The previous generation writes the synthetic answers: at the fixed temperature, or at every
    //    temperature of B-STaR's grid, keeping the one with the best balance score.
    const temperatures = c.temperatureSchedule === 'bstar' ? c.temperatureGrid : [c.temperature];
    const candidates: { temperature: number; samples: Samples; scored: ScoredSample[][]; balance: number }[] = [];
    for (const temperature of temperatures) {
      const samples = await sample(this.modelConfig, this.params, synthSet.map((p) => encodePrompt(p.prompt)), {
        samplesPerPrompt: c.samplesPerPrompt,
        maxNewTokens: this.task.maxCompletionLength + 1,
        temperature,
        // The same stream at every temperature: the candidates differ by the temperature, not by luck.
        seed: streamSeed(c.seed, k, 2),
      });
      const scored = synthSet.map((problem, i) =>
        samples.texts.slice(i * c.samplesPerPrompt, (i + 1) * c.samplesPerPrompt).map((text, j): ScoredSample => {
          const verdict = this.task.verify(problem, text);
          const correct = verdict.reward > 0;
          // The shaped reward: the task's partial credit (full credit iff right where it has none).
          return { text, correct, shaped: verdict.components.partial ?? (correct ? 1 : 0), confidence: samples.meanLogProbs[i * c.samplesPerPrompt + j] };
        }),
      );
      candidates.push({ temperature, samples, scored, balance: meanBalanceScore(scored, c.bstarTarget) });
    }
    const chosen = candidates[argmax(candidates.map((x) => x.balance))];
    const s = chosen.samples;
    const examples: SftExample[] = realSet.map((p) => ({ prompt: encodePrompt(p.prompt), completion: encodeCompletion(p.answer) }));
    let correctCandidates = 0;
    let correctSynthetic = 0;
    let synthetic = 0;
    s.completionIds.forEach((ids, r) => {
      const problem = synthSet[Math.floor(r / c.samplesPerPrompt)];
      const correct = chosen.scored[Math.floor(r / c.samplesPerPrompt)][r % c.samplesPerPrompt].correct;
      if (correct) correctCandidates++;
      if (c.curate && !correct) return;
      // Trained on exactly what it sampled: a clipped answer (no EOS) teaches running on.
      examples.push({ prompt: encodePrompt(problem.prompt), completion: ids });
      synthetic++;
      if (correct) correctSynthetic++;
    });

    // 2. Generation k: from the previous weights or from the base, fresh optimiser, SFT on the data.
    if (c.init === 'base') this.resetToBase();
    let loss = 0;
    if (examples.length > 0) {
      const sft = new SftTrainer(this.modelConfig, this.params, { lr: c.lr, weightDecay: 0, maxGradNorm: 1 });
      const order = createRng(streamSeed(c.seed, k, 3));
      try {
        for (let step = 0; step < c.sftSteps; step++) {
          const batch = Array.from({ length: Math.min(c.batchSize, examples.length) }, () => order.pick(examples));
          loss += (await sft.step(batch)).loss / c.sftSteps;
        }
      } finally {
        sft.dispose();
      }
    }
    this.generation = k;
    const ee = explorationExploitation(chosen.scored);
    const evaluation = await this.evaluate();
    return {
      generation: k,
      train: {
        examples: examples.length,
        real: realSet.length,
        synthetic,
        candidates: s.texts.length,
        candidate_accuracy: s.texts.length ? correctCandidates / s.texts.length : 0,
        data_accuracy: examples.length ? (realSet.length + correctSynthetic) / examples.length : 0,
        loss,
      },
      bstar: {
        temperature: chosen.temperature,
        balance: chosen.balance,
        balance_at: Object.fromEntries(candidates.map((x) => [`t${x.temperature}`, x.balance])),
        samples_drawn: candidates.reduce((n, x) => n + x.samples.texts.length, 0),
      },
      explore: { pass_at_k: ee.pass_at_k, distinct_correct: ee.distinct_correct, accuracy: ee.accuracy },
      exploit: { reward_at_k: ee.reward_at_k, auc_shaped: ee.auc_shaped, auc_confidence: ee.auc_confidence },
      ...evaluation,
      seconds: (performance.now() - started) / 1000,
    };
  }

  /** Alias of runGeneration: one loop iteration = one generation. */
  runIteration(): Promise<SelfConsumingMetrics> {
    return this.runGeneration();
  }

  dispose(): void {
    this.baseValues = null;
  }
}

export function runSelfConsumingGeneration(loop: SelfConsumingLoop): Promise<SelfConsumingMetrics> {
  return loop.runGeneration();
}
