// Group-relative advantage normalisation (GRPO family), on the backend: no per-sample work in JS.
import type { AdvantageScale } from '../backend';
import { ShapeError } from '../errors';
import { wrap } from '../tape';
import type { Tensor } from '../tensor';

/** rewards f32 [numGroups * groupSize] (group-major) -> advantages, as docs/rl-reference.md defines (TRL). */
export function groupAdvantages(rewards: Tensor, groupSize: number, scale: AdvantageScale = 'group', eps = 1e-4): Tensor {
  if (!Number.isInteger(groupSize) || groupSize < 1 || rewards.size % groupSize !== 0) {
    throw new ShapeError(`groupAdvantages: ${rewards.size} rewards cannot be split into groups of ${groupSize}.`);
  }
  const numGroups = rewards.size / groupSize;
  return wrap(rewards.backend.groupAdvantages(rewards.storage, numGroups, groupSize, scale, eps), rewards.shape);
}
