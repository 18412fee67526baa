import type { Lesson } from './types';

export const positiveNegativeLesson: Lesson = {
  id: 'positive-negative',
  title: 'Positive vs negative samples',
  paper: { title: 'The Surprising Effectiveness of Negative Reinforcement in LLM Reasoning (Zhu et al., 2025)' },
  steps: [
    {
      kind: 'question',
      text: 'Train only on the wrong answers (push them down, never push right ones up), or only on the right ones. Which keeps pass@k at large k higher?',
      choices: ['Positive samples only', 'Negative samples only', 'They end the same', 'Neither learns anything'],
    },
    { kind: 'run', text: 'Run negative samples only (λ+ = 0); then positive samples only (λ− = 0) to compare.', preset: 'negative-only', card: 'positive-negative' },
    { kind: 'look', text: 'The entropy chart — and the held-out pass@k chart at the largest k.', chart: { kind: 'plot', id: 'entropy' } },
    {
      kind: 'explain',
      text:
        'Pushing a wrong answer down spreads its probability over every other token in proportion to how likely they already are: the policy stays broad, entropy stays high, and pass@k at large k holds up. ' +
        'Reinforcing right answers concentrates probability on them: pass@1 rises fastest, entropy collapses, pass@k at large k can fall. The paper trains REINFORCE on ±1 rewards without a baseline; with GRPO\'s group baseline an all-wrong group has zero advantage, which removes NSR\'s push on hard prompts — the lab\'s "reinforce" estimator (A = 2r − 1) is the paper\'s setting.',
    },
    { kind: 'try', text: 'Positive samples only, for the other side.', variations: [{ label: 'Positive samples only (PSR)', preset: 'positive-only' }] },
  ],
};
