// Five samples to try reward code on: problems from the task's own generator (seeded by the
// experiment's seed), with the reference answer as the completion for some and a wrong answer for
// the others, so both sides of a reward show. The verifier's verdict rides along for comparison.
import type { ExperimentConfig } from '../../experiment/schema';
import type { RewardInput } from '../../rewards';
import { getTask } from '../../tasks/registry';
import { createRng } from '../../tasks/random';
import type { Problem, Task } from '../../tasks/task';

export interface RewardTestSample {
  input: RewardInput;
  /** Whether the completion is the reference answer (the first, third and fifth are). */
  kind: 'reference' | 'wrong';
  /** The built-in verifier's reward for the same completion. */
  verifier: number;
}

/** A completion the verifier rejects: the reference with one character changed. */
export function wrongAnswer(task: Task, problem: Problem): string {
  const a = problem.answer;
  const candidates: string[] = [];
  if (a.length > 0) {
    const last = a[a.length - 1];
    if (/[0-9]/.test(last)) candidates.push(a.slice(0, -1) + String((Number(last) + 1) % 10));
    if (a.length > 1 && a[0] !== a[1]) candidates.push(a[1] + a[0] + a.slice(2));
    candidates.push(a.slice(0, -1));
  }
  candidates.push(`${a}0`, '0', '');
  return candidates.find((c) => task.verify(problem, c).reward === 0) ?? '';
}

export function rewardTestSamples(config: ExperimentConfig, count = 5): RewardTestSample[] {
  const task = getTask(config.task.id);
  const known = task.arms.map((a) => a.id);
  const arms = config.task.arms.filter((a) => known.includes(a));
  const pool = arms.length > 0 ? arms : known;
  const rng = createRng(config.seed);
  return Array.from({ length: count }, (_, i) => {
    const problem = task.generate(pool[i % pool.length], rng);
    const kind = i % 2 === 0 ? 'reference' : 'wrong';
    const completion = kind === 'reference' ? problem.answer : wrongAnswer(task, problem);
    return {
      input: { prompt: problem.prompt, completion, answer: problem.answer, task: task.id, arm: problem.arm },
      kind,
      verifier: task.verify(problem, completion).reward,
    };
  });
}
