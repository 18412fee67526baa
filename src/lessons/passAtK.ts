import type { Lesson } from './types';

export const passAtKLesson: Lesson = {
  id: 'pass-at-k',
  title: 'What RLVR does to pass@1 — and to pass@k',
  paper: { title: 'Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs Beyond the Base Model? (Yue et al., 2025)', url: 'https://arxiv.org/abs/2504.13837' },
  steps: [
    {
      kind: 'question',
      text: 'GRPO trains the addition model on two-digit sums it already solves about half the time. After training, what happens to pass@1 (one sample right) and to pass@16 (at least one of 16 right)?',
      choices: ['Both rise a lot', 'pass@1 rises a lot, pass@16 hardly moves', 'pass@16 rises more than pass@1', 'Neither moves'],
    },
    { kind: 'run', text: 'Run the default experiment: GRPO from the shipped addition checkpoint.', preset: 'default', card: 'sharpening-ceiling' },
    {
      kind: 'look',
      text: 'Watch the held-out pass@k chart: the pass@1 line against the pass@16 line, from the first evaluation (step 0, the base model) on.',
      chart: { kind: 'plot', id: 'pass_at_k' },
    },
    {
      kind: 'explain',
      text:
        'RLVR sharpens: it moves probability onto answers the base model could already sample, so pass@1 climbs towards pass@16 while pass@16 — what the base could reach with enough tries — barely moves. ' +
        'Yue et al. found that at large k the base model often matches or beats the RL model: RL makes the right answer likelier, it rarely makes a new one reachable. Here the base is near the ceiling at k = 16 (≈ 0.94), so there is little room either way; the gallery shows tasks where the base is far from it.',
    },
    {
      kind: 'try',
      text: 'Try the same question with other estimators and settings: does any of them move pass@16?',
      variations: [
        { label: 'Dr. GRPO', preset: 'dr-grpo' },
        { label: 'RLOO', preset: 'rloo' },
        { label: 'Negative samples only', preset: 'negative-only' },
      ],
    },
  ],
};
