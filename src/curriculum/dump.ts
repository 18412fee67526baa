// DUMP (docs/rl-reference.md "Curricula"): an arm is worth sampling while its samples still carry
// advantage. μ_j = mean |Â| over the arm's last `window` samples (Â = the sample's token-mean
// advantage; 0 before any), plus a UCB exploration bonus that shrinks as the arm is sampled:
//   UCB_j = μ_j + sqrt(2 ln(N + 1) / (n_j + 1)),   p = softmax(UCB / temperature).
// n_j counts the arm's samples (completions) seen by update(), all time, and N = Σ_j n_j — the same
// unit as the window. Before any update every UCB is 0: the first step is uniform.
import { BaseCurriculum, softmax } from './base';
import type { ArmInfo, ScoreLabel } from './types';
import type { CurriculumDescriptor } from './params';

/** The DUMP (UCB bandit on |A|) curriculum as the schema and the config panel see it. */
export const dumpDescriptor = {
  kind: 'dump',
  label: 'DUMP (UCB bandit on |A|)',
  about: 'DUMP: μ_j = mean |Â| over the arm\'s last `window` samples; UCB_j = μ_j + sqrt(2 ln(N+1)/(n_j+1)); p = softmax(UCB / temperature).',
  params: {
    window: { min: 1, max: 10_000, default: 300, integer: true, label: 'Window (samples per arm)', help: 'DUMP: μ_j is the mean |Â| over the arm\'s last this-many samples (the paper uses 300).' },
    temperature: { min: 0, max: 10, default: 0.1, integer: false, exclusiveMin: true, label: 'Softmax temperature', help: 'DUMP: p = softmax(UCB / temperature); 0.1 in the paper. Lower = greedier.' },
  },
} as const satisfies CurriculumDescriptor<'dump'>;

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
