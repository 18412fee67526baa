// The "collect" phase of a trainer step: draw prompts from the arm sampler, generate G samples each,
// score them — and, with online difficulty filtering or DAPO dynamic sampling, keep generating until
// B informative groups are found (or the budget runs out). Returns the batch to train on, plus what
// was generated and not trained on (the curriculum still hears of it, and the reward over everything
// generated is reported beside the trained batch's: docs/rl-reference.md, "Metrics").
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import type { Rng } from '../tasks/random';
import type { Task } from '../tasks/task';
import type { FilteringMetrics, StepMetrics } from './metrics';
import { rollout, type ArmSampler, type RewardFunction, type Rollout } from './rollout';
import type { RlConfig } from './trainerConfig';

/**
 * Online difficulty filtering, injected by a layer above (src/curriculum/filtering.ts builds it from
 * the band and the over-sampling settings): `passes` says whether a group of accuracy p is kept, and
 * the planner says how many prompts each generation round draws (begin → next/record … → end).
 */
export interface DifficultyFilter {
  passes(accuracy: number): boolean;
  planner: { begin(target: number): void; next(): number; record(passed: number, generated: number): void; end(): FilteringMetrics };
}

/** A sample the step generated but did not train on (a filtered-out group): the curriculum still
 *  hears of it, with advantage 0. */
export interface UntrainedSample {
  arm: string;
  reward: number;
}

export interface Collected {
  /** The batch to train on (rows group-major). */
  r: Rollout;
  /** The rewards of every completion generated this step, trained or not. */
  generatedRewards: number[];
  dynamic?: StepMetrics['dynamic_sampling'];
  filtering?: FilteringMetrics;
  /** Generated, not trained on (filtered out): reported to the curriculum with advantage 0. */
  dropped: UntrainedSample[];
  /** Nothing passed the filter: the batch is the first round's groups, trained with advantages 0. */
  zeroAdvantages: boolean;
}

export interface CollectContext {
  config: RlConfig;
  modelConfig: GptConfig;
  params: GptParams;
  task: Task;
  arms: ArmSampler;
  reward: RewardFunction;
  dataRng: Rng;
  filter: DifficultyFilter | undefined;
  /** The step being collected (seeds its sampling streams). */
  step: number;
  /** Called with the number of completions each generation round spends. */
  spend(samples: number): void;
}

/** A u32 mix of (seed, step, purpose): independent streams per purpose, reproducible per step. */
export function streamSeed(seed: number, step: number, purpose: number): number {
  let h = (seed ^ Math.imul(step + 1, 0x9e3779b1) ^ Math.imul(purpose + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function groupHasSpread(rewards: number[], g: number, G: number): boolean {
  const group = rewards.slice(g * G, (g + 1) * G);
  return group.some((r) => r !== group[0]);
}

/** Group g's accuracy: the mean of the correctness component where every sample reports one (shaped
 *  rewards then do not count as accuracy), else the mean reward. */
function groupAccuracy(r: Rollout, g: number, G: number): number {
  const rows = Array.from({ length: G }, (_, j) => g * G + j);
  const useCorrectness = rows.every((i) => typeof r.components[i]?.correctness === 'number');
  return rows.reduce((s, i) => s + (useCorrectness ? r.components[i].correctness : r.rewards[i]), 0) / G;
}

/** A rollout of the chosen groups (prompt groups of possibly different rounds), rows group-major. */
function mergeGroups(chosen: { r: Rollout; g: number }[], G: number, generation: Rollout['generation']): Rollout {
  const rows = (x: { r: Rollout; g: number }) => Array.from({ length: G }, (_, j) => x.g * G + j);
  return {
    problems: chosen.map((x) => x.r.problems[x.g]),
    prompts: chosen.map((x) => x.r.prompts[x.g]),
    generation, // used only for per-token inspection of the first rows
    completionIds: chosen.flatMap((x) => rows(x).map((i) => x.r.completionIds[i])),
    samples: chosen.flatMap((x) => rows(x).map((i) => x.r.samples[i])),
    rewards: chosen.flatMap((x) => rows(x).map((i) => x.r.rewards[i])),
    components: chosen.flatMap((x) => rows(x).map((i) => x.r.components[i])),
  };
}

function untrained(groups: { r: Rollout; g: number }[], G: number): UntrainedSample[] {
  return groups.flatMap((x) => Array.from({ length: G }, (_, j) => ({ arm: x.r.problems[x.g].arm, reward: x.r.rewards[x.g * G + j] })));
}

/** Generation, with online difficulty filtering (over-sampling within a budget) or DAPO dynamic
 *  sampling when enabled: groups that fail the criterion are dropped and more are generated. */
export async function collectBatch(ctx: CollectContext): Promise<Collected> {
  const c = ctx.config;
  const G = c.samplesPerPrompt;
  const B = c.promptsPerStep;
  const generated: Rollout[] = [];
  const draw = async (round: number, count: number) => {
    const arms = ctx.arms.chooseArms(count, ctx.dataRng);
    const problems = arms.map((arm) => ctx.task.generate(arm, ctx.dataRng));
    ctx.spend(count * G);
    const r = await rollout(ctx.modelConfig, ctx.params, problems, ctx.reward, {
      samplesPerPrompt: G,
      maxNewTokens: c.maxNewTokens,
      truncation: c.truncation,
      longestAnswer: ctx.task.maxCompletionLength,
      temperature: c.temperature,
      topK: c.topK,
      topP: c.topP,
      seed: streamSeed(c.seed, ctx.step, 100 + round),
    });
    generated.push(r);
    return r;
  };
  const withGenerated = (x: Omit<Collected, 'generatedRewards'>): Collected => ({ ...x, generatedRewards: generated.flatMap((r) => r.rewards) });
  if (ctx.filter) return withGenerated(await collectFiltered(ctx, ctx.filter, draw));
  const first = await draw(0, B);
  if (!c.dynamicSampling) return withGenerated({ r: first, dropped: [], zeroAdvantages: false });
  const keep: { r: Rollout; g: number }[] = [];
  const drop: { r: Rollout; g: number }[] = [];
  let generatedGroups = 0;
  let rounds = 0;
  for (let r: Rollout | null = first; r && rounds < Math.max(1, c.dynamicSamplingMaxTries); ) {
    rounds++;
    generatedGroups += r.problems.length;
    for (let g = 0; g < r.problems.length; g++) (groupHasSpread(r.rewards, g, G) ? keep : drop).push({ r, g });
    if (keep.length >= B || rounds >= c.dynamicSamplingMaxTries) break;
    r = await draw(rounds, B);
  }
  const chosen = keep.slice(0, B);
  const dynamic = { kept_groups: chosen.length, generated_groups: generatedGroups, rounds };
  // Nothing informative: train on the first batch (all A = 0); its groups are the batch, not dropped.
  if (chosen.length === 0) return withGenerated({ r: first, dynamic, dropped: untrained(drop.filter((x) => x.r !== first), G), zeroAdvantages: false });
  return withGenerated({ r: mergeGroups(chosen, G, first.generation), dynamic, dropped: untrained(drop, G), zeroAdvantages: false });
}

/** Difficulty filtering: rounds sized by the planner; a group passes when its accuracy is in the band
 *  (and, with dynamic sampling on too, its rewards are not all equal). */
async function collectFiltered(ctx: CollectContext, filter: DifficultyFilter, draw: (round: number, count: number) => Promise<Rollout>): Promise<Omit<Collected, 'generatedRewards'>> {
  const c = ctx.config;
  const G = c.samplesPerPrompt;
  const B = c.promptsPerStep;
  const passed: { r: Rollout; g: number }[] = [];
  const drop: { r: Rollout; g: number }[] = [];
  let first: Rollout | null = null;
  filter.planner.begin(B);
  for (let round = 0, n = filter.planner.next(); n > 0; round++, n = filter.planner.next()) {
    const r = await draw(round, n);
    first ??= r;
    let pass = 0;
    for (let g = 0; g < r.problems.length; g++) {
      const ok = filter.passes(groupAccuracy(r, g, G)) && (!c.dynamicSampling || groupHasSpread(r.rewards, g, G));
      if (ok) pass++;
      (ok ? passed : drop).push({ r, g });
    }
    filter.planner.record(pass, r.problems.length);
  }
  const filtering = filter.planner.end();
  if (first === null) throw new Error('difficulty filtering: the planner drew no prompts.');
  const chosen = passed.slice(0, B);
  // Nothing passed: the first round is the batch with every advantage 0 (no policy-gradient signal;
  // the step still runs, so metrics and the optimiser keep their rhythm).
  if (chosen.length === 0) return { r: first, filtering, dropped: untrained(drop.filter((x) => x.r !== first), G), zeroAdvantages: true };
  return { r: mergeGroups(chosen, G, first.generation), filtering, dropped: untrained(drop, G), zeroAdvantages: false };
}
