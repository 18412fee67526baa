// Cyclical: easy → hard passes repeated every `period` steps (revisiting easy arms fights forgetting).
// Within a pass each arm (sorted by level) holds the same share of the period:
// arm = floor((t mod period) · K / period). A period shorter than the number of arms skips some.
import { BaseCurriculum, byLevel, oneHot } from './base';
import type { ArmInfo } from './curriculum';

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
