// Easy → hard: the arms sorted by level, and a target position that slides linearly from the easiest
// arm at step 0 to the hardest at step totalSteps (then stays). Between two arms the probability is
// split linearly, so the batch shifts gradually instead of jumping: with 3 arms and totalSteps = 4,
// steps 0, 1, 2, 3, 4 put [1,0,0], [½,½,0], [0,1,0], [0,½,½], [0,0,1] on easy, medium, hard.
import { BaseCurriculum, byLevel } from './base';
import type { ArmInfo } from './curriculum';

export class EasyToHardCurriculum extends BaseCurriculum {
  readonly kind = 'easy-to-hard' as const;
  readonly name = 'Easy → hard';
  private readonly order: number[];

  constructor(
    arms: readonly ArmInfo[],
    readonly totalSteps: number,
  ) {
    super(arms);
    this.order = byLevel(arms);
  }

  /** Probabilities (given-list order) at step t. */
  probabilitiesAt(step: number): number[] {
    const K = this.arms.length;
    const p = this.arms.map(() => 0);
    if (K === 1) return [1];
    const x = (K - 1) * Math.min(1, step / this.totalSteps);
    const lo = Math.floor(x);
    const frac = x - lo;
    p[this.order[lo]] += 1 - frac;
    if (frac > 0) p[this.order[lo + 1]] += frac;
    return p;
  }

  probabilities(): number[] {
    return this.probabilitiesAt(this.step);
  }
}
