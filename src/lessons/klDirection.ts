import type { Lesson } from './types';

export const klDirectionLesson: Lesson = {
  id: 'kl',
  title: 'The KL penalty, its estimators and its direction',
  paper: { title: 'Approximating KL Divergence (Schulman, 2020); ProRL (Liu et al., 2025) for reference resets', url: 'http://joschu.net/blog/kl-approx.html' },
  steps: [
    {
      kind: 'question',
      text: 'A KL penalty β·k3 in the loss pulls the policy back towards the reference model. Over a run, what does the measured KL to the reference do?',
      choices: ['Stays at 0', 'Grows, but more slowly than without the penalty', 'Grows without bound', 'Falls'],
    },
    { kind: 'run', text: 'Run GRPO with k3 in the loss at β = 0.05.', preset: 'kl-k3-loss', card: 'kl-choice' },
    { kind: 'look', text: 'The KL chart: k1, k2 and k3, measured every step (even with β = 0).', chart: { kind: 'plot', id: 'kl' } },
    {
      kind: 'explain',
      text:
        'With d = log π − log π_ref on tokens sampled from π, the three estimators have the same target but different gradients in the loss: k1 = d has zero expected gradient (no pull at all); k2 = d²/2 follows the reverse KL(π‖π_ref) — mode-seeking; ' +
        'k3 = e^−d + d − 1 follows the forward KL(π_ref‖π) — mass-covering, although its value estimates the reverse KL. A small β lets the policy drift slowly; ProRL resets the reference to the current policy every so often so the penalty does not pin the policy to the base for ever.',
    },
    { kind: 'try', text: 'Reset the reference every 20 steps and watch KL drop at each reset.', variations: [{ label: 'KL with reference resets', preset: 'kl-reset' }] },
  ],
};
