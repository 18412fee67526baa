// One-shot and few-shot RL (Wang et al. 2025, "Reinforcement Learning for Reasoning in Large Language
// Models with One Training Example"): training draws its problems from a fixed pool of `perArm` problems
// per arm instead of a fresh problem at every draw. Each arm's pool is drawn once, from `seed`, with the
// task's own generator, so it holds training problems only (never held-out ones); the held-out
// evaluation (evalSet) is untouched and measures what carries over beyond the pool.
import { createRng, type Rng } from './random';
import type { Problem, Task } from './task';

/** The most problems per arm a pool may hold (beyond this, a fresh draw is the same experiment). */
export const TRAINING_POOL_MAX = 1000;

/** The seed of an arm's pool: the pool seed mixed with the arm's index, so arms get unrelated pools. */
function armPoolSeed(seed: number, armIndex: number): number {
  let h = (seed ^ Math.imul(armIndex + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** The fixed training problems of one arm (what `withTrainingPool` draws from). */
export function trainingPool(task: Task, armId: string, perArm: number, seed: number): Problem[] {
  if (!Number.isInteger(perArm) || perArm < 1 || perArm > TRAINING_POOL_MAX) {
    throw new RangeError(`training pool: problems per arm must be an integer in [1, ${TRAINING_POOL_MAX}], got ${perArm}`);
  }
  const index = task.arms.findIndex((a) => a.id === armId);
  const rng = createRng(armPoolSeed(seed, index));
  return Array.from({ length: perArm }, () => task.generate(armId, rng));
}

/** The task with `generate` drawing uniformly from each arm's fixed pool (built on first use). */
export function withTrainingPool(task: Task, perArm: number, seed: number): Task {
  const pools = new Map<string, Problem[]>();
  const poolOf = (armId: string): Problem[] => {
    let pool = pools.get(armId);
    if (!pool) {
      pool = trainingPool(task, armId, perArm, seed);
      pools.set(armId, pool);
    }
    return pool;
  };
  return { ...task, generate: (armId: string, rng: Rng) => rng.pick(poolOf(armId)) };
}
