// Easy → hard: the arms sorted by level, and a target position that slides linearly from the easiest
// arm at step 0 to the hardest at step totalSteps (then stays). Between two arms the probability is
// split linearly, so the batch shifts gradually instead of jumping: with 3 arms and totalSteps = 4,
// steps 0, 1, 2, 3, 4 put [1,0,0], [½,½,0], [0,1,0], [0,½,½], [0,0,1] on easy, medium, hard.
import { BaseCurriculum, byLevel } from './base';
import type { ArmInfo } from './types';
import type { CurriculumDescriptor } from './params';

/** The easy → hard schedule curriculum as the schema and the config panel see it. */
export const easyToHardDescriptor = {
  kind: 'easy-to-hard',
  label: 'easy → hard schedule',
  about: 'A target level slides from the easiest arm (step 0) to the hardest (step totalSteps); its probability is split between the two neighbouring arms.',
  params: {
    totalSteps: { min: 1, max: 100_000, default: 200, integer: true, label: 'Schedule length (steps)', help: 'Easy → hard: the step at which the target level reaches the hardest arm.' },
  },
} as const satisfies CurriculumDescriptor<'easy-to-hard'>;

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
