// Mixture: fixed probabilities ∝ the given weights (e.g. 70 % easy, 30 % hard). Arms without a weight
// get 0; a weight for an arm the run does not train on is an error, not a silent no-op.
import { BaseCurriculum } from './base';
import { MIXTURE_WEIGHT_MAX, type ArmInfo, type ScoreLabel } from './curriculum';

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
