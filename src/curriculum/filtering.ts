// Online difficulty filtering (docs/rl-reference.md "Curricula"): after generation, keep only the prompts
// whose group accuracy p is in a band — PRIME keeps lo ≤ p ≤ hi (inclusive, e.g. [0.2, 0.8]),
// OpenRLHF keeps lo < p < hi (strict) — because a group everyone solves or everyone fails has zero
// advantage under group baselines and teaches nothing. DAPO dynamic sampling is the same idea with
// the criterion "the group's rewards are not all equal". To still train on B groups, the step draws
// extra prompts; the over-sampling policy below says how many, never generating more than
// budget × B prompts in one step. Pure functions plus one small planner; the trainer drives them.
import type { FilteringMetrics } from '../rl/metrics';

export type FilterMode = 'inclusive' | 'strict';

export interface AccuracyBand {
  /** Lower edge, in [0, 1]. */
  lo: number;
  /** Upper edge, in [lo, 1]. */
  hi: number;
  /** 'inclusive': lo ≤ p ≤ hi (PRIME). 'strict': lo < p < hi (OpenRLHF). */
  mode: FilterMode;
}

/** PRIME's band. */
export const DEFAULT_BAND: AccuracyBand = { lo: 0.2, hi: 0.8, mode: 'inclusive' };

/** Comparisons treat values within this of an edge as on it: a mean like 0.1 + 0.1 is not 0.2 in
 *  floating point, and must not flip a group in or out. */
export const EDGE_TOLERANCE = 1e-9;

export function validateBand(band: AccuracyBand): void {
  const { lo, hi, mode } = band;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo >= 0 && hi <= 1 && lo <= hi)) {
    throw new RangeError(`difficulty band: need 0 ≤ lo ≤ hi ≤ 1, got [${lo}, ${hi}]`);
  }
  if (mode !== 'inclusive' && mode !== 'strict') throw new RangeError(`difficulty band: unknown mode ${JSON.stringify(mode)}`);
}

/** Whether a group of accuracy p passes the band. */
export function inBand(p: number, band: AccuracyBand): boolean {
  if (!Number.isFinite(p)) return false;
  const t = EDGE_TOLERANCE;
  return band.mode === 'inclusive' ? p >= band.lo - t && p <= band.hi + t : p > band.lo + t && p < band.hi - t;
}

/** Mean of each consecutive group of `groupSize` values (rows g·G … g·G + G − 1 belong to prompt g).
 *  Pass the correctness component (0/1) where rewards are shaped, so p is an accuracy. */
export function groupAccuracies(values: readonly number[], groupSize: number): number[] {
  if (!Number.isInteger(groupSize) || groupSize < 1 || values.length % groupSize !== 0) {
    throw new RangeError(`groupAccuracies: ${values.length} values do not split into groups of ${groupSize}`);
  }
  const out: number[] = [];
  for (let g = 0; g < values.length / groupSize; g++) {
    let s = 0;
    for (let j = 0; j < groupSize; j++) s += values[g * groupSize + j];
    out.push(s / groupSize);
  }
  return out;
}

/** DAPO's criterion: each group's rewards are not all equal (non-zero std). */
export function groupsWithSpread(rewards: readonly number[], groupSize: number): boolean[] {
  if (!Number.isInteger(groupSize) || groupSize < 1 || rewards.length % groupSize !== 0) {
    throw new RangeError(`groupsWithSpread: ${rewards.length} rewards do not split into groups of ${groupSize}`);
  }
  const out: boolean[] = [];
  for (let g = 0; g < rewards.length / groupSize; g++) {
    const group = rewards.slice(g * groupSize, (g + 1) * groupSize);
    out.push(group.some((r) => r !== group[0]));
  }
  return out;
}

export interface FilterResult {
  /** Per group: passes the band. */
  keep: boolean[];
  /** Indices of the groups that pass, in order. */
  kept: number[];
  /** Fraction of the groups that were filtered out (0 for no groups). */
  fracFiltered: number;
}

/** Which groups (by accuracy) the band keeps. */
export function filterGroups(accuracies: readonly number[], band: AccuracyBand): FilterResult {
  validateBand(band);
  const keep = accuracies.map((p) => inBand(p, band));
  return fromKeep(keep);
}

/** FilterResult from a keep mask (e.g. groupsWithSpread). */
export function fromKeep(keep: readonly boolean[]): FilterResult {
  const kept: number[] = [];
  keep.forEach((k, i) => k && kept.push(i));
  return { keep: keep.slice(), kept, fracFiltered: keep.length === 0 ? 0 : 1 - kept.length / keep.length };
}

// ---------------------------------------------------------------------------------------------
// Over-sampling: how many prompts to generate next.

export const OVERSAMPLING_PARAMS = {
  /** Most prompts generated per step, as a multiple of B. 1 = no over-sampling. */
  budget: { min: 1, max: 16, default: 3, integer: false },
  /** Most generation rounds per step. */
  maxRounds: { min: 1, max: 16, default: 3, integer: true },
} as const;

/** Keep rates below this are treated as this (no division by ~0; the budget caps the draw anyway). */
export const MIN_KEEP_RATE = 0.01;

export interface DrawRequest {
  /** B: groups the step trains on. */
  target: number;
  /** Groups that passed the filter so far this step. */
  kept: number;
  /** Prompts (groups) generated so far this step. */
  generated: number;
  /** Most prompts per step, as a multiple of B: at most floor(budget · B) are generated in all. */
  budget: number;
  /** Expected fraction of generated groups that pass, in (0, 1]. */
  keepRate: number;
}

/** The largest number of prompts a step may generate. */
export function budgetLimit(target: number, budget: number): number {
  return Math.max(target, Math.floor(budget * target));
}

/**
 * Prompts to generate next: enough that, at the expected keep rate, the batch fills —
 * ceil((B − kept) / keepRate) — but never past the step's budget. 0 means stop (full, or the budget
 * is spent; the step then trains on what it kept).
 */
export function promptsToDraw(r: DrawRequest): number {
  const need = r.target - r.kept;
  const remaining = budgetLimit(r.target, r.budget) - r.generated;
  if (need <= 0 || remaining <= 0) return 0;
  const rate = Math.min(1, Math.max(MIN_KEEP_RATE, Number.isFinite(r.keepRate) ? r.keepRate : 1));
  // The 1e-9 keeps ceil(4 / 0.8) at 5, not 6, when 4 / 0.8 rounds to 5.000000000000001.
  return Math.min(remaining, Math.ceil(need / rate - 1e-9));
}

/** One step's filtering bookkeeping (TRL-style names): the trainer's FilteringMetrics, which the
 *  planner's end() fills in. */
export type FilterStepMetrics = FilteringMetrics;

/**
 * The over-sampling policy across steps. Per step: begin(B), then repeatedly n = next() and, while
 * n > 0, generate n prompts, filter, record(passed, n); finally end() gives the step's metrics.
 * The first round's size uses the keep rate seen on earlier steps (an EMA; 1 before any, so step 0
 * starts with B); later rounds use this step's own rate.
 */
export class OversamplingPlanner {
  readonly budget: number;
  readonly maxRounds: number;
  /** EMA weight of the past in the keep-rate estimate. */
  readonly momentum: number;
  /** Keep rate expected for the next step's first round. */
  keepRate = 1;
  private target = 0;
  private passed = 0;
  private generated = 0;
  private rounds = 0;

  constructor(options: { budget?: number; maxRounds?: number; momentum?: number } = {}) {
    const { budget, maxRounds } = OVERSAMPLING_PARAMS;
    this.budget = options.budget ?? budget.default;
    this.maxRounds = options.maxRounds ?? maxRounds.default;
    this.momentum = options.momentum ?? 0.5;
    if (!(this.budget >= budget.min && this.budget <= budget.max)) throw new RangeError(`over-sampling: budget must be in [${budget.min}, ${budget.max}], got ${this.budget}`);
    if (!(Number.isInteger(this.maxRounds) && this.maxRounds >= maxRounds.min && this.maxRounds <= maxRounds.max)) {
      throw new RangeError(`over-sampling: maxRounds must be an integer in [${maxRounds.min}, ${maxRounds.max}], got ${this.maxRounds}`);
    }
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new RangeError(`over-sampling: momentum must be in [0, 1), got ${this.momentum}`);
  }

  begin(target: number): void {
    if (!Number.isInteger(target) || target < 1) throw new RangeError(`over-sampling: target must be a positive integer, got ${target}`);
    this.target = target;
    this.passed = 0;
    this.generated = 0;
    this.rounds = 0;
  }

  /** Prompts to generate in the next round; 0 = stop. */
  next(): number {
    if (this.rounds >= this.maxRounds) return 0;
    const rate = this.generated > 0 ? this.passed / this.generated : this.keepRate;
    return promptsToDraw({ target: this.target, kept: this.passed, generated: this.generated, budget: this.budget, keepRate: rate });
  }

  /** A round's outcome: `passed` of its `generated` groups passed the filter. */
  record(passed: number, generated: number): void {
    if (!(passed >= 0 && passed <= generated)) throw new RangeError(`over-sampling: passed ${passed} of ${generated} groups`);
    this.passed += passed;
    this.generated += generated;
    this.rounds++;
  }

  end(): FilterStepMetrics {
    if (this.generated > 0) {
      const rate = this.passed / this.generated;
      this.keepRate = this.momentum * this.keepRate + (1 - this.momentum) * rate;
    }
    return {
      frac_filtered: this.generated === 0 ? 0 : 1 - this.passed / this.generated,
      kept_groups: Math.min(this.passed, this.target),
      passed_groups: this.passed,
      generated_groups: this.generated,
      rounds: this.rounds,
      budget_exhausted: this.passed < this.target,
    };
  }
}

/** Filter settings as the experiment config holds them. */
export interface DifficultyFilterConfig extends AccuracyBand {
  budget: number;
  maxRounds: number;
}

/** The trainer's DifficultyFilter (src/rl/trainer.ts) for a band and an over-sampling budget: the band
 *  says which groups pass, one planner (its keep-rate estimate carried across steps) sizes the rounds. */
export function createDifficultyFilter(config: DifficultyFilterConfig): { passes(accuracy: number): boolean; planner: OversamplingPlanner } {
  const band: AccuracyBand = { lo: config.lo, hi: config.hi, mode: config.mode };
  validateBand(band);
  return { passes: (p) => inBand(p, band), planner: new OversamplingPlanner({ budget: config.budget, maxRounds: config.maxRounds }) };
}
