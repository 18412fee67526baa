// Absolute learning progress (ALP; Portelas et al. 2019, the discrete-arm teacher of Matiisen et al.):
// sample where accuracy is changing, in either direction (rising = learning, falling = forgetting).
// Per arm, two EMAs of its per-step accuracy (mean reward of its samples that step), updated only on
// steps the arm was drawn and both started at its first value:
//   fast ← fast + fastRate (a − fast),  slow ← slow + slowRate (a − slow),  ALP = |fast − slow|.
// p_j = ε / K + (1 − ε) ALP_j / Σ ALP (uniform while every ALP is 0): ε keeps every arm in view,
// since an arm's progress is only measured when it is sampled.
import { BaseCurriculum, type ArmStepSummary } from './base';
import type { ArmInfo, ScoreLabel } from './types';
import type { CurriculumDescriptor } from './params';

/** The absolute learning progress curriculum as the schema and the config panel see it. */
export const alpDescriptor = {
  kind: 'alp',
  label: 'absolute learning progress',
  about: 'Absolute learning progress: |fast EMA − slow EMA| of each arm\'s accuracy; p ∝ ALP, mixed with uniform by ε.',
  params: {
    fastRate: { min: 0, max: 1, default: 0.3, integer: false, exclusiveMin: true, label: 'Fast EMA rate', help: 'ALP: rate of the fast moving average of each arm\'s accuracy.' },
    slowRate: { min: 0, max: 1, default: 0.05, integer: false, exclusiveMin: true, label: 'Slow EMA rate', help: 'ALP: rate of the slow moving average; ALP = |fast − slow|.' },
    epsilon: { min: 0, max: 1, default: 0.2, integer: false, label: 'ε (uniform mix)', help: 'ALP: p = (1−ε)·ALP-proportional + ε·uniform, so no arm is starved.' },
  },
} as const satisfies CurriculumDescriptor<'alp'>;

export class AlpCurriculum extends BaseCurriculum {
  readonly kind = 'alp' as const;
  readonly name = 'Absolute learning progress';
  protected override readonly scoreLabel: ScoreLabel = 'ALP';
  readonly fastRate: number;
  readonly slowRate: number;
  readonly epsilon: number;
  private readonly fast: (number | null)[];
  private readonly slow: (number | null)[];

  constructor(arms: readonly ArmInfo[], options: { fastRate: number; slowRate: number; epsilon: number }) {
    super(arms);
    this.fastRate = options.fastRate;
    this.slowRate = options.slowRate;
    this.epsilon = options.epsilon;
    this.fast = arms.map(() => null);
    this.slow = arms.map(() => null);
  }

  protected override learn(summary: readonly ArmStepSummary[]): void {
    summary.forEach((s, i) => {
      if (s.samples === 0) return;
      const a = s.meanReward;
      const f = this.fast[i];
      const w = this.slow[i];
      this.fast[i] = f === null ? a : f + this.fastRate * (a - f);
      this.slow[i] = w === null ? a : w + this.slowRate * (a - w);
    });
  }

  progress(): number[] {
    return this.fast.map((f, i) => (f === null ? 0 : Math.abs(f - this.slow[i]!)));
  }

  probabilities(): number[] {
    const alp = this.progress();
    const K = this.arms.length;
    const total = alp.reduce((a, b) => a + b, 0);
    if (!(total > 0)) return alp.map(() => 1 / K);
    return alp.map((v) => this.epsilon / K + ((1 - this.epsilon) * v) / total);
  }

  protected override scores(): number[] {
    return this.progress();
  }
}
