// The interface every verifiable task implements, plus the shared machinery: held-out split,
// seeded generation that respects it, and the scoring helpers verifiers build on.
import { createRng, hashString, type Rng } from './random';

/** A difficulty setting: the unit a curriculum chooses between. Tasks add their own parameters. */
export interface TaskArm {
  readonly id: string;
  readonly label: string;
  /** 1 = easiest. Arms of one task are listed in increasing level. */
  readonly level: number;
}

export interface Problem {
  /** Id of the task that made it (problems of several tasks can share a batch). */
  task: string;
  /** What the policy sees after BOS, e.g. `12+7=`. */
  prompt: string;
  /** One reference answer (the only one, except for tasks like countdown with many valid answers). */
  answer: string;
  /** Id of the arm it was drawn from ('custom' for problems built from an arbitrary prompt). */
  arm: string;
  meta?: Record<string, unknown>;
}

export interface RewardComponents {
  /** 1 when the completion has the expected shape (e.g. only digits, a parsable expression). */
  format: number;
  /** 1 when the completion is a right answer. */
  correctness: number;
  /** Partial credit in [0, 1] (e.g. fraction of digits right), for reward shaping; not every task has it. */
  partial?: number;
  [name: string]: number | undefined;
}

export interface Reward {
  /** The verifiable reward: equal to `components.correctness` (binary). Shaping is the reward layer's job. */
  reward: number;
  components: RewardComponents;
  /** A short human-readable reason, for the inspector (e.g. "uses 7 twice"). */
  detail?: string;
}

export interface Task {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly arms: readonly TaskArm[];
  /** Longest prompt of any arm, in characters = tokens (BOS not counted). */
  readonly maxPromptLength: number;
  /** Longest answer the verifier accepts, in characters = tokens (EOS not counted). */
  readonly maxCompletionLength: number;
  /** The default answer budget (new tokens, EOS included): the longest answer, EOS, and a margin of half
   *  the longest answer (answerBudgetOf). Below longest + 1, right answers are cut off. */
  readonly answerBudget: number;
  /** A training problem of the arm: seeded, never a held-out one. Throws on an unknown arm id. */
  generate(armId: string, rng: Rng): Problem;
  /** Whether the problem belongs to the held-out evaluation split (a deterministic hash of the prompt). */
  isHeldOut(problem: Pick<Problem, 'prompt'>): boolean;
  /** n held-out problems of the arm, deterministic in seed; distinct unless the arm has fewer than n. */
  evalSet(armId: string, n: number, seed: number): Problem[];
  /** Scores a completion (text before EOS). Never throws, whatever the completion. */
  verify(problem: Problem, completion: string): Reward;
  /** The problem a prompt poses, with its answer computed — or null if it is not a valid prompt of this
   * task. Lets self-play loops check and solve proposed problems. */
  fromPrompt(prompt: string): Problem | null;
}

/** Fraction of prompts that are held out for evaluation, in 1/1000. */
export const HELD_OUT_PER_MILLE = 100;

/** murmur3's 32-bit finaliser: spreads FNV's weak low bits before taking a remainder. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The split depends on the prompt alone, so it is the same for every arm, seed, run and machine. */
export function isHeldOutPrompt(prompt: string): boolean {
  return mix32(hashString(prompt)) % 1000 < HELD_OUT_PER_MILLE;
}

export interface TaskSpec<A extends TaskArm> {
  id: string;
  title: string;
  description: string;
  arms: readonly A[];
  maxPromptLength: number;
  maxCompletionLength: number;
  /** Draws any problem of the arm (training or held-out); `defineTask` does the split. */
  sample(arm: A, rng: Rng): Omit<Problem, 'task' | 'arm'>;
  /** Scores a completion; may assume the problem came from this task, but must not throw on any string. */
  score(problem: Problem, completion: string): Reward;
  fromPrompt(prompt: string): Omit<Problem, 'task' | 'arm'> | null;
  /** Which arm a custom prompt fits (defaults to 'custom'). */
  armOf?(problem: Omit<Problem, 'task' | 'arm'>): string | undefined;
}

const MAX_DRAWS = 100_000;

/** Builds a Task from the task-specific parts, adding the held-out split and the never-throw guard. */
export function defineTask<A extends TaskArm>(spec: TaskSpec<A>): Task {
  const armById = new Map(spec.arms.map((a) => [a.id, a]));
  const getArm = (armId: string): A => {
    const arm = armById.get(armId);
    if (!arm) {
      throw new Error(`task ${spec.id}: unknown arm ${JSON.stringify(armId)} (arms: ${[...armById.keys()].join(', ')})`);
    }
    return arm;
  };
  const make = (arm: A, rng: Rng): Problem => ({ task: spec.id, arm: arm.id, ...spec.sample(arm, rng) });

  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    arms: spec.arms,
    maxPromptLength: spec.maxPromptLength,
    maxCompletionLength: spec.maxCompletionLength,
    answerBudget: answerBudgetOf(spec),
    isHeldOut: (problem) => isHeldOutPrompt(problem.prompt),
    generate(armId, rng) {
      const arm = getArm(armId);
      for (let i = 0; i < MAX_DRAWS; i++) {
        const problem = make(arm, rng);
        if (!isHeldOutPrompt(problem.prompt)) return problem;
      }
      throw new Error(`task ${spec.id}: arm ${armId} produced only held-out prompts in ${MAX_DRAWS} draws`);
    },
    evalSet(armId, n, seed) {
      const arm = getArm(armId);
      const rng = createRng(seed);
      const found = new Map<string, Problem>();
      // Stop looking for new prompts after a long dry spell: small arms have few held-out prompts.
      let sinceNew = 0;
      for (let draws = 0; found.size < n && draws < MAX_DRAWS && sinceNew < 5_000; draws++) {
        const problem = make(arm, rng);
        sinceNew++;
        if (isHeldOutPrompt(problem.prompt) && !found.has(problem.prompt)) {
          found.set(problem.prompt, problem);
          sinceNew = 0;
        }
      }
      const distinct = [...found.values()];
      if (n > 0 && distinct.length === 0) {
        throw new Error(`task ${spec.id}: arm ${armId} has no held-out prompts`);
      }
      // Fewer held-out prompts than asked: cycle through them (pass@k on a small arm is still meaningful).
      return Array.from({ length: n }, (_, i) => distinct[i % distinct.length]);
    },
    verify(problem, completion) {
      if (typeof completion !== 'string') return zeroReward('completion is not a string');
      if (completion.length > spec.maxCompletionLength) {
        return zeroReward(`overlong: ${completion.length} > ${spec.maxCompletionLength} characters`);
      }
      try {
        return spec.score(problem, completion);
      } catch (error) {
        // A verifier bug must not take a run down; score it zero and say why.
        return zeroReward(`verifier error: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    fromPrompt(prompt) {
      if (typeof prompt !== 'string' || prompt.length > spec.maxPromptLength) return null;
      let core: Omit<Problem, 'task' | 'arm'> | null;
      try {
        core = spec.fromPrompt(prompt);
      } catch {
        return null;
      }
      if (!core) return null;
      return { task: spec.id, arm: spec.armOf?.(core) ?? 'custom', ...core };
    },
  };
}

/**
 * The default answer budget: every valid answer and its EOS fit, plus a margin of half the longest
 * answer. Why the margin: a policy that rambles past the longest valid answer is wrong either way, but
 * with room to stop by itself such completions end as overlong answers instead of being cut off, so
 * "cut off" stays rare (under 2 % on every shipped base checkpoint) and means "far too long"; DAPO's soft
 * overlong ramp (src/rl/truncation.ts) lives in that margin. Measured on sorting's base (len8): a budget
 * of exactly 13 cut off 11 % of completions, 19–20 about 1 %.
 */
export function answerBudgetOf(task: Pick<Task, 'maxCompletionLength'>): number {
  return task.maxCompletionLength + 1 + Math.ceil(task.maxCompletionLength / 2);
}

export function zeroReward(detail?: string): Reward {
  return { reward: 0, components: { format: 0, correctness: 0 }, ...(detail ? { detail } : {}) };
}

export function makeReward(format: boolean, correct: boolean, extra: Partial<RewardComponents> = {}, detail?: string): Reward {
  const correctness = format && correct ? 1 : 0;
  return {
    reward: correctness,
    components: { format: format ? 1 : 0, correctness, ...extra },
    ...(detail ? { detail } : {}),
  };
}

/** Fraction of positions where two strings agree, over the longer length (left-aligned). */
export function positionalMatch(got: string, want: string): number {
  const n = Math.max(got.length, want.length);
  if (n === 0) return 1;
  let same = 0;
  for (let i = 0; i < Math.min(got.length, want.length); i++) if (got[i] === want[i]) same++;
  return same / n;
}

/** Like positionalMatch but aligned at the right end: the units digit against the units digit. */
export function digitMatch(got: string, want: string): number {
  const rev = (s: string) => [...s].reverse().join('');
  return positionalMatch(rev(got), rev(want));
}

const INTEGER = /^(0|-?[1-9][0-9]*)$/;

/**
 * The usual scoring for tasks whose answer is one canonical string: format by regex (default: a
 * canonical integer), correctness by exact match, optional partial credit.
 */
export function scoreExact(
  completion: string,
  answer: string,
  options: { format?: RegExp; partial?: (got: string, want: string) => number } = {},
): Reward {
  const format = (options.format ?? INTEGER).test(completion);
  const correct = completion === answer;
  const extra = options.partial ? { partial: format ? options.partial(completion, answer) : 0 } : {};
  const detail = completion.length === 0 ? 'empty completion' : !format ? 'malformed answer' : correct ? undefined : `expected ${answer}`;
  return makeReward(format, correct, extra, detail);
}

/** Max over arms of a length function, for maxPromptLength / maxCompletionLength. */
export function maxOver<A>(arms: readonly A[], length: (arm: A) => number): number {
  return Math.max(...arms.map(length));
}
