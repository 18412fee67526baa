import type { Lesson } from './types';

export const selfPlayLesson: Lesson = {
  id: 'self-play',
  title: 'Self-play: a model that trains on itself',
  paper: { title: 'Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models (SPIN, Chen et al., 2024)', url: 'https://arxiv.org/abs/2401.01335' },
  steps: [
    {
      kind: 'question',
      text: 'SPIN trains the model to prefer the real answer over its own previous answer, iteration after iteration. When does the loop stop improving?',
      choices: ['Never', 'When its answers equal the real ones', 'After exactly one iteration', 'When the reward model saturates'],
    },
    { kind: 'run', text: 'Run SPIN against the previous iterate (or first show its recorded run: one seed, with plain SFT on the same pairs as its control).', preset: 'selfplay-spin', card: 'self-play' },
    { kind: 'look', text: 'The "opponent answers = real" chart: pairs where the two are equal give no gradient.', chart: { kind: 'selfplay-plot', id: 'generated_equals_real' } },
    {
      kind: 'explain',
      text:
        'SPIN\'s loss is a logistic loss on the margin between the real answer and the opponent\'s (the previous iterate\'s) answer. When the model reproduces the real answers, the two are equal, the margin is zero and so is the gradient: the fixed point is the data distribution. ' +
        'SPIN assumes supervised fine-tuning has already saturated on those pairs; from a weaker start, plain SFT can do as well.',
    },
    {
      kind: 'try',
      text: 'Other loops: a proposer that writes its own problems, and generations trained on their own outputs.',
      variations: [
        { label: 'Propose/solve (Absolute Zero)', preset: 'selfplay-propose-solve' },
        { label: 'Self-consuming generations', preset: 'selfplay-self-consuming' },
      ],
    },
  ],
};
