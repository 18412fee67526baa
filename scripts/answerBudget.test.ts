// Check of issue 15 (task-correct answer budgets): for each of the eight tasks, the default experiment
// on that task — its base checkpoint, its RL arms, the answer budget the task declares — cuts off fewer
// than 2 % of completions over a few RL steps, run through the lab's own training session in Node.
// (With the old fixed budget of 8 tokens, 97–100 % of reversal completions were cut off; with exactly the
// longest answer + EOS, 11 % of sorting's — see answerBudgetOf in src/tasks/task.ts.)
import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../src/experiment/schema';
import { TASKS } from '../src/tasks/registry';
import { runExperimentInNode } from './nodeRun';

const STEPS = 2;

describe('the default experiment of every task fits its answers in the budget', () => {
  for (const task of TASKS) {
    it(`${task.id}: under 2 % of completions cut off`, async () => {
      const config = experimentSchema.parse({ task: { id: task.id }, run: { steps: STEPS, evalEvery: 0 } });
      const result = await runExperimentInNode(config);
      expect(result.errors).toEqual([]);
      expect(result.steps.length).toBe(STEPS);
      const cut = result.steps.reduce((a, m) => a + m.completions.clipped_ratio, 0) / STEPS;
      console.log(`answer budget ${task.id}: ${task.answerBudget} tokens, arms ${result.info?.arms.join(',')}, cut off ${(cut * 100).toFixed(2)} % of ${STEPS * 128} completions`);
      expect(cut).toBeLessThan(0.02);
    }, 300_000);
  }
});
