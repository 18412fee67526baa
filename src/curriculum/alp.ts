// Absolute learning progress (ALP; Portelas et al. 2019, the discrete-arm teacher of Matiisen et al.):
// sample where accuracy is changing, in either direction (rising = learning, falling = forgetting).
// Per arm, two EMAs of its per-step accuracy (mean reward of its samples that step), updated only on
// steps the arm was drawn and both started at its first value:
//   fast ← fast + fastRate (a − fast),  slow ← slow + slowRate (a − slow),  ALP = |fast − slow|.
// p_j = ε / K + (1 − ε) ALP_j / Σ ALP (uniform while every ALP is 0): ε keeps every arm in view,
// since an arm's progress is only measured when it is sampled.
import { BaseCurriculum, type ArmStepSummary } from './base';
import type { ArmInfo, ScoreLabel } from './curriculum';

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
