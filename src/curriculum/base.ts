// What every curriculum shares: per-arm recent-sample windows, the step counter, the categorical draw,
// softmax, and the state() report. A sampler says only how it turns its statistics into probabilities
// (and, for the learning ones, what it learns from a step's per-arm summary).
import type { Rng } from '../tasks/random';
import type { ArmInfo, ArmState, Curriculum, CurriculumKind, CurriculumSample, CurriculumState, ScoreLabel } from './types';

/** Recent-window length (samples per arm) for the displayed mean |A| and accuracy, where the
 *  curriculum has no window of its own (DUMP uses its `window`). */
export const DISPLAY_WINDOW = 300;

/** The last `capacity` samples of one arm (|Â| and reward), plus the all-time count. */
export class ArmWindow {
  private readonly absAdv: Float64Array;
  private readonly reward: Float64Array;
  private next = 0;
  /** Samples currently held (≤ capacity). */
  size = 0;
  /** Samples ever pushed. */
  total = 0;

  constructor(readonly capacity: number) {
    this.absAdv = new Float64Array(capacity);
    this.reward = new Float64Array(capacity);
  }

  push(absAdvantage: number, reward: number): void {
    this.absAdv[this.next] = absAdvantage;
    this.reward[this.next] = reward;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    this.total++;
  }

  /** Mean |Â| over the window (summed afresh each time: no drift from running sums); null if empty. */
  meanAbsAdvantage(): number | null {
    return this.size === 0 ? null : sumFirst(this.absAdv, this.size) / this.size;
  }

  meanReward(): number | null {
    return this.size === 0 ? null : sumFirst(this.reward, this.size) / this.size;
  }
}

function sumFirst(values: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  return s;
}

/** One arm's part of one step's update(): samples = 0 when the arm was not drawn. */
export interface ArmStepSummary {
  samples: number;
  /** Mean token-mean |A| over the arm's samples this step (0 if none). */
  meanAbsAdvantage: number;
  /** Mean reward over the arm's samples this step (0 if none). */
  meanReward: number;
}

/** softmax(x / temperature), stable (the max is subtracted first). */
export function softmax(values: readonly number[], temperature = 1): number[] {
  const scaled = values.map((v) => v / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** One categorical draw: one rng.nextFloat() walked along the cumulative probabilities. Rounding
 *  that leaves u beyond the last partial sum lands on the last arm with positive probability. */
export function drawIndex(probabilities: readonly number[], rng: Rng): number {
  const u = rng.nextFloat();
  let cumulative = 0;
  let last = -1;
  for (let i = 0; i < probabilities.length; i++) {
    if (probabilities[i] <= 0) continue;
    last = i;
    cumulative += probabilities[i];
    if (u < cumulative) return i;
  }
  if (last < 0) throw new Error('curriculum: every arm has probability 0.');
  return last;
}

export abstract class BaseCurriculum implements Curriculum {
  abstract readonly kind: CurriculumKind;
  abstract readonly name: string;
  protected readonly scoreLabel: ScoreLabel | null = null;
  protected readonly windows: ArmWindow[];
  protected readonly chosen: number[];
  private readonly indexOf: Map<string, number>;
  /** Steps seen: update() calls. */
  protected step = 0;

  constructor(
    protected readonly arms: readonly ArmInfo[],
    readonly window: number = DISPLAY_WINDOW,
  ) {
    this.windows = arms.map(() => new ArmWindow(window));
    this.chosen = arms.map(() => 0);
    this.indexOf = new Map(arms.map((a, i) => [a.id, i]));
  }

  /** The probability of each arm (in this.arms order) for the prompts of the current step. */
  abstract probabilities(): number[];

  /** The per-arm score reported by state() (null: the curriculum keeps none). */
  protected scores(): number[] | null {
    return null;
  }

  /** What the curriculum learns from a step, after the windows took the samples in. */
  protected learn(_summary: readonly ArmStepSummary[]): void {}

  /** `count` i.i.d. draws from probabilities(): exactly one rng draw per prompt. */
  chooseArms(count: number, rng: Rng): string[] {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`chooseArms: count must be a non-negative integer, got ${count}`);
    const p = this.probabilities();
    const out: string[] = [];
    for (let k = 0; k < count; k++) out.push(this.take(drawIndex(p, rng)));
    return out;
  }

  protected take(index: number): string {
    this.chosen[index]++;
    return this.arms[index].id;
  }

  /** One step's samples. Samples of arms the curriculum does not know (e.g. 'custom') are ignored. */
  update(samples: readonly CurriculumSample[]): void {
    const sums = this.arms.map(() => ({ samples: 0, absAdv: 0, reward: 0 }));
    for (const s of samples) {
      const i = this.indexOf.get(s.arm);
      if (i === undefined) continue;
      const absAdv = s.absAdvantage ?? Math.abs(s.advantage);
      if (!Number.isFinite(absAdv) || !Number.isFinite(s.reward)) continue; // a NaN must not poison an arm for good
      this.windows[i].push(absAdv, s.reward);
      sums[i].samples++;
      sums[i].absAdv += absAdv;
      sums[i].reward += s.reward;
    }
    this.learn(
      sums.map((s) => ({
        samples: s.samples,
        meanAbsAdvantage: s.samples > 0 ? s.absAdv / s.samples : 0,
        meanReward: s.samples > 0 ? s.reward / s.samples : 0,
      })),
    );
    this.step++;
  }

  state(): CurriculumState {
    const p = this.probabilities();
    const scores = this.scores();
    const arms: ArmState[] = this.arms.map((a, i) => ({
      id: a.id,
      level: a.level,
      probability: p[i],
      score: scores ? scores[i] : null,
      meanAbsAdvantage: this.windows[i].meanAbsAdvantage(),
      accuracy: this.windows[i].meanReward(),
      samples: this.windows[i].total,
      chosen: this.chosen[i],
    }));
    return { kind: this.kind, name: this.name, step: this.step, scoreLabel: this.scoreLabel, window: this.window, arms };
  }
}

/** Arm indices sorted by level, ties kept in list order (the schedules walk arms easy → hard). */
export function byLevel(arms: readonly ArmInfo[]): number[] {
  return arms.map((_, i) => i).sort((a, b) => arms[a].level - arms[b].level || a - b);
}

/** A probability vector with all its mass on one arm. */
export function oneHot(length: number, index: number): number[] {
  return Array.from({ length }, (_, i) => (i === index ? 1 : 0));
}
