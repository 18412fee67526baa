// The gallery's types, and how a claim reads a recorded arm (the run record scripts/train.ts writes).
import { judgeClaim, type DifferenceClaim } from './runComparison';
import type { ExperimentConfig } from './schema';

/** The budget every gallery arm is recorded with (and what a card's link runs). Small enough that all
 *  arms together record in about half an hour on a loaded 2-core machine (CPU backend). */
export const GALLERY_RUN: ExperimentConfig['run'] = { steps: 60, evalEvery: 20, evalPrompts: 128, evalSamples: 16, evalSeed: 0x5eed, evalTemperature: 1 };

/** The budgets a card's runs can take in the lab: the recorded one, or shorter ones for a class demo
 *  (and the e2e tests). A shorter budget shows the direction of a curve, not the recorded numbers. The
 *  smoke budget only checks that a card runs: two steps (the second shows the loop goes on) of a small
 *  batch, the same for every arm, so the arms still differ only in what the card compares. */
export const GALLERY_BUDGETS = {
  recorded: { label: '60 steps, as recorded', run: GALLERY_RUN },
  quick: { label: '20 steps, quick evaluation', run: { ...GALLERY_RUN, steps: 20, evalEvery: 10, evalPrompts: 32, evalSamples: 8 } },
  smoke: {
    label: '2 steps of 4 × 4 samples, no evaluation (a check that it runs)',
    run: { ...GALLERY_RUN, steps: 2, evalEvery: 0, evalPrompts: 8, evalSamples: 4 },
    batch: { promptsPerStep: 4, samplesPerPrompt: 4 },
  },
} as const satisfies Record<string, { label: string; run: ExperimentConfig['run']; batch?: Pick<ExperimentConfig['algorithm'], 'promptsPerStep' | 'samplesPerPrompt'> }>;

export type GalleryBudget = keyof typeof GALLERY_BUDGETS;

/** What a claim reads from a recorded arm (the shape scripts/train.ts writes, the fields used here). */
export interface GalleryRun {
  preset: string;
  link: string;
  steps: {
    step: number;
    reward: number;
    entropy: number;
    kl: { k3: number };
    rewards: Record<string, number>;
    clip_ratio: { region_mean: number };
    completions: { mean_length: number };
  }[];
  evaluations: { afterSteps: number; arms: { arm: string; passAtK: Record<string, number> }[] }[];
}

export type GalleryRuns = Readonly<Record<string, GalleryRun>>;

export interface ClaimCheck {
  holds: boolean;
  /** The numbers the verdict rests on, in words. */
  evidence: string;
}

export interface GalleryClaim {
  /** The effect, in words, as the paper states it (direction only). */
  text: string;
  /** Whether the recorded arms show it. The gallery test fails when this disagrees with `check`. */
  shown: boolean;
  check(runs: GalleryRuns): ClaimCheck;
}

/** A panel of a card's figure: pass@k against k (before training and each arm at the end), a held-out
 *  pass@k against steps, or a per-step metric (smoothed) against steps. */
export type FigurePanel = (
  | { kind: 'passk' }
  | { kind: 'eval'; k: number }
  | { kind: 'step'; metric: StepMetricName }
) & {
  /** Draw only these arms (presets); default: every arm of the card. */
  only?: string[];
  title?: string;
};

export type StepMetricName = 'reward' | 'correctness' | 'entropy' | 'kl' | 'length' | 'clip';

export interface GalleryArm {
  preset: string;
  label: string;
}

export interface GalleryCard {
  id: string;
  title: string;
  /** One paragraph: what the paper says, and what the recording here showed (or did not). */
  whatYouShouldSee: string;
  /** Title of the source paper. */
  paper: string;
  /** The preset "Load and run" opens (with GALLERY_RUN), or null when the lab cannot run it yet. */
  preset: string | null;
  /** Recorded here, compared on the card's figure; the card's own preset is one of them. */
  arms: GalleryArm[];
  claims: GalleryClaim[];
  figure: FigurePanel[];
  /** Recorded by another script: the card points there instead (a path in the repository). */
  recordedElsewhere?: { path: string; command: string; /** Its figure (an SVG in the repository), if any. */ figure?: string };
  /** Why the card cannot be loaded in the lab (when preset is null). */
  notRunnableReason?: string;
}

// --------------------------------------------------------------------------- reading a record

export function evalAt(run: GalleryRun, which: 'first' | 'last') {
  const e = which === 'first' ? run.evaluations[0] : run.evaluations[run.evaluations.length - 1];
  if (!e) throw new Error(`gallery: the record of ${run.preset} has no evaluation`);
  return e;
}

/** Held-out pass@k (mean over the arms evaluated) at the first or last evaluation. */
export function passAt(run: GalleryRun, k: number, which: 'first' | 'last'): number {
  const e = evalAt(run, which);
  const values = e.arms.map((a) => a.passAtK[String(k)]);
  if (values.some((v) => typeof v !== 'number')) throw new Error(`gallery: no pass@${k} in the record of ${run.preset}`);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The largest k evaluated. */
export function largestK(run: GalleryRun): number {
  return Math.max(...Object.keys(evalAt(run, 'first').arms[0].passAtK).map(Number));
}

export function stepMetric(s: GalleryRun['steps'][number], metric: StepMetricName): number {
  switch (metric) {
    case 'reward':
      return s.reward;
    case 'correctness':
      return s.rewards.correctness ?? s.reward;
    case 'entropy':
      return s.entropy;
    case 'kl':
      return s.kl.k3;
    case 'length':
      return s.completions.mean_length;
    case 'clip':
      return s.clip_ratio.region_mean;
  }
}

/** Mean of a step metric over the first or last `n` steps. */
export function meanOver(run: GalleryRun, metric: StepMetricName, which: 'first' | 'last', n = 10): number {
  const steps = which === 'first' ? run.steps.slice(0, n) : run.steps.slice(-n);
  if (steps.length === 0) throw new Error(`gallery: the record of ${run.preset} has no steps`);
  return steps.reduce((a, s) => a + stepMetric(s, metric), 0) / steps.length;
}

export function need(runs: GalleryRuns, preset: string): GalleryRun {
  const run = runs[preset];
  if (!run) throw new Error(`gallery: no record of ${preset} (run npm run gallery:record)`);
  return run;
}

export const f2 = (v: number) => v.toFixed(3);

/** A claim that one arm's per-step metric (entropy, length) is higher than another's counts only when it is
 *  higher by at least this fraction: smaller gaps are within the run-to-run noise of 60 steps. */
export const MIN_EFFECT = 0.05;

/** The seed every gallery arm is recorded with today (one seed per arm): the key its value is paired by. */
const GALLERY_SEED = 0;

/** A claim "a − b is at least / at most m", judged by the comparison `npm run compare` and the lab use
 *  (runComparison.ts). Each arm has one recorded seed today, so there is no interval and the verdict is
 *  the point comparison the claims always made; recorded with several seeds, the same path needs the
 *  interval too. */
export function claimHolds(a: number, b: number, claim: DifferenceClaim): boolean {
  return judgeClaim({ [GALLERY_SEED]: a }, { [GALLERY_SEED]: b }, claim).holds;
}

/** a is above b by at least MIN_EFFECT of b. */
export function clearlyAbove(a: number, b: number): boolean {
  return claimHolds(a, b, { atLeast: MIN_EFFECT * b });
}

