import type { Lesson } from './types';

export const rewardHackingLesson: Lesson = {
  id: 'reward-hacking',
  title: 'Reward hacking: optimising a proxy',
  paper: { title: 'Scaling Laws for Reward Model Overoptimization (Gao et al., 2023)', url: 'https://arxiv.org/abs/2210.10760' },
  steps: [
    {
      kind: 'question',
      text: 'The reward pays for a well-formed integer and for length, and nothing for being right. As the proxy reward climbs, what happens to accuracy?',
      choices: ['It rises with the proxy', 'It stays where it was', 'It falls', 'It cannot be measured'],
    },
    { kind: 'run', text: 'Run the reward-hacking preset.', preset: 'reward-hacking', card: 'reward-hacking' },
    { kind: 'look', text: 'The reward chart: the proxy reward, with the correctness component plotted beside it.', chart: { kind: 'plot', id: 'reward' } },
    {
      kind: 'explain',
      text:
        'The policy climbs whatever the reward measures. Format and length are easier to raise than correctness, so the proxy rises while nothing protects right answers — Goodhart\'s law: a measure that becomes a target stops being a good measure. ' +
        'Verifiable rewards are the defence RLVR is named after; the correctness component shows the moment the proxy and the verifier part.',
    },
    { kind: 'try', text: 'Go back to the verifier as the reward.', variations: [{ label: 'GRPO on addition (verifier)', preset: 'default' }] },
  ],
};
