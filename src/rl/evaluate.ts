// Held-out evaluation of a policy on one task arm: n samples per prompt → pass@k for k = 1, 2, 4 … n
// by the unbiased estimator, mean@n, and greedy accuracy. Used by the trainer's periodic evaluation,
// the pretraining recipe and the checkpoint tests.
import type { GptConfig } from '../model/config';
import { generate } from '../model/generate';
import type { GptParams } from '../model/params';
import type { Task } from '../tasks/task';
import { decodeCompletion, encodePrompt } from '../tasks/tokenizer';
import { kValues, meanPassAtK } from './passAtK';

export interface EvalOptions {
  prompts: number;
  samplesPerPrompt: number;
  temperature: number;
  seed: number;
  /** The answer budget (new tokens, EOS included): the training run's, so training and evaluation
   *  agree on what counts as an answer. Default: the task's own budget. A completion that does not stop
   *  within it is wrong, whatever its prefix. */
  maxNewTokens?: number;
  /** Also decode greedily (temperature 0) for greedy accuracy. */
  greedy?: boolean;
}

export interface ArmEvaluation {
  task: string;
  arm: string;
  prompts: number;
  samplesPerPrompt: number;
  /** pass@k keyed by k (as a string, for JSON). */
  passAtK: Record<string, number>;
  /** Mean correctness over all n samples of all prompts (= pass@1 by the estimator). */
  meanAtN: number;
  greedyAccuracy: number | null;
  /** Share of the sampled completions (temperature `o.temperature`) that did not stop within the answer
   *  budget: what a run on this arm would score as overlong. Absent in records made before it was measured. */
  cutOff?: number;
}

async function correctCounts(config: GptConfig, params: GptParams, task: Task, problems: ReturnType<Task['evalSet']>, samples: number, temperature: number, seed: number, budget: number): Promise<{ counts: number[]; cut: number }> {
  const prompts = problems.map((p) => encodePrompt(p.prompt));
  const result = await generate(config, params, prompts, {
    samplesPerPrompt: samples,
    maxNewTokens: budget,
    temperature,
    topK: 0,
    topP: 1,
    seed,
  });
  let cut = 0;
  const counts = problems.map((problem, i) => {
    let c = 0;
    for (let j = 0; j < samples; j++) {
      const row = i * samples + j;
      if (result.stopped[row] !== 1) {
        cut++; // cut off by the budget: an overlong answer, wrong
        continue;
      }
      const completion = decodeCompletion(Array.from(result.tokens.subarray(row * result.maxNewTokens, (row + 1) * result.maxNewTokens)));
      if (task.verify(problem, completion).reward > 0) c++;
    }
    return c;
  });
  return { counts, cut };
}

export async function evaluateArm(config: GptConfig, params: GptParams, task: Task, armId: string, o: EvalOptions): Promise<ArmEvaluation> {
  const problems = task.evalSet(armId, o.prompts, o.seed);
  const budget = o.maxNewTokens ?? task.answerBudget;
  const { counts, cut } = await correctCounts(config, params, task, problems, o.samplesPerPrompt, o.temperature, o.seed, budget);
  const passAtK: Record<string, number> = {};
  for (const k of kValues(o.samplesPerPrompt)) passAtK[String(k)] = meanPassAtK(counts, o.samplesPerPrompt, k);
  let greedyAccuracy: number | null = null;
  if (o.greedy) {
    const { counts: greedyCounts } = await correctCounts(config, params, task, problems, 1, 0, o.seed, budget);
    greedyAccuracy = greedyCounts.reduce((a, b) => a + b, 0) / problems.length;
  }
  return {
    task: task.id,
    arm: armId,
    prompts: problems.length,
    samplesPerPrompt: o.samplesPerPrompt,
    passAtK,
    meanAtN: counts.reduce((a, b) => a + b, 0) / (problems.length * o.samplesPerPrompt),
    greedyAccuracy,
    cutOff: cut / (problems.length * o.samplesPerPrompt),
  };
}
