import type { Lesson } from './types';

export const curriculaLesson: Lesson = {
  id: 'curricula',
  title: 'Curricula: which problems to train on next',
  paper: { title: 'DUMP: Automated Distribution-Level Curriculum Learning for RL-based LLM Post-training (Wang et al., 2025)' },
  steps: [
    {
      kind: 'question',
      text: 'DUMP draws from four addition arms (1 to 4 digits) by a UCB score on the mean |advantage| each arm gave recently. Where does it put its mass first?',
      choices: ['On the easiest arm', 'On the hardest arm', 'On the arms the model half-solves', 'Evenly, for ever'],
    },
    { kind: 'run', text: 'Run the DUMP curriculum over every addition arm.', preset: 'curriculum-dump', card: 'curriculum-race' },
    { kind: 'look', text: 'The arm-probability chart: each band one arm, the stack adds up to 1.', chart: { kind: 'plot', id: 'arm_probability' } },
    {
      kind: 'explain',
      text:
        'A group whose answers are all right or all wrong has zero advantage: no gradient. The learning signal is largest where the model is right about half the time, so |A| is a proxy for how much an arm can teach now. ' +
        'DUMP (a UCB bandit on |A|) and SEC (a softmax over a TD(0) value of |A|) move their mass to those arms and on to harder ones as the easy ones saturate.',
    },
    { kind: 'try', text: 'Compare with a uniform draw over the same arms.', variations: [{ label: 'GRPO on addition (uniform)', preset: 'default' }] },
  ],
};
