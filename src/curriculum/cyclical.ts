// Cyclical: easy → hard passes repeated every `period` steps (revisiting easy arms fights forgetting).
// Within a pass each arm (sorted by level) holds the same share of the period:
// arm = floor((t mod period) · K / period). A period shorter than the number of arms skips some.
import { BaseCurriculum, byLevel, oneHot } from './base';
import type { ArmInfo } from './types';
import type { CurriculumDescriptor } from './params';

/** The cyclical curriculum as the schema and the config panel see it. */
export const cyclicalDescriptor = {
  kind: 'cyclical',
  label: 'cyclical',
  about: 'Each arm in turn, easy → hard, a full pass every period steps, repeated.',
  params: {
    period: { min: 1, max: 100_000, default: 60, integer: true, label: 'Period (steps)', help: 'Cyclical: steps of one full easy → hard pass.' },
  },
} as const satisfies CurriculumDescriptor<'cyclical'>;

export class CyclicalCurriculum extends BaseCurriculum {
  readonly kind = 'cyclical' as const;
  readonly name = 'Cyclical';
  private readonly order: number[];

  constructor(
    arms: readonly ArmInfo[],
    readonly period: number,
  ) {
    super(arms);
    this.order = byLevel(arms);
  }

  /** The arm (index into the given list) of step t. */
  armAt(step: number): number {
    const K = this.arms.length;
    return this.order[Math.floor(((step % this.period) * K) / this.period)];
  }

  probabilities(): number[] {
    return oneHot(this.arms.length, this.armAt(this.step));
  }
}
