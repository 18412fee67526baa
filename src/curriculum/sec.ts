// SEC, self-evolving curriculum (RL_REFERENCE.md "Curricula"): a non-stationary bandit whose reward is
// the learning signal the arm just gave, r_c = mean over its samples this step of token-mean |A|.
// Every step, for EVERY arm: Q_c ← (1 − α) Q_c + α r_c, where an arm not drawn gets r_c = 0 (so a
// neglected arm's value decays); then p = softmax(Q / τ). Q starts at 0: the first step is uniform.
import { BaseCurriculum, softmax, type ArmStepSummary } from './base';
import type { ArmInfo, ScoreLabel } from './curriculum';

export class SecCurriculum extends BaseCurriculum {
  readonly kind = 'sec' as const;
  readonly name = 'SEC (Q on mean |A|)';
  protected override readonly scoreLabel: ScoreLabel = 'Q';
  readonly alpha: number;
  readonly tau: number;
  private readonly q: number[];

  constructor(arms: readonly ArmInfo[], options: { alpha: number; tau: number }) {
    super(arms);
    this.alpha = options.alpha;
    this.tau = options.tau;
    this.q = arms.map(() => 0);
  }

  protected override learn(summary: readonly ArmStepSummary[]): void {
    summary.forEach((s, i) => {
      const r = s.samples > 0 ? s.meanAbsAdvantage : 0;
      this.q[i] = (1 - this.alpha) * this.q[i] + this.alpha * r;
    });
  }

  probabilities(): number[] {
    return softmax(this.q, this.tau);
  }

  protected override scores(): number[] {
    return this.q.slice();
  }
}
