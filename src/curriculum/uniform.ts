// Uniform: every arm equally likely, drawn exactly as the trainer's default uniformArms draws them
// (rng.pick), so a run with the uniform curriculum reproduces a run without one.
import type { Rng } from '../tasks/random';
import { BaseCurriculum } from './base';
import type { CurriculumDescriptor } from './params';

/** The uniform curriculum as the schema and the config panel see it. */
export const uniformDescriptor = {
  kind: 'uniform',
  label: 'uniform',
  about: 'Every training arm equally likely.',
  params: {},
} as const satisfies CurriculumDescriptor<'uniform'>;

export class UniformCurriculum extends BaseCurriculum {
  readonly kind = 'uniform' as const;
  readonly name = 'Uniform';

  probabilities(): number[] {
    return this.arms.map(() => 1 / this.arms.length);
  }

  override chooseArms(count: number, rng: Rng): string[] {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`chooseArms: count must be a non-negative integer, got ${count}`);
    const indices = this.arms.map((_, i) => i);
    return Array.from({ length: count }, () => this.take(rng.pick(indices)));
  }
}
