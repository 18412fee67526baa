// Propose/solve self-play in the style of Absolute Zero (docs/rl-reference.md, "Self-play"): ONE policy
// plays two roles, told apart by the tokenizer's role tokens:
//
//   proposer   [<propose>]                 → a problem in the task's grammar, e.g. `37+48=` (or a tiny
//                                           expression-language program for the `program` task)
//   executor   (no model)                  validates it and computes its answer (proposal.ts: bounded
//                                           length, step-limited program runs, never throws)
//   solver     [<solve>, problem…]         → an answer, G samples per valid proposal
//
// Rewards. Solver: the task's verifier (binary). Proposer: learnability, with acc the solver's mean
// over its G samples: 1 − acc when 0 < acc < 1, else `extremeReward` (0 in the paper, −0.5 in the
// official code); a malformed proposal gets `malformedReward` (−1) — scored, never thrown.
// Advantages are normalised per role (separate GRPO normalisations): the proposer's over the role's
// batch (every proposal shares the one proposer prompt, so that is also its GRPO group — AZR's
// task-relative baseline), the solver's per group of G samples of one problem ('group') or over the
// role's batch ('role', AZR's TRR++). The loss is the sum of the two roles' token-mean losses.
//
// Cold start: a base checkpoint has never seen the role tokens nor written a problem, so before self-play
// a short SFT warm-up (AZR's seed tasks) shows it seed problems of the task after <propose> and their
// answers after <solve>. Held-out accuracy is measured after the warm-up, so self-play's effect is read
// from there. Proposals that land in the task's held-out split are scored for the proposer but never
// trained on by the solver, so the held-out set stays unseen.
//
// References (`references` = K > 0): as Absolute Zero does, each proposal's prompt carries K problems drawn
// from a buffer of past valid proposals (referenceBuffer.ts; seeded with seed problems), and the warm-up
// shows the proposer the same format. K = 0 is the plain `[<propose>]` prompt.
import { AdamW } from '../engine';
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import { SftTrainer, warmupCosine } from '../model/sft';
import { createRng, type Rng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import type { Task } from '../tasks/task';
import { PROPOSE_ID, SOLVE_ID, encode, encodeCompletion } from '../tasks/tokenizer';
import {
  SELFPLAY_ADAMW, distinctRatio, evaluateHeldOut, heldOutSet, meanOf, operandDigits, policyGradientStep, sample, streamSeed,
  summariseHeldOut, type EvalConfig, type HeldOutResult, type HeldOutSummary, type Sequence,
} from './common';
import { withDefaults, type PartialConfig } from './config';
import { DEFAULT_PROPOSAL_MAX_STEPS, executeProposal, type ProposalResult } from './proposal';
import type { LoopParams } from './params';
import { ReferenceBuffer, proposerPromptWithReferences, proposerSequenceLength } from './referenceBuffer';

export interface ProposeSolveConfig {
  seed: number;
  /** The task whose grammar proposals are written in (and whose held-out set is measured). */
  task: string;
  /** Proposals per iteration (the proposer's batch). */
  proposals: number;
  /** G: solver samples per valid proposal (acc is their mean). */
  solverSamples: number;
  proposerTemperature: number;
  solverTemperature: number;
  /** Proposer reward when acc is 0 or 1: 0 (paper) or −0.5 (official code). */
  extremeReward: number;
  /** Proposer reward of a malformed proposal. */
  malformedReward: number;
  /** Step limit for proposed programs (the executor's guard against loops). */
  maxProgramSteps: number;
  /** Solver advantage normalisation: per problem's G samples, or over the whole solver batch. */
  solverAdvantage: 'group' | 'role';
  /** Weight of the proposer's token-mean loss next to the solver's (weight 1). */
  proposerWeight: number;
  lr: number;
  /** SFT on seed problems before self-play (warm-up + cosine to 10 % of lr): teaches the role tokens and
   *  the grammar. On the addition checkpoint 250 steps at 3e-3 give ~90 % valid proposals; they cost the
   *  solver some sampled accuracy (mean@4 d1 0.89 → 0.78, d2 0.63 → 0.50) but not its greedy accuracy. */
  warmup: { steps: number; batchSize: number; lr: number; arms: string[] };
  /** Held-out evaluation of the solver role on the real task; every `evalEvery` iterations (0 = never). */
  eval: EvalConfig;
  evalEvery: number;
  /** K: reference problems from the buffer of past valid proposals in each proposer prompt (0 = none). */
  references: number;
  /** Capacity of that buffer (FIFO). */
  referenceBufferSize: number;
}

export const defaultProposeSolveConfig: ProposeSolveConfig = {
  seed: 1,
  task: 'addition',
  proposals: 16,
  solverSamples: 8,
  proposerTemperature: 1,
  solverTemperature: 1,
  extremeReward: 0,
  malformedReward: -1,
  maxProgramSteps: DEFAULT_PROPOSAL_MAX_STEPS,
  solverAdvantage: 'role',
  proposerWeight: 1,
  lr: 5e-4,
  warmup: { steps: 250, batchSize: 32, lr: 3e-3, arms: ['d1', 'd2'] },
  eval: { arms: ['d1', 'd2', 'd3'], prompts: 32, samples: 4, greedy: true, seed: 4242 },
  evalEvery: 1,
  references: 0,
  referenceBufferSize: 64,
};

/** The knobs the experiment config exposes (the rest keep defaultProposeSolveConfig); src/experiment/
 *  toSelfplayConfig.ts maps them onto the config (warmupSteps → warmup.steps). */
export const proposeSolveParams = {
  proposals: { kind: 'number', min: 1, max: 256, default: defaultProposeSolveConfig.proposals, integer: true, label: 'Proposals per iteration', help: 'Problems the proposer writes per iteration (its GRPO group).' },
  solverSamples: { kind: 'number', min: 1, max: 64, default: defaultProposeSolveConfig.solverSamples, integer: true, label: 'Solver samples (G)', help: 'Answers per valid proposal; acc is their mean.' },
  extremeReward: {
    kind: 'number', min: -1, max: 0, default: defaultProposeSolveConfig.extremeReward, integer: false, label: 'Extreme-value reward',
    help: 'Proposer reward when the solver always or never solves a proposal: 0 in the Absolute Zero paper, −0.5 in its official code.',
  },
  warmupSteps: {
    kind: 'number', min: 0, max: 5000, default: defaultProposeSolveConfig.warmup.steps, integer: true, label: 'Warm-up SFT steps',
    help: 'Supervised steps on seed problems before self-play: half proposer examples (<propose> → problem), half solver examples (<solve> problem → answer).',
  },
  references: {
    kind: 'number', min: 0, max: 3, default: defaultProposeSolveConfig.references, integer: true, label: 'Reference problems (K)',
    help: 'Past valid proposals shown in each proposer prompt (Absolute Zero shows K past triplets). 0 = none; at most 3 fit the 48-token context on addition.',
  },
} as const satisfies LoopParams;

/** Learnability (Absolute Zero): 1 − acc for 0 < acc < 1, else `extremeReward`. */
export function learnabilityReward(accuracy: number, extremeReward = 0): number {
  return accuracy > 0 && accuracy < 1 ? 1 - accuracy : extremeReward;
}

/** The proposer's reward for one proposal: malformed → malformedReward, else learnability of its acc. */
export function proposerReward(result: Pick<ProposalResult, 'ok'>, accuracy: number, c: Pick<ProposeSolveConfig, 'extremeReward' | 'malformedReward'>): number {
  return result.ok ? learnabilityReward(accuracy, c.extremeReward) : c.malformedReward;
}

export interface ProposeSolveMetrics {
  iteration: number;
  proposals: number;
  /** Fraction of proposals the executor accepted. */
  validity_rate: number;
  /** Malformed proposals by reason (a short category). */
  malformed: Record<string, number>;
  /** Distinct valid proposals / valid proposals (1 when none is valid). */
  diversity: number;
  /** Distinct proposals / proposals, malformed included. */
  diversity_all: number;
  proposer_reward: number;
  /** Mean learnability (1 − acc where 0 < acc < 1, else 0) over valid proposals. */
  learnability: number;
  /** Fraction of valid proposals the solver sometimes, but not always, solves. */
  learnable_fraction: number;
  /** What the proposer asks for: solver acc on it, operand digits (digit tasks), length, program steps. */
  difficulty: { solver_accuracy: number; frac_solved_always: number; frac_solved_never: number; operand_digits: number | null; prompt_length: number; program_steps: number | null };
  /** Mean verifier reward of the solver's samples on the valid proposals. */
  solver_accuracy: number;
  /** Valid proposals in the task's held-out split (solved for the proposer's reward, not trained on). */
  held_out_proposals: number;
  loss: number;
  grad_norm: number;
  /** Token-mean entropy of the batch trained on (0 when the update was skipped). */
  entropy: number;
  /** No reward spread in either role (e.g. every proposal malformed): no update this iteration. */
  update_skipped: boolean;
  /** Held-out accuracy of the solver role on the real task (null when not evaluated this iteration). */
  heldout: HeldOutSummary | null;
  /** A few proposals with their solver accuracy ('✗ reason' for malformed ones). */
  examples: string[];
  seconds: number;
}

function reasonCategory(reason: string): string {
  if (reason.startsWith('no EOS')) return 'no_eos';
  if (reason.startsWith('special token') || reason.startsWith('tokens after')) return 'special_token';
  if (reason.startsWith('empty')) return 'empty';
  if (reason.startsWith('longer than')) return 'too_long';
  if (reason.startsWith('limit')) return 'step_limit';
  if (reason.startsWith('runtime')) return 'runtime_error';
  if (reason.startsWith('syntax') || reason.startsWith('not a') || reason.startsWith("a program")) return 'grammar';
  if (reason.startsWith('answer')) return 'answer_too_long';
  return 'other';
}

export class ProposeSolveLoop {
  readonly config: ProposeSolveConfig;
  readonly task: Task;
  readonly optimizer: AdamW;
  iteration = 0;
  warmedUp = false;
  /** Steps and mean loss of the finished warm-up (undefined before it ends, or when it has no steps). */
  warmupSummary: { steps: number; loss: number } | undefined;
  /** The warm-up in progress (its data stream and optimizer), between warmUpStep calls. */
  private seedWarmup: { rng: Rng; sft: SftTrainer; step: number; lossSum: number } | undefined;
  private readonly heldOut: ReturnType<typeof heldOutSet>;
  /** Past valid proposals the proposer's references are drawn from (seeded with seed problems). */
  readonly references: ReferenceBuffer;
  private readonly referenceRng: Rng;

  constructor(
    readonly modelConfig: GptConfig,
    readonly params: GptParams,
    config: PartialConfig<ProposeSolveConfig> = {},
  ) {
    this.config = withDefaults(defaultProposeSolveConfig, config);
    this.task = getTask(this.config.task);
    const c = this.config;
    const need = Math.max(proposerSequenceLength(c.references, this.task.maxPromptLength), 1 + this.task.maxPromptLength + this.task.maxCompletionLength + 1);
    if (need > modelConfig.contextLength) throw new Error(`propose/solve on ${c.task} needs a context of ${need} tokens; the model has ${modelConfig.contextLength}.`);
    if (!(c.proposals >= 1 && c.solverSamples >= 1)) throw new Error('propose/solve: proposals and solverSamples must be >= 1.');
    this.optimizer = new AdamW([...params.values()], { ...SELFPLAY_ADAMW, lr: c.lr });
    this.heldOut = heldOutSet(this.task, c.eval);
    this.references = new ReferenceBuffer(c.referenceBufferSize);
    this.referenceRng = createRng(streamSeed(c.seed, -1, 9));
    if (c.references > 0) {
      const seeds = Array.from({ length: c.referenceBufferSize }, () => this.task.generate(this.referenceRng.pick(c.warmup.arms), this.referenceRng));
      this.references.add(seeds.filter((p) => !this.task.isHeldOut(p)).map((p) => p.prompt));
    }
  }

  /** The proposer's prompt: the <propose> role token (in BOS's place, see solverPrompt). */
  static proposerPrompt(): number[] {
    return [PROPOSE_ID];
  }

  /**
   * The solver's prompt: the <solve> role token IN PLACE OF BOS, then the problem. Not BOS + role token:
   * the model has learned absolute positions, and shifting every character of a problem by one place
   * wrecks a base checkpoint (addition's SFT loss jumps from 0.49 to 4.9), while swapping BOS for an
   * unseen token at position 0 costs next to nothing (0.54) and is learned in a few steps.
   */
  static solverPrompt(problemPrompt: string): number[] {
    return [SOLVE_ID, ...encode(problemPrompt)];
  }

  /** One step of the SFT warm-up on seed problems (half proposer examples, half solver examples), so
   *  a caller can pause between steps; null once the warm-up is over (`warmedUp`). The first call sets
   *  the optimizer up, the last frees it. */
  async warmUpStep(): Promise<{ step: number; total: number; loss: number } | null> {
    const w = this.config.warmup;
    if (this.warmedUp) return null;
    if (w.steps <= 0) {
      this.warmedUp = true;
      return null;
    }
    this.seedWarmup ??= {
      rng: createRng(streamSeed(this.config.seed, -1, 7)),
      sft: new SftTrainer(this.modelConfig, this.params, { lr: w.lr, weightDecay: 0, maxGradNorm: 1 }),
      step: 0,
      lossSum: 0,
    };
    const state = this.seedWarmup;
    const rng = state.rng;
    const K = this.config.references;
    const examples = Array.from({ length: w.batchSize }, (_, i) => {
      const p = this.task.generate(rng.pick(w.arms), rng);
      // With references, the proposer sees K other seed problems before the one it is taught to write.
      const refs = K > 0 && i % 2 === 0 ? Array.from({ length: K }, () => this.task.generate(rng.pick(w.arms), rng).prompt) : [];
      return i % 2 === 0
        ? { prompt: K > 0 ? proposerPromptWithReferences(refs) : ProposeSolveLoop.proposerPrompt(), completion: encodeCompletion(p.prompt) }
        : { prompt: ProposeSolveLoop.solverPrompt(p.prompt), completion: encodeCompletion(p.answer) };
    });
    const { loss } = await state.sft.step(examples, warmupCosine(state.step, w.steps, w.lr, Math.max(1, Math.round(w.steps / 10))));
    state.step++;
    state.lossSum += loss;
    if (state.step >= w.steps) {
      state.sft.dispose();
      this.warmedUp = true;
      this.warmupSummary = { steps: w.steps, loss: state.lossSum / w.steps };
    }
    return { step: state.step, total: w.steps, loss };
  }

  /** The whole warm-up (what is left of it); `onStep` hears each step's loss as it is done. Returns
   *  the steps run and their mean loss ({0, 0} when there was none). */
  async warmUp(onStep?: (step: number, total: number, loss: number) => void): Promise<{ steps: number; loss: number }> {
    for (let p = await this.warmUpStep(); p; p = await this.warmUpStep()) onStep?.(p.step, p.total, p.loss);
    return this.warmupSummary ?? { steps: 0, loss: 0 };
  }

  /** Held-out accuracy of the solver role on the real task's fixed held-out set. */
  evaluate(): Promise<HeldOutResult> {
    return evaluateHeldOut(this.modelConfig, this.params, this.task, this.heldOut, this.config.eval, [SOLVE_ID]);
  }

  async runIteration(): Promise<ProposeSolveMetrics> {
    if (!this.warmedUp) await this.warmUp();
    const started = performance.now();
    const c = this.config;
    const it = this.iteration;
    const G = c.solverSamples;

    // 1. Propose: one shared [<propose>] prompt, or with K references each proposal its own prompt.
    const proposerPrompts = c.references > 0
      ? Array.from({ length: c.proposals }, () => proposerPromptWithReferences(this.references.sample(c.references, this.referenceRng)))
      : [ProposeSolveLoop.proposerPrompt()];
    const proposed = await sample(this.modelConfig, this.params, proposerPrompts, {
      samplesPerPrompt: c.references > 0 ? 1 : c.proposals,
      maxNewTokens: this.task.maxPromptLength + 1,
      temperature: c.proposerTemperature,
      seed: streamSeed(c.seed, it, 1),
    });
    // 2. Execute (validate, compute answers).
    const results = proposed.completionIds.map((ids) => executeProposal(this.task, ids, { maxSteps: c.maxProgramSteps }));
    const valid = results.flatMap((r, i) => (r.ok ? [{ r, i }] : []));

    // 3. Solve: G samples per valid proposal.
    const solverPrompts = valid.map(({ r }) => ProposeSolveLoop.solverPrompt(r.ok ? r.problem.prompt : ''));
    const solved = await sample(this.modelConfig, this.params, solverPrompts, {
      samplesPerPrompt: G,
      maxNewTokens: this.task.maxCompletionLength + 1,
      temperature: c.solverTemperature,
      seed: streamSeed(c.seed, it, 2),
    });
    const accuracy = new Array<number>(results.length).fill(0);
    const solverRows: Sequence[] = [];
    const solverRewards: number[] = [];
    const allSolverRewards: number[] = [];
    let heldOutProposals = 0;
    valid.forEach(({ r, i }, v) => {
      if (!r.ok) return;
      const rewards = Array.from({ length: G }, (_, j) => this.task.verify(r.problem, solved.texts[v * G + j]).reward);
      accuracy[i] = meanOf(rewards);
      allSolverRewards.push(...rewards);
      if (this.task.isHeldOut(r.problem)) {
        heldOutProposals++;
        return;
      }
      for (let j = 0; j < G; j++) solverRows.push({ prompt: solverPrompts[v], completion: solved.completionIds[v * G + j] });
      solverRewards.push(...rewards);
    });

    // 4. Rewards and the update: per-role advantage normalisation.
    const proposerRewards = results.map((r, i) => proposerReward(r, accuracy[i], c));
    const step = await policyGradientStep(
      this.modelConfig,
      this.params,
      this.optimizer,
      [
        { rows: proposed.completionIds.map((completion, i) => ({ prompt: proposerPrompts[c.references > 0 ? i : 0], completion })), rewards: proposerRewards, groupSize: c.proposals, weight: c.proposerWeight },
        { rows: solverRows, rewards: solverRewards, groupSize: c.solverAdvantage === 'group' ? G : Math.max(1, solverRows.length) },
      ],
      { lr: c.lr, temperature: 1 },
    );
    this.iteration++;
    // Valid proposals outside the held-out split join the references' buffer.
    if (c.references > 0) this.references.add(valid.flatMap(({ r }) => (r.ok && !this.task.isHeldOut(r.problem) ? [r.problem.prompt] : [])));

    // 5. Metrics.
    const malformed: Record<string, number> = {};
    for (const r of results) if (!r.ok) malformed[reasonCategory(r.reason)] = (malformed[reasonCategory(r.reason)] ?? 0) + 1;
    const validAcc = valid.map(({ i }) => accuracy[i]);
    const validTexts = valid.map(({ r }) => r.text);
    const digits = valid.map(({ r }) => operandDigits(r.text)).filter((d) => d.length > 0);
    const steps = valid.flatMap(({ r }) => (r.ok && r.steps !== undefined ? [r.steps] : []));
    const heldout = c.evalEvery > 0 && this.iteration % c.evalEvery === 0 ? summariseHeldOut(await this.evaluate()) : null;
    return {
      iteration: it,
      proposals: results.length,
      validity_rate: valid.length / results.length,
      malformed,
      diversity: distinctRatio(validTexts),
      diversity_all: distinctRatio(results.map((r) => r.text)),
      proposer_reward: meanOf(proposerRewards),
      learnability: meanOf(validAcc.map((a) => learnabilityReward(a, 0))),
      learnable_fraction: validAcc.length ? validAcc.filter((a) => a > 0 && a < 1).length / validAcc.length : 0,
      difficulty: {
        solver_accuracy: meanOf(validAcc),
        frac_solved_always: validAcc.length ? validAcc.filter((a) => a === 1).length / validAcc.length : 0,
        frac_solved_never: validAcc.length ? validAcc.filter((a) => a === 0).length / validAcc.length : 0,
        operand_digits: digits.length ? meanOf(digits.map((d) => meanOf(d))) : null,
        prompt_length: meanOf(validTexts.map((t) => t.length)),
        program_steps: steps.length ? meanOf(steps) : null,
      },
      solver_accuracy: meanOf(allSolverRewards),
      held_out_proposals: heldOutProposals,
      loss: step.loss,
      grad_norm: step.gradNorm,
      entropy: step.entropy,
      update_skipped: step.skipped,
      heldout,
      examples: results.slice(0, 6).map((r, i) => (r.ok ? `${r.text} acc ${accuracy[i].toFixed(2)}` : `✗ ${JSON.stringify(r.text)} (${r.reason})`)),
      seconds: (performance.now() - started) / 1000,
    };
  }

  dispose(): void {
    this.optimizer.dispose();
    if (!this.warmedUp) this.seedWarmup?.sft.dispose(); // stopped mid-warm-up
  }
}

/** Functional form: one propose → execute → solve → update iteration of a loop. */
export function runProposeSolveIteration(loop: ProposeSolveLoop): Promise<ProposeSolveMetrics> {
  return loop.runIteration();
}
