// DUMP (RL_REFERENCE.md "Curricula"): an arm is worth sampling while its samples still carry
// advantage. μ_j = mean |Â| over the arm's last `window` samples (Â = the sample's token-mean
// advantage; 0 before any), plus a UCB exploration bonus that shrinks as the arm is sampled:
//   UCB_j = μ_j + sqrt(2 ln(N + 1) / (n_j + 1)),   p = softmax(UCB / temperature).
// n_j counts the arm's samples (completions) seen by update(), all time, and N = Σ_j n_j — the same
// unit as the window. Before any update every UCB is 0: the first step is uniform.
import { BaseCurriculum, softmax } from './base';
import type { ArmInfo, ScoreLabel } from './curriculum';

export class DumpCurriculum extends BaseCurriculum {
  readonly kind = 'dump' as const;
  readonly name = 'DUMP (UCB on mean |A|)';
  protected override readonly scoreLabel: ScoreLabel = 'UCB';
  readonly temperature: number;

  constructor(arms: readonly ArmInfo[], options: { window: number; temperature: number }) {
    super(arms, options.window);
    this.temperature = options.temperature;
  }

  ucb(): number[] {
    const N = this.windows.reduce((a, w) => a + w.total, 0);
    return this.windows.map((w) => (w.meanAbsAdvantage() ?? 0) + Math.sqrt((2 * Math.log(N + 1)) / (w.total + 1)));
  }

  probabilities(): number[] {
    return softmax(this.ucb(), this.temperature);
  }

  protected override scores(): number[] {
    return this.ucb();
  }
}
