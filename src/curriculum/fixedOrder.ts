// Fixed order: the arms in the order given, stepsPerArm steps each; after the last stage the last arm
// stays (a schedule that ends, unlike the cyclical one). All prompts of a step come from one arm.
import { BaseCurriculum, oneHot } from './base';
import type { ArmInfo } from './types';
import type { CurriculumDescriptor } from './params';

/** The fixed order curriculum as the schema and the config panel see it. */
export const fixedOrderDescriptor = {
  kind: 'fixed-order',
  label: 'fixed order',
  about: 'The arms in order, a fixed number of steps each, then the last one for good.',
  params: {
    stepsPerArm: { min: 1, max: 100_000, default: 50, integer: true, label: 'Steps per arm', help: 'Fixed order: steps spent on each arm before moving to the next.' },
  },
} as const satisfies CurriculumDescriptor<'fixed-order'>;

export class FixedOrderCurriculum extends BaseCurriculum {
  readonly kind = 'fixed-order' as const;
  readonly name = 'Fixed order';

  constructor(
    arms: readonly ArmInfo[],
    readonly stepsPerArm: number,
  ) {
    super(arms);
  }

  /** The arm (index into the given list) of step t. */
  armAt(step: number): number {
    return Math.min(this.arms.length - 1, Math.floor(step / this.stepsPerArm));
  }

  probabilities(): number[] {
    return oneHot(this.arms.length, this.armAt(this.step));
  }
}
