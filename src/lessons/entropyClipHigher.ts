import type { Lesson } from './types';

export const entropyClipHigherLesson: Lesson = {
  id: 'entropy-clip-higher',
  title: 'Entropy collapse, and clip-higher',
  paper: { title: 'DAPO: An Open-Source LLM Reinforcement Learning System at Scale (Yu et al., 2025)', url: 'https://arxiv.org/abs/2503.14476' },
  steps: [
    {
      kind: 'question',
      text: 'With two optimisation passes per batch, PPO clips the probability ratio at 1 ± 0.2. DAPO raises only the upper bound to 1.28. What should that do to the entropy of the policy?',
      choices: ['Entropy falls faster', 'Entropy stays higher', 'No difference', 'Entropy rises above the start'],
    },
    { kind: 'run', text: 'Run symmetric clipping (0.2 / 0.2) first; then run clip-higher (0.2 / 0.28) and compare the two runs.', preset: 'clip-symmetric', card: 'clip-higher' },
    { kind: 'look', text: 'The entropy chart, both runs overlaid — and the clip_ratio chart: high_mean is where clip-higher acts.', chart: { kind: 'plot', id: 'entropy' } },
    {
      kind: 'explain',
      text:
        'The upper clip caps how much a step can raise an unlikely token\'s probability (ratio ≤ 1 + ε_high) when its advantage is positive, so rare but good tokens are held back while likely ones keep growing: entropy collapses. ' +
        'Raising ε_high lets the unlikely good tokens grow, which keeps entropy — exploration — higher. The effect needs several passes per batch (with one pass the ratio is exactly 1 and nothing clips) and is small at this scale: judge it over seeds, not one run.',
    },
    {
      kind: 'try',
      text: 'Compare with the presets that change the other side of the loss.',
      variations: [
        { label: 'Clip-higher (0.2 / 0.28)', preset: 'clip-higher' },
        { label: 'Dynamic sampling (DAPO)', preset: 'dynamic-sampling' },
      ],
    },
  ],
};
