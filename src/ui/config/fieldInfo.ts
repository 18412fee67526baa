// Labels and tooltips of the config fields. A tooltip names whose definition the lab follows
// (docs/rl-reference.md), so a student can compare with TRL, verl or OpenRLHF. The fields themselves —
// kinds, ranges, choices, defaults — come from the zod schema; this file only adds words. A
// curriculum's or a self-play loop's parameters carry their own words (src/curriculum/<kind>.ts,
// src/selfplay/registry.ts), beside their ranges and defaults.
export interface FieldInfo {
  label: string;
  /** The reference definition, shown as a tooltip and under the field on focus. */
  help: string;
  /** Input step for numbers ('any' for continuous values). */
  step?: number | 'any';
}

export const ALGORITHM_GROUPS: { title: string; fields: string[] }[] = [
  { title: 'Sampling', fields: ['promptsPerStep', 'samplesPerPrompt', 'maxNewTokens', 'truncation', 'temperature', 'topK', 'topP'] },
  { title: 'Advantages', fields: ['estimator', 'rewardScale'] },
  { title: 'Policy loss', fields: ['clipLow', 'clipHigh', 'dualClip', 'positiveWeight', 'negativeWeight', 'entropyCoef', 'ppoEpochs', 'aggregation'] },
  { title: 'KL to the reference', fields: ['klCoef', 'klEstimator', 'klInReward', 'refResetEvery', 'refResetOptimizer'] },
  { title: 'Dynamic sampling', fields: ['dynamicSampling', 'dynamicSamplingMaxTries'] },
  { title: 'Optimiser', fields: ['lr', 'lrSchedule', 'warmupSteps', 'beta1', 'beta2', 'weightDecay', 'maxGradNorm'] },
];

export const FIELD_INFO: Record<string, FieldInfo> = {
  promptsPerStep: { label: 'Prompts per step (B)', help: 'Distinct prompts per training step (verl data.train_batch_size; in TRL the batch size divided by num_generations).' },
  samplesPerPrompt: { label: 'Samples per prompt (G)', help: 'Group size G: completions sampled per prompt (TRL num_generations, verl rollout.n). Advantages compare samples within a group.' },
  maxNewTokens: {
    label: 'Answer budget (max new tokens)',
    help: "New tokens per completion, EOS included (TRL max_completion_length). Follows the task unless you set it: the task's longest answer + EOS + a margin. Completions cut off here count in completions/clipped_ratio and are scored by the truncation rule, never by their text; evaluation uses the same budget.",
  },
  truncation: {
    label: 'Cut-off completions',
    help: "How a completion that hits the budget without EOS is scored. wrong: reward 0, like an overlong answer. soft-overlong: DAPO's soft overlong punishment (−1 when cut off, a ramp over the budget's margin). mask: reward 0 and left out of the loss (TRL mask_truncated_completions).",
  },
  refResetOptimizer: { label: 'Reset AdamW with the reference', help: "ProRL's hard reset: when the reference policy is reset, AdamW's moments and step start over too. Off: only the reference is reset." },
  temperature: { label: 'Temperature T', help: 'Sampling temperature. Logits are divided by T before every log-prob, entropy and KL, as in TRL, verl and OpenRLHF.', step: 'any' },
  topK: { label: 'Top-k', help: 'Sample only among the k most likely tokens; 0 = off (vLLM top_k = -1).' },
  topP: { label: 'Top-p', help: 'Nucleus sampling: the smallest set of tokens with probability ≥ p; 1 = off.', step: 'any' },
  estimator: {
    label: 'Advantage estimator',
    help:
      'grpo: (r − mean_g) / (std_g + 1e-4), std with Bessel, as TRL GRPO. dr-grpo: no std scaling (Dr. GRPO). ' +
      'rloo: r − mean of the other samples, as TRL RLOO. reinforce++: −β·KL token rewards, γ = 1 returns, whitened over the batch (OpenRLHF / verl); ' +
      'reinforce++-baseline subtracts the group mean first. reinforce: 2r − 1 (a right answer +1, a wrong one −1), no baseline — the PSR/NSR paper\'s estimator, under which an all-wrong group still pushes its samples down (GRPO gives it zero); λ+ / λ− weigh the two kinds.',
  },
  rewardScale: { label: 'Reward scaling (GRPO)', help: 'TRL scale_rewards: group (default: group mean and std) | batch (group mean, batch std) | none.' },
  clipLow: { label: 'ε_low', help: 'Lower clip: ρ is clipped at 1 − ε_low (PPO / TRL epsilon = 0.2).', step: 'any' },
  clipHigh: { label: 'ε_high', help: 'Upper clip: ρ is clipped at 1 + ε_high. 0.2 = PPO; DAPO clip-higher 0.28 (TRL epsilon_high).', step: 'any' },
  dualClip: { label: 'Dual clip c', help: 'verl dual clip (clip_ratio_c = 3): for A < 0 the per-token loss is capped at −A·c. Off = no dual clip.', step: 'any' },
  positiveWeight: { label: 'λ+ (positive samples)', help: 'Scales the loss of samples with A > 0 (PSR, "The Surprising Effectiveness of Negative Reinforcement in LLM Reasoning"). 0 = negative samples only (NSR).', step: 'any' },
  negativeWeight: { label: 'λ− (negative samples)', help: 'Scales the loss of samples with A < 0 (NSR in the same paper). 0 = positive samples only (PSR).', step: 'any' },
  entropyCoef: { label: 'Entropy bonus c_H', help: 'Subtracts c_H · H_t from the per-token loss (verl entropy_coeff). H is the full-vocabulary entropy of logits / T, as TRL.', step: 'any' },
  ppoEpochs: {
    label: 'Passes per batch',
    help: 'Optimisation passes over each batch (TRL num_iterations, verl ppo_epochs). With 1 pass ρ ≡ 1 and nothing can clip: the clip-ratio plots stay at zero (TRL issue #3120).',
  },
  aggregation: {
    label: 'Loss aggregation',
    help:
      'verl names. token-mean = TRL dapo/bnpo: Σ m·ℓ / Σ m. seq-mean-token-mean = TRL grpo. seq-mean-token-sum: mean over sequences of Σ_t m·ℓ. ' +
      'seq-mean-token-sum-norm = TRL dr_grpo: Σ m·ℓ / (B · max_completion_length).',
  },
  klCoef: { label: 'KL coefficient β', help: 'β (TRL beta, verl kl_loss_coef / kl_ctrl.kl_coef). KL is always measured (k1, k2, k3), even with β = 0.', step: 'any' },
  klEstimator: {
    label: 'KL estimator (in the loss)',
    help:
      'd = logπ − logπ_ref. k1 = d (verl kl); k2 = d²/2 (verl mse); k3 = exp(−d) + d − 1, as TRL GRPO / verl low_var_kl (d clamped to ±20, k3 to ±10 as verl). ' +
      'In the loss, on-policy: k1 has zero expected gradient (no pull at all); k2 follows the reverse KL(π‖π_ref)\'s gradient (mode-seeking); k3 follows the forward KL(π_ref‖π)\'s gradient (mass-covering).',
  },
  klInReward: {
    label: 'KL in the reward',
    help: 'Off: β·k is added to the per-token loss (TRL GRPO, verl use_kl_loss). On: β·Σ_t k1 is subtracted from the reward (TRL RLOO, verl use_kl_in_reward, OpenRLHF default).',
  },
  refResetEvery: { label: 'Reset reference every', help: 'Copy the policy into the reference policy every N steps (ProRL); 0 = never. KL is measured before each step, so it reads 0 on a reset step by construction.' },
  dynamicSampling: { label: 'Dynamic sampling', help: 'DAPO dynamic sampling: drop groups whose rewards are all equal (zero std) and generate more until the batch is full.' },
  dynamicSamplingMaxTries: { label: 'Max generation rounds', help: 'Bound on DAPO\'s regeneration rounds per step (DAPO max_num_gen_batches).' },
  lr: { label: 'Learning rate', help: 'AdamW peak learning rate. A 0.16 M-parameter policy needs far more than the 1e-6 of billion-parameter runs.', step: 'any' },
  lrSchedule: { label: 'LR schedule', help: 'constant, or linear warm-up then cosine decay to 0 over the run (TRL lr_scheduler_type "cosine" with warmup_steps).' },
  warmupSteps: { label: 'Warm-up steps', help: 'Linear warm-up length of the warmup-cosine schedule.' },
  beta1: { label: 'AdamW β1', help: 'First-moment decay (torch.optim.AdamW betas[0]).', step: 'any' },
  beta2: { label: 'AdamW β2', help: 'Second-moment decay (torch.optim.AdamW betas[1]).', step: 'any' },
  weightDecay: { label: 'Weight decay', help: 'Decoupled weight decay (AdamW).', step: 'any' },
  maxGradNorm: { label: 'Max grad norm', help: 'Global gradient-norm clipping (TRL max_grad_norm = 1.0); 0 = off.', step: 'any' },
  'filter-enabled': {
    label: 'Filter by group accuracy',
    help: 'Keep only prompts whose group accuracy p (correctness component, else reward) is in the band; the others are left out of the loss. More prompts are generated, within the budget, to fill the batch (PRIME, OpenRLHF).',
  },
  'filter-lo': { label: 'Band: lower edge', help: 'Smallest group accuracy kept (PRIME: 0.2).', step: 'any' },
  'filter-hi': { label: 'Band: upper edge', help: 'Largest group accuracy kept (PRIME: 0.8).', step: 'any' },
  'filter-mode': { label: 'Band edges', help: 'inclusive: lo ≤ p ≤ hi (PRIME). strict: lo < p < hi (OpenRLHF).' },
  'filter-budget': { label: 'Over-sampling budget (× B)', help: 'Most prompts generated per step, as a multiple of prompts per step. 1 = no over-sampling: the step trains on the groups that pass.', step: 'any' },
  'filter-maxRounds': { label: 'Max generation rounds', help: 'Most generation rounds per step; each round is sized by the keep rate seen so far.' },
  sftSteps: { label: 'SFT steps', help: 'Supervised steps of the warm-up before RL: batches of the task\'s training problems (never held-out ones), every arm equally, cross-entropy on the answer + EOS. The shipped base checkpoints took a few hundred.' },
  sftLr: { label: 'SFT learning rate', help: 'AdamW peak learning rate of the warm-up: linear warm-up over the first 10 % of its steps, then cosine decay to 10 % (the pretraining recipe, scripts/pretrain.ts: 5e-3).', step: 'any' },
  sftBatch: { label: 'SFT batch size', help: 'Examples (prompt + answer) per supervised step.' },
  steps: { label: 'Training steps', help: 'The run stops after this many optimisation steps.' },
  evalEvery: { label: 'Evaluate every', help: 'Held-out pass@k evaluation every N steps (and at step 0 and the last step); 0 = never.' },
  evalPrompts: { label: 'Eval prompts per arm', help: 'Held-out prompts per arm in each evaluation.' },
  evalSamples: { label: 'Eval samples per prompt (n)', help: 'n samples per held-out prompt: pass@k for k ≤ n, unbiased estimator of openai/human-eval.' },
  seeds: {
    label: 'Seeds',
    help: 'Run the experiment N times, with the seeds seed, seed + 1, … (the seed is in the top bar), trained together step by step (N times the time per step). One run in the list, with a mean and a band in the plots: how much of a difference is the seed, not the change? The evaluation is the same ruler for every seed.',
  },
};

export function fieldInfo(name: string): FieldInfo {
  return FIELD_INFO[name] ?? { label: name, help: '' };
}
