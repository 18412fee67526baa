// SEC, self-evolving curriculum (docs/rl-reference.md "Curricula"): a non-stationary bandit whose reward is
// the learning signal the arm just gave, r_c = mean over its samples this step of token-mean |A|, with a
// TD(0) update Q_c ← (1 − α) Q_c + α r_c and p = softmax(Q / τ). Q starts at 0: the first step is uniform.
// Two rules for the arms the step did not draw (`update`):
//  - 'all' (default): every arm is updated every step, an arm not drawn with r_c = 0, so a neglected
//    arm's value decays. This is what the SEC authors' released code does (its bandit fills a zero
//    vector with the drawn categories' mean |A| and applies the TD(0) update to the whole vector);
//  - 'drawn': only the arms drawn this step are updated; the others keep their Q (the textbook
//    bandit's update of the pulled arm). An arm that SEC stops drawing then keeps its old value.
import { BaseCurriculum, softmax, type ArmStepSummary } from './base';
import type { ArmInfo, ScoreLabel } from './types';
import type { CurriculumDescriptor } from './params';

/** Which arms SEC's TD(0) update touches each step (see the file comment). */
export const SEC_UPDATE_RULES = ['all', 'drawn'] as const;
export type SecUpdateRule = (typeof SEC_UPDATE_RULES)[number];
export const SEC_UPDATE_DEFAULT: SecUpdateRule = 'all';
export const SEC_UPDATE_HELP =
  'Which arms the Q update touches each step. all: every arm, an arm not drawn with r = 0 so its value decays (the SEC ' +
  'authors\' released code). drawn: only the arms drawn this step; the others keep their Q.';


/** The SEC (Q bandit on |A|) curriculum as the schema and the config panel see it. */
export const secDescriptor = {
  kind: 'sec',
  label: 'SEC (Q bandit on |A|)',
  about: 'SEC: Q_c ← (1−α)·Q_c + α·r_c (r_c = mean |A| of the arm\'s samples this step); p = softmax(Q / τ). Arms not drawn: updated with r = 0 (the authors\' code) or left alone.',
  params: {
    alpha: { min: 0, max: 1, default: 0.1, integer: false, exclusiveMin: true, label: 'α (Q learning rate)', help: 'SEC: Q_c ← (1−α)·Q_c + α·r_c. Default 0.1, as in the released code; the paper runs 0.5.' },
    tau: { min: 0, max: 100, default: 1, integer: false, exclusiveMin: true, label: 'τ (softmax temperature)', help: 'SEC: p = softmax(Q / τ). Default 1.' },
  },
  choices: { update: { label: 'Q update of arms not drawn', help: SEC_UPDATE_HELP } },
} as const satisfies CurriculumDescriptor<'sec'>;

export class SecCurriculum extends BaseCurriculum {
  readonly kind = 'sec' as const;
  readonly name = 'SEC (Q on mean |A|)';
  protected override readonly scoreLabel: ScoreLabel = 'Q';
  readonly alpha: number;
  readonly tau: number;
  readonly updateRule: SecUpdateRule;
  private readonly q: number[];

  constructor(arms: readonly ArmInfo[], options: { alpha: number; tau: number; update?: SecUpdateRule }) {
    super(arms);
    this.alpha = options.alpha;
    this.tau = options.tau;
    this.updateRule = options.update ?? SEC_UPDATE_DEFAULT;
    this.q = arms.map(() => 0);
  }

  protected override learn(summary: readonly ArmStepSummary[]): void {
    summary.forEach((s, i) => {
      if (s.samples === 0 && this.updateRule === 'drawn') return;
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
