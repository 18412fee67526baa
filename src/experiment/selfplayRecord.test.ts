// A self-play run's iterations as a comparable record: held-out pass@k per arm becomes evaluations, and
// iterations 1 … N stand for the steps.
import { describe, expect, it } from 'vitest';
import { comparableSteps, selfplayEvaluations, type SelfplayIterations } from './selfplayRecord';

const run: SelfplayIterations = {
  loop: 'self-consuming',
  iterations: [
    { iteration: 0, 'heldout/accuracy/n3': 0.1, 'heldout/greedy/n3': 0.2, 'heldout_pass_at_k/n3/1': 0.1, 'heldout_pass_at_k/n3/2': 0.18, 'heldout_pass_at_k/n3/4': 0.3 },
    { iteration: 1, 'heldout/accuracy/n3': 0.15, 'heldout_pass_at_k/n3/1': 0.15, 'heldout_pass_at_k/n3/2': 0.25, 'heldout_pass_at_k/n3/4': 0.4, 'explore/distinct_correct': 1.5 },
  ],
};

describe('selfplayEvaluations', () => {
  it('turns each iteration\'s held-out pass@k into an evaluation after that many iterations', () => {
    const e = selfplayEvaluations(run, 'countdown', 32);
    expect(e.map((x) => x.afterSteps)).toEqual([0, 1]);
    expect(e[0].arms).toEqual([{ task: 'countdown', arm: 'n3', prompts: 32, samplesPerPrompt: 4, passAtK: { 1: 0.1, 2: 0.18, 4: 0.3 }, meanAtN: 0.1, greedyAccuracy: 0.2 }]);
    expect(e[1].arms[0].greedyAccuracy).toBeNull();
    expect(e[1].arms[0].passAtK['4']).toBe(0.4);
  });

  it('a loop without held-out pass@k has no evaluations', () => {
    expect(selfplayEvaluations({ loop: 'spin', iterations: [{ iteration: 1, 'heldout/mean': 0.5 }] }, 'addition', 8)).toEqual([]);
  });
});

describe('comparableSteps', () => {
  it('iterations 1 … N as steps 0 … N − 1; an RL record keeps its steps', () => {
    const steps = comparableSteps({ steps: [], selfplay: run });
    expect(steps).toEqual([{ ...run.iterations[1], step: 0 }]);
    const rl = [{ step: 0, reward: 1 }];
    expect(comparableSteps({ steps: rl })).toBe(rl);
  });
});
