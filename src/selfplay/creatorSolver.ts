// Creator/solver self-play in the style of eva (asymmetric self-play; docs/rl-reference.md "Self-play"):
//
//   creator  keeps a buffer of prompts, each scored by a regret proxy — max − mean of the solver's
//            rewards on its group of G samples (for a binary verifier: 1 − acc when some sample is
//            right, 0 when all are right or all wrong). It evolves new prompts from the most
//            informative ones by task-parameter mutations: change one digit of an operand, give every
//            operand one more digit (harder), or one fewer (easier); the task's fromPrompt validates each child and computes
//            its answer, and children in the held-out split are thrown away.
//   solver   the policy, trained by the existing RlTrainer (GRPO by default) on a batch that mixes
//            replayed buffer prompts, freshly evolved children and fresh prompts from the task.
//
// The trainer draws its own problems, so the loop hands it a Task whose generate() serves a queue of
// the chosen prompts (the arm of each is its source: fresh / evolved / replay, so the trainer's
// per-arm metrics are per source), and a reward function that records each group's rewards for the
// buffer. The creator is not a model here (eva's creator is the same LLM rewriting prompts); the
// mutations are the "task-parameter" edits a digit task allows, which keeps every prompt verifiable.
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import { verifierReward, type ArmSampler, type RewardFunction } from '../rl/rollout';
import type { StepMetrics } from '../rl/metrics';
import { RlTrainer } from '../rl/trainer';
import { defaultRlConfig, type RlConfig } from '../rl/trainerConfig';
import { createRng, type Rng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import type { Problem, Task } from '../tasks/task';
import { evaluateHeldOut, heldOutSet, meanOf, operandDigits, streamSeed, summariseHeldOut, type EvalConfig, type HeldOutSummary } from './common';
import { withDefaults, type PartialConfig } from './config';
import type { LoopParams } from './params';

export type PromptSource = 'fresh' | 'evolved' | 'replay';

export interface CreatorSolverConfig {
  seed: number;
  task: string;
  /** Arms fresh prompts are drawn from. */
  arms: string[];
  /** Most prompts the buffer holds; the least informative (then the oldest) are evicted. */
  bufferSize: number;
  /** Fraction of each batch drawn fresh from the task. */
  freshFraction: number;
  /** Fraction of each batch that is newly evolved children (the rest replays buffer prompts). */
  evolveFraction: number;
  /** Parents are drawn from this many most informative buffer prompts. */
  parentPool: number;
  /** Mutation attempts per child before giving up (a child must be valid, new and not held out). */
  mutationTries: number;
  /** Solver settings (the RlTrainer's config); promptsPerStep is the batch B. */
  rl: Partial<RlConfig>;
  eval: EvalConfig;
  evalEvery: number;
}

export const defaultCreatorSolverConfig: CreatorSolverConfig = {
  seed: 1,
  task: 'addition',
  arms: ['d1', 'd2', 'd3'],
  bufferSize: 64,
  freshFraction: 0.25,
  evolveFraction: 0.5,
  parentPool: 8,
  mutationTries: 20,
  rl: { promptsPerStep: 16, samplesPerPrompt: 8, lr: 5e-4, temperature: 1 },
  eval: { arms: ['d1', 'd2', 'd3'], prompts: 32, samples: 4, greedy: true, seed: 4242 },
  evalEvery: 1,
};

/** The regret proxy of a group: max − mean of its rewards (0 for an empty group). */
/** The knobs the experiment config exposes (the rest keep defaultCreatorSolverConfig; the solver takes
 *  the experiment's Algorithm section). */
export const creatorSolverParams = {
  bufferSize: { kind: 'number', min: 1, max: 4096, default: defaultCreatorSolverConfig.bufferSize, integer: true, label: 'Buffer size', help: 'Most prompts the creator keeps; the least informative (then the oldest) are evicted.' },
  freshFraction: { kind: 'number', min: 0, max: 1, default: defaultCreatorSolverConfig.freshFraction, integer: false, label: 'Fresh fraction', help: 'Share of each batch drawn fresh from the task.' },
  evolveFraction: {
    kind: 'number', min: 0, max: 1, default: defaultCreatorSolverConfig.evolveFraction, integer: false, label: 'Evolved fraction',
    help: 'Share of each batch that is newly evolved children of informative buffer prompts (the rest replays buffer prompts).',
  },
} as const satisfies LoopParams;

export function regretProxy(rewards: readonly number[]): number {
  return rewards.length === 0 ? 0 : Math.max(...rewards) - meanOf(rewards);
}

export type MutationOp = 'digit' | 'grow' | 'shrink';

/** [start, end) of every maximal run of digits: the numbers of a prompt (operands, lists, literals). */
function digitRuns(prompt: string): [number, number][] {
  const runs: [number, number][] = [];
  for (const m of prompt.matchAll(/[0-9]+/g)) runs.push([m.index!, m.index! + m[0].length]);
  return runs;
}

/**
 * One task-parameter mutation of a prompt's numbers, or null if none applies:
 *   digit   one digit of one number changes (same shape, different carries: the fine-grained knob);
 *   grow    EVERY number gets one more digit (addition d2 → d3: the arm's digit count goes up);
 *   shrink  every number of two or more digits loses one (d2 → d1).
 * grow/shrink change all numbers together so that `12+47=` becomes `132+457=`, not `132+47=`: a
 * base model trained on equal-length operands has never seen mixed lengths, and children it cannot
 * read at all are no use to a curriculum.
 */
export function mutateText(prompt: string, op: MutationOp, rng: Rng): string | null {
  const runs = digitRuns(prompt);
  if (runs.length === 0) return null;
  const randomDigit = () => String(rng.nextInt(0, 9));
  if (op === 'digit') {
    const [start, end] = rng.pick(runs);
    const at = rng.nextInt(start, end - 1);
    return prompt.slice(0, at) + randomDigit() + prompt.slice(at + 1);
  }
  if (op === 'shrink' && runs.every(([start, end]) => end - start < 2)) return null;
  // Edit right to left so earlier offsets stay valid.
  let out = prompt;
  for (const [start, end] of [...runs].reverse()) {
    if (op === 'grow') {
      const at = rng.nextInt(start, end); // insert before position `at` (end = append)
      out = out.slice(0, at) + randomDigit() + out.slice(at);
    } else if (end - start >= 2) {
      const at = rng.nextInt(start, end - 1);
      out = out.slice(0, at) + out.slice(at + 1);
    }
  }
  return out;
}

/**
 * A child of `parent`: a random mutation, validated by the task (grammar, answer), different from the
 * parent, not in the held-out split, answer within the completion budget. null after `tries` failures.
 */
export function evolvePrompt(task: Task, parent: Problem, rng: Rng, tries = 20): Problem | null {
  const ops: MutationOp[] = ['digit', 'digit', 'grow', 'shrink'];
  for (let t = 0; t < tries; t++) {
    const op = rng.pick(ops);
    const text = mutateText(parent.prompt, op, rng);
    if (text === null || text === parent.prompt) continue;
    const child = task.fromPrompt(text);
    if (!child || task.isHeldOut(child) || child.answer.length > task.maxCompletionLength) continue;
    return { ...child, meta: { ...(child.meta ?? {}), parent: parent.prompt, op } };
  }
  return null;
}

export interface BufferEntry {
  problem: Problem;
  /** max − mean reward of its last group. */
  regret: number;
  /** Mean reward of its last group. */
  accuracy: number;
  /** Times the solver trained on it. */
  visits: number;
  /** Iteration it entered the buffer. */
  born: number;
  origin: 'fresh' | 'evolved';
  /** Mutations from a fresh ancestor (0 for fresh prompts). */
  depth: number;
}

export interface CreatorSolverMetrics {
  iteration: number;
  /** Prompts of each source in the batch. */
  batch: Record<PromptSource, number>;
  /** Mean reward of the solver's samples (the RL batch). */
  solver_accuracy: number;
  accuracy_by_source: Partial<Record<PromptSource, number>>;
  /** Mean regret proxy of the batch's groups, and the fraction with regret > 0 (a learning signal). */
  informativeness: number;
  informative_fraction: number;
  regret_by_source: Partial<Record<PromptSource, number>>;
  buffer: { size: number; informativeness: number; informative_fraction: number; difficulty: number; operand_digits: number | null; mean_depth: number };
  /** Children made / children asked for. */
  mutation_success: number;
  /** The trainer's step metrics (loss, entropy, KL, …) for this iteration. */
  rl: Pick<StepMetrics, 'loss' | 'entropy' | 'grad_norm' | 'frac_reward_zero_std'> & { kl_k3: number };
  heldout: HeldOutSummary | null;
  /** A few evolved children: `parent → child (op) acc`. */
  examples: string[];
  seconds: number;
}

export class CreatorSolverLoop {
  readonly config: CreatorSolverConfig;
  readonly task: Task;
  readonly trainer: RlTrainer;
  readonly buffer = new Map<string, BufferEntry>();
  iteration = 0;
  private readonly queue: Problem[] = [];
  private readonly groups = new Map<Problem, number[]>();
  private readonly rng: Rng;
  private readonly heldOut: ReturnType<typeof heldOutSet>;

  constructor(
    readonly modelConfig: GptConfig,
    readonly params: GptParams,
    config: PartialConfig<CreatorSolverConfig> = {},
  ) {
    this.config = withDefaults(defaultCreatorSolverConfig, config);
    const c = this.config;
    this.task = getTask(c.task);
    this.rng = createRng(streamSeed(c.seed, -1, 5));
    const base = this.task;
    const fallbackRng = createRng(streamSeed(c.seed, -1, 6));
    // The trainer's view of the task: generate() serves the creator's queue.
    const queued: Task = { ...base, generate: () => this.queue.shift() ?? { ...base.generate(fallbackRng.pick(c.arms), fallbackRng), arm: 'fresh' } };
    const arms: ArmSampler = { chooseArms: (count) => new Array<string>(count).fill('queue') };
    const verify = verifierReward(base);
    const reward: RewardFunction = async (samples) => {
      const out = await verify(samples);
      samples.forEach((s, i) => {
        const group = this.groups.get(s.problem) ?? [];
        group.push(out.rewards[i]);
        this.groups.set(s.problem, group);
      });
      return out;
    };
    const rl: RlConfig = { ...defaultRlConfig, maxNewTokens: base.maxCompletionLength + 1, ...c.rl, seed: c.seed };
    this.trainer = new RlTrainer(modelConfig, params, queued, rl, { reward, arms });
    this.heldOut = heldOutSet(this.task, c.eval);
  }

  evaluate() {
    return evaluateHeldOut(this.modelConfig, this.params, this.task, this.heldOut, this.config.eval);
  }

  /** Buffer entries with regret > 0, most informative first (ties: newest first). */
  informative(): BufferEntry[] {
    return [...this.buffer.values()].filter((e) => e.regret > 0).sort((a, b) => b.regret - a.regret || b.born - a.born);
  }

  /** The next batch: evolved children of informative prompts, replays of them, fresh prompts. */
  private composeBatch(B: number): { problems: Problem[]; asked: number; made: number } {
    const c = this.config;
    const ranked = this.informative();
    const parents = ranked.slice(0, Math.max(1, c.parentPool));
    const nEvolve = ranked.length > 0 ? Math.round(B * c.evolveFraction) : 0;
    const nFresh = Math.round(B * c.freshFraction);
    const problems: Problem[] = [];
    const seen = new Set<string>();
    const add = (p: Problem, source: PromptSource) => {
      if (seen.has(p.prompt)) return false;
      seen.add(p.prompt);
      problems.push({ ...p, arm: source });
      return true;
    };
    let made = 0;
    for (let i = 0; i < nEvolve; i++) {
      const parent = this.rng.pick(parents).problem;
      const child = evolvePrompt(this.task, parent, this.rng, c.mutationTries);
      if (child && !this.buffer.has(child.prompt) && add(child, 'evolved')) made++;
    }
    for (const e of ranked) {
      if (problems.length >= B - nFresh) break;
      add(e.problem, 'replay');
    }
    while (problems.length < B) add(this.task.generate(this.rng.pick(c.arms), this.rng), 'fresh');
    return { problems, asked: nEvolve, made };
  }

  async runIteration(): Promise<CreatorSolverMetrics> {
    const started = performance.now();
    const c = this.config;
    const it = this.iteration;
    const B = this.trainer.config.promptsPerStep;
    const { problems, asked, made } = this.composeBatch(B);
    this.queue.length = 0;
    this.queue.push(...problems);
    this.groups.clear();
    const { metrics } = await this.trainer.trainStep();
    this.queue.length = 0;

    // Score the batch and update the buffer.
    const bySource = new Map<PromptSource, { acc: number[]; regret: number[] }>();
    const regrets: number[] = [];
    const examples: string[] = [];
    for (const [problem, rewards] of this.groups) {
      const source = problem.arm as PromptSource;
      const regret = regretProxy(rewards);
      const accuracy = meanOf(rewards);
      regrets.push(regret);
      const s = bySource.get(source) ?? { acc: [], regret: [] };
      s.acc.push(accuracy);
      s.regret.push(regret);
      bySource.set(source, s);
      const old = this.buffer.get(problem.prompt);
      const parent = typeof problem.meta?.parent === 'string' ? this.buffer.get(problem.meta.parent) : undefined;
      this.buffer.set(problem.prompt, {
        problem: old?.problem ?? { ...problem, arm: source === 'fresh' ? 'fresh' : 'evolved' },
        regret,
        accuracy,
        visits: (old?.visits ?? 0) + 1,
        born: old?.born ?? it,
        origin: old?.origin ?? (source === 'fresh' ? 'fresh' : 'evolved'),
        depth: old?.depth ?? (parent ? parent.depth + 1 : source === 'fresh' ? 0 : 1),
      });
      if (source === 'evolved' && examples.length < 4) examples.push(`${String(problem.meta?.parent)} → ${problem.prompt} (${String(problem.meta?.op)}) acc ${accuracy.toFixed(2)}`);
    }
    this.evict();
    this.iteration++;

    const entries = [...this.buffer.values()];
    const digits = entries.map((e) => operandDigits(e.problem.prompt)).filter((d) => d.length > 0);
    const count = (s: PromptSource) => problems.filter((p) => p.arm === s).length;
    const heldout = c.evalEvery > 0 && this.iteration % c.evalEvery === 0 ? summariseHeldOut(await this.evaluate()) : null;
    const perSource = <K extends 'acc' | 'regret'>(k: K) =>
      Object.fromEntries([...bySource].map(([s, v]) => [s, meanOf(v[k])])) as Partial<Record<PromptSource, number>>;
    return {
      iteration: it,
      batch: { fresh: count('fresh'), evolved: count('evolved'), replay: count('replay') },
      solver_accuracy: metrics.reward,
      accuracy_by_source: perSource('acc'),
      informativeness: meanOf(regrets),
      informative_fraction: regrets.length ? regrets.filter((r) => r > 0).length / regrets.length : 0,
      regret_by_source: perSource('regret'),
      buffer: {
        size: entries.length,
        informativeness: meanOf(entries.map((e) => e.regret)),
        informative_fraction: entries.length ? entries.filter((e) => e.regret > 0).length / entries.length : 0,
        difficulty: meanOf(entries.map((e) => 1 - e.accuracy)),
        operand_digits: digits.length ? meanOf(digits.map((d) => meanOf(d))) : null,
        mean_depth: meanOf(entries.map((e) => e.depth)),
      },
      mutation_success: asked > 0 ? made / asked : 0,
      rl: { loss: metrics.loss, entropy: metrics.entropy, grad_norm: metrics.grad_norm, frac_reward_zero_std: metrics.frac_reward_zero_std, kl_k3: metrics.kl.k3 },
      heldout,
      examples,
      seconds: (performance.now() - started) / 1000,
    };
  }

  /** Keep the bufferSize most informative entries (ties: the newest). */
  private evict(): void {
    const cap = this.config.bufferSize;
    if (this.buffer.size <= cap) return;
    const keep = [...this.buffer.values()].sort((a, b) => b.regret - a.regret || b.born - a.born).slice(0, cap);
    this.buffer.clear();
    for (const e of keep) this.buffer.set(e.problem.prompt, e);
  }

  dispose(): void {
    this.trainer.dispose();
  }
}

export function runCreatorSolverIteration(loop: CreatorSolverLoop): Promise<CreatorSolverMetrics> {
  return loop.runIteration();
}
