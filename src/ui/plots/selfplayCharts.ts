// The charts of each self-play loop: which of its flattened metrics (selfplayMetrics keys, see
// src/worker/selfplayDriver.ts) each chart draws, and the series they make. Pure data and functions:
// SelfplayPlots draws them, and the config panel's Self-play section says what they should show.
import type { RunRecord, SelfplaySeries } from '../../state/runsStore';
import { dashFor, type Point, type RunSeries } from './series';

export type SelfplayLoopId = SelfplaySeries['loop'];

export interface SelfplayLine {
  /** A metric key, or (with `perArm`) the prefix of one key per arm, e.g. 'heldout/accuracy/'. */
  key: string;
  label: string;
  perArm?: boolean;
}

export interface SelfplayChart {
  /** data-testid `selfplay-plot-<id>`. */
  id: string;
  title: string;
  about: string;
  lines: SelfplayLine[];
}

const HELDOUT: SelfplayChart = {
  id: 'heldout',
  title: 'held-out accuracy',
  about:
    'Mean correctness of 4 samples per held-out prompt at temperature 1 (= pass@1) on a FIXED held-out set of the real task, mean over arms (solid) and per arm (dashed). Iteration 0 is the starting policy (after propose/solve\'s warm-up).',
  lines: [
    { key: 'heldout/mean', label: 'mean' },
    { key: 'heldout/accuracy/', label: '', perArm: true },
  ],
};

export const SELFPLAY_CHARTS: Record<SelfplayLoopId, SelfplayChart[]> = {
  'propose-solve': [
    { id: 'validity_rate', title: 'valid proposals', about: 'Fraction of the proposer\'s problems the executor accepts (grammar, EOS, answer length, step limit).', lines: [{ key: 'validity_rate', label: 'valid' }] },
    {
      id: 'learnability',
      title: 'learnability',
      about: 'Mean learnability 1 − acc over valid proposals (0 when the solver always or never solves one), and the fraction of proposals with 0 < acc < 1.',
      lines: [
        { key: 'learnability', label: 'learnability' },
        { key: 'learnable_fraction', label: 'learnable fraction' },
      ],
    },
    { id: 'solver_accuracy', title: 'solver accuracy on proposed tasks', about: 'Mean over valid proposals of the solver\'s accuracy on its G samples.', lines: [{ key: 'difficulty/solver_accuracy', label: 'acc' }] },
    { id: 'operand_digits', title: 'operand digits proposed', about: 'Mean digits per operand of the valid proposals (digit tasks): where the proposer pitches its problems.', lines: [{ key: 'difficulty/operand_digits', label: 'digits' }] },
    { id: 'diversity', title: 'proposal diversity', about: 'Distinct valid proposals / valid proposals: 1 = no two alike; a collapse onto one problem falls toward 1/N.', lines: [{ key: 'diversity', label: 'distinct / valid' }] },
    HELDOUT,
  ],
  spin: [
    {
      id: 'rewards',
      title: 'rewards: real vs generated',
      about: 'TRL DPO names: rewards/real = β(log p_θ − log p_opp)(y_real), rewards/generated the same for the opponent\'s answer; means over the iteration\'s batches.',
      lines: [
        { key: 'rewards_real', label: 'real' },
        { key: 'rewards_generated', label: 'generated' },
      ],
    },
    {
      id: 'margin',
      title: 'margin u',
      about: 'u = rewards/real − rewards/generated: during the iteration\'s training (solid) and over the whole dataset after it (dashed).',
      lines: [
        { key: 'margin', label: 'during' },
        { key: 'end_margin', label: 'end' },
      ],
    },
    {
      id: 'discrimination_accuracy',
      title: 'discrimination accuracy',
      about: 'Fraction of pairs with u > 0: on the training batches (ties, where the opponent answered right, count as not > 0) and at the end over the untied pairs.',
      lines: [
        { key: 'discrimination_accuracy', label: 'training batches' },
        { key: 'end_discrimination_accuracy', label: 'end, untied pairs' },
      ],
    },
    { id: 'generated_equals_real', title: 'opponent answers = real', about: 'Fraction of the opponent\'s answers equal to the real one: those pairs have u ≡ 0 and no gradient (SPIN\'s fixed point).', lines: [{ key: 'generated_equals_real', label: 'ties' }] },
    HELDOUT,
  ],
  'creator-solver': [
    { id: 'buffer_difficulty', title: 'buffer difficulty', about: 'Mean 1 − acc of the creator\'s buffer prompts (their last group\'s accuracy).', lines: [{ key: 'buffer/difficulty', label: '1 − acc' }] },
    {
      id: 'informativeness',
      title: 'informativeness of the batch',
      about: 'Mean regret proxy max − mean reward of the batch\'s groups (solid), and the fraction of groups with reward spread, i.e. a GRPO signal (dashed).',
      lines: [
        { key: 'informativeness', label: 'regret' },
        { key: 'informative_fraction', label: 'groups with spread' },
      ],
    },
    { id: 'solver_accuracy', title: 'solver accuracy (batch)', about: 'Mean verifier reward of the solver\'s samples on the creator\'s batch.', lines: [{ key: 'solver_accuracy', label: 'acc' }] },
    { id: 'operand_digits', title: 'buffer operand digits', about: 'Mean digits per operand of the buffer\'s prompts: how far the mutations have moved the prompts.', lines: [{ key: 'buffer/operand_digits', label: 'digits' }] },
    HELDOUT,
  ],
  'self-consuming': [
    { ...HELDOUT, title: 'held-out accuracy per generation', about: 'Mean correctness of 8 samples per held-out prompt of each generation (generation 0 = the starting policy): collapse shows as a fall.' },
    { id: 'diversity', title: 'answer diversity', about: 'Mean over held-out prompts of distinct answers / samples.', lines: [{ key: 'diversity', label: 'distinct / samples' }] },
    { id: 'mean_length', title: 'mean output length', about: 'Mean completion length (tokens, EOS included) of the held-out samples.', lines: [{ key: 'mean_length', label: 'tokens' }] },
    {
      id: 'data_accuracy',
      title: 'correct answers in the training data',
      about: 'Fraction of each generation\'s training set that is correct (real + synthetic), and of the sampled answers before any curation.',
      lines: [
        { key: 'train/data_accuracy', label: 'training data' },
        { key: 'train/candidate_accuracy', label: 'sampled answers' },
      ],
    },
    {
      id: 'bstar',
      title: 'sampling temperature and balance score',
      about:
        'The temperature each generation\'s training answers were sampled at (B-STaR: the grid temperature with the highest mean balance score min(n′/n*, 1)·n′/n) and that balance score.',
      lines: [
        { key: 'bstar/temperature', label: 'temperature' },
        { key: 'bstar/balance', label: 'balance score' },
      ],
    },
    {
      id: 'explore_exploit',
      title: 'exploration and exploitation (training prompts)',
      about:
        'Of the answers trained on, per training prompt: pass@k (some sample right), distinct correct answers (n′, can exceed 1), and the AUC of the policy\'s own mean log-prob between right and wrong samples (how well its confidence tells them apart).',
      lines: [
        { key: 'explore/pass_at_k', label: 'pass@k' },
        { key: 'explore/distinct_correct', label: 'distinct correct' },
        { key: 'exploit/auc_confidence', label: 'AUC (confidence)' },
      ],
    },
  ],
};

/** The self-play loop of a run record ('none' for RL runs and records made before self-play existed). */
export function runLoop(run: Pick<RunRecord, 'config'>): SelfplayLoopId | 'none' {
  return (run.config as { selfplay?: { loop?: SelfplayLoopId | 'none' } }).selfplay?.loop ?? 'none';
}

/** The lines of a chart for one run: fixed keys, and one line per arm for a per-arm prefix. */
function linesOf(chart: SelfplayChart, series: SelfplaySeries): { key: string; label: string }[] {
  const out: { key: string; label: string }[] = [];
  for (const line of chart.lines) {
    if (!line.perArm) {
      out.push({ key: line.key, label: line.label });
      continue;
    }
    const arms = new Set<string>();
    for (const p of series.points) for (const k of Object.keys(p.metrics)) if (k.startsWith(line.key)) arms.add(k.slice(line.key.length));
    for (const arm of [...arms].sort()) out.push({ key: `${line.key}${arm}`, label: `${line.label}${arm}` });
  }
  return out;
}

/** A chart's series over the given runs (each with its self-play series, if it has one). */
export function selfplayChartSeries(chart: SelfplayChart, runs: readonly RunRecord[]): RunSeries[] {
  return runs.flatMap((run) => {
    const series = run.selfplay;
    if (!series) return [];
    return linesOf(chart, series).map((line, i) => {
      const points: Point[] = [];
      for (const p of series.points) {
        const value = p.metrics[line.key];
        if (value !== undefined) points.push({ step: p.iteration, wall: p.wall, value });
      }
      return { runId: run.id, runLabel: run.label, color: run.color, line: line.key, lineLabel: line.label, dash: dashFor(i), points };
    });
  });
}
