// SEC, self-evolving curriculum (docs/rl-reference.md "Curricula"): a non-stationary bandit whose reward is
// the learning signal the arm just gave, r_c = mean over its samples this step of token-mean |A|.
// Every step, for EVERY arm: Q_c ← (1 − α) Q_c + α r_c, where an arm not drawn gets r_c = 0 (so a
// neglected arm's value decays); then p = softmax(Q / τ). Q starts at 0: the first step is uniform.
import { BaseCurriculum, softmax, type ArmStepSummary } from './base';
import type { ArmInfo, ScoreLabel } from './types';
import type { CurriculumDescriptor } from './params';

/** The SEC (Q bandit on |A|) curriculum as the schema and the config panel see it. */
export const secDescriptor = {
  kind: 'sec',
  label: 'SEC (Q bandit on |A|)',
  about: 'SEC: Q_c ← (1−α)·Q_c + α·r_c every step (r_c = mean |A| of the arm\'s samples this step, 0 if none drawn); p = softmax(Q / τ).',
  params: {
    alpha: { min: 0, max: 1, default: 0.1, integer: false, exclusiveMin: true, label: 'α (Q learning rate)', help: 'SEC: Q_c ← (1−α)·Q_c + α·r_c. Default 0.1; the paper runs 0.5.' },
    tau: { min: 0, max: 100, default: 1, integer: false, exclusiveMin: true, label: 'τ (softmax temperature)', help: 'SEC: p = softmax(Q / τ). Default 1.' },
  },
} as const satisfies CurriculumDescriptor<'sec'>;

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
