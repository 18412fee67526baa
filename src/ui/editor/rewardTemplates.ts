// The reward API as a d.ts for the editor's IntelliSense, and starting templates. User code defines
// `function reward(input)` and runs only in the reward sandbox worker (src/rewards/sandbox).

export const REWARD_API_DTS = `
/** One completion to score. Your code runs in a sandboxed worker: no DOM, no network, no storage,
 *  no timers; a batch that runs past its time budget is stopped. */
interface RewardInput {
  /** What the policy saw, e.g. "12+7=". */
  prompt: string;
  /** The policy's answer (the text before EOS). */
  completion: string;
  /** The task's reference answer (one valid answer; countdown has many). */
  answer: string;
  /** Task id, e.g. "addition". */
  task: string;
  /** Arm (difficulty level) id, e.g. "d2". */
  arm: string;
}

/** A finite number, or the reward with named components (each plotted per step). */
type RewardResult = number | { reward: number; components?: Record<string, number> };

/** Define this function: reward({ prompt, completion, answer, task, arm }) => number | { reward, components }. */
type RewardFunction = (input: RewardInput) => RewardResult;
`;

export interface RewardTemplate {
  id: string;
  title: string;
  code: string;
}

export const REWARD_TEMPLATES: readonly RewardTemplate[] = [
  {
    id: 'exact-match',
    title: 'Exact match',
    code: `// Exact match: 1 when the completion is the reference answer, else 0.
// (The built-in verifier also accepts other valid answers, e.g. in countdown.)
/** @type {RewardFunction} */
function reward({ completion, answer }) {
  return completion.trim() === answer ? 1 : 0;
}
`,
  },
  {
    id: 'short-answers',
    title: 'Short answers only',
    code: `// Right answers score 1 only when they are no longer than the reference;
// every extra character costs 0.1. Components show up as their own plots.
/** @type {RewardFunction} */
function reward({ completion, answer }) {
  const correct = completion.trim() === answer ? 1 : 0;
  const extra = Math.max(0, completion.length - answer.length);
  return { reward: correct - 0.1 * extra, components: { correct, extra } };
}
`,
  },
  {
    id: 'format-only',
    title: 'Format only (reward hacking)',
    code: `// Format only: rewards the shape of an answer, never its correctness.
// Watch the reward climb while pass@1 does not: the policy learns what is rewarded.
/** @type {RewardFunction} */
function reward({ completion, answer }) {
  const digitsOnly = /^[0-9]+$/;
  if (digitsOnly.test(answer)) return digitsOnly.test(completion) ? 1 : 0;
  return completion.length === answer.length ? 1 : 0;
}
`,
  },
];
