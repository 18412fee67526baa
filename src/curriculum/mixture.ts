// Mixture: fixed probabilities ∝ the given weights (e.g. 70 % easy, 30 % hard). Arms without a weight
// get 0; a weight for an arm the run does not train on is an error, not a silent no-op.
import { BaseCurriculum } from './base';
import type { ArmInfo, ScoreLabel } from './types';
import type { CurriculumDescriptor } from './params';

/** Largest mixture weight (weights are relative; the schema clamps links into [0, this]). */
export const MIXTURE_WEIGHT_MAX = 1000;

/** The fixed mixture curriculum as the schema and the config panel see it. */
export const mixtureDescriptor = {
  kind: 'mixture',
  label: 'fixed mixture',
  about: 'Fixed probabilities proportional to the weights below (arms with weight 0 are never drawn).',
  params: {},
} as const satisfies CurriculumDescriptor<'mixture'>;

export class MixtureCurriculum extends BaseCurriculum {
  readonly kind = 'mixture' as const;
  readonly name = 'Fixed mixture';
  protected override readonly scoreLabel: ScoreLabel = 'weight';
  private readonly weights: number[];
  private readonly p: number[];

  constructor(arms: readonly ArmInfo[], weights: Record<string, number>) {
    super(arms);
    const known = new Set(arms.map((a) => a.id));
    for (const [id, w] of Object.entries(weights)) {
      if (!known.has(id)) throw new Error(`curriculum mixture: weight for unknown arm ${JSON.stringify(id)} (arms: ${[...known].join(', ')})`);
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > MIXTURE_WEIGHT_MAX) {
        throw new RangeError(`curriculum mixture: weight of ${id} must be in [0, ${MIXTURE_WEIGHT_MAX}], got ${w}`);
      }
    }
    this.weights = arms.map((a) => (Object.hasOwn(weights, a.id) ? weights[a.id] : 0));
    const total = this.weights.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new RangeError('curriculum mixture: at least one arm needs a positive weight.');
    this.p = this.weights.map((w) => w / total);
  }

  probabilities(): number[] {
    return this.p.slice();
  }

  protected override scores(): number[] {
    return this.weights.slice();
  }
}
