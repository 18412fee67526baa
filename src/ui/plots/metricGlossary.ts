// The glossary of the plotted metrics, opened from a chart's title (MetricChart): what the number means,
// its formula as this lab computes it, and whose definition it follows (docs/rl-reference.md has the
// line-by-line mapping to TRL, verl and OpenRLHF). A chart without an entry shows its `about` text.

export interface GlossaryEntry {
  term: string;
  meaning: string;
  formula: string;
  source: string;
}

export const METRIC_GLOSSARY: Readonly<Record<string, GlossaryEntry>> = {
  reward: {
    term: 'reward',
    meaning: 'The mean reward of every completion the step generated: with the task’s verifier, the fraction answered right.',
    formula: 'reward = (1/N) Σᵢ rᵢ over the N = prompts × G completions of the step',
    source: 'TRL “reward”',
  },
  pass_at_k: {
    term: 'pass@k',
    meaning: 'The chance that at least one of k samples for a held-out prompt is right. pass@1 is the accuracy of one sample; a large k asks what the policy can reach at all.',
    formula: 'pass@k = E_prompts[ 1 − C(n − c, k) / C(n, k) ]  (n samples, c of them right)',
    source: 'the unbiased estimator of Chen et al. 2021 (Codex; openai/human-eval)',
  },
  pass_at_k_curve: {
    term: 'pass@k against k',
    meaning: 'pass@k at every k for two evaluations: RLVR often lifts pass@1 while pass@k for large k stays or falls — sharpening rather than new reach.',
    formula: 'pass@k = E_prompts[ 1 − C(n − c, k) / C(n, k) ],  k = 1, 2, 4 … n',
    source: 'Chen et al. 2021; Yue et al. 2025 (“Does RL really incentivize reasoning…?”)',
  },
  entropy: {
    term: 'entropy',
    meaning: 'How spread the policy’s next-token distribution is over the completion tokens. Falling entropy = the policy commits (entropy collapse when it falls too fast).',
    formula: 'H = −Σ_v p(v) log p(v),  p = softmax(logits / T), mean over completion tokens',
    source: 'TRL “entropy”',
  },
  kl: {
    term: 'KL to the reference',
    meaning: 'How far the policy has moved from the reference policy on its own samples, by three per-token estimators.',
    formula: 'd = log π(y) − log π_ref(y);  k1 = d,  k2 = d²/2,  k3 = e^(−d) + d − 1',
    source: 'Schulman, “Approximating KL divergence” (2020); k3 clamped as verl',
  },
  completion_length: {
    term: 'mean completion length',
    meaning: 'Tokens per completion, EOS included.',
    formula: 'mean_length = (1/N) Σᵢ |oᵢ|',
    source: 'TRL completions/mean_length',
  },
  clip_ratio: {
    term: 'clip ratio',
    meaning: 'The fraction of tokens whose probability ratio was clipped, so their gradient is zero. With one optimisation pass per batch ρ ≡ 1 and nothing clips.',
    formula: 'ρ = π(y)/π_old(y);  low: ρ < 1 − ε_low with A < 0;  high: ρ > 1 + ε_high with A > 0',
    source: 'TRL clip_ratio/*; PPO (Schulman et al. 2017); ε_high from DAPO',
  },
  grad_norm: {
    term: 'gradient norm',
    meaning: 'The size of the whole gradient before it is clipped to the maximum norm.',
    formula: '‖g‖₂ = √(Σ over every parameter of g²)',
    source: 'TRL grad_norm (PyTorch clip_grad_norm_)',
  },
  frac_reward_zero_std: {
    term: 'groups with zero reward spread',
    meaning: 'Groups whose G rewards all agree: every advantage is 0 and the group teaches nothing.',
    formula: 'frac = #{groups with std(r₁ … r_G) = 0} / #groups',
    source: 'TRL frac_reward_zero_std; DAPO dynamic sampling removes them',
  },
  loss: {
    term: 'policy loss',
    meaning: 'The clipped surrogate the optimiser minimises, after aggregation over tokens (plus the KL and entropy terms when they are on).',
    formula: 'L = −agg_t min(ρ_t A, clip(ρ_t, 1 − ε_low, 1 + ε_high) A) + β·KL − c_H·H',
    source: 'GRPO (Shao et al. 2024, DeepSeekMath); token-mean aggregation from DAPO',
  },
  arm_abs_advantage: {
    term: 'mean |A| per arm',
    meaning: 'How much an arm’s samples still move the policy: arms that are all solved or all failed have |A| = 0.',
    formula: 'A_i = (r_i − mean(r)) / std(r) within a group;  score = mean over the arm’s window of token-mean |A|',
    source: 'DUMP and SEC curricula',
  },
  frac_filtered: {
    term: 'fraction filtered',
    meaning: 'Groups left out of the loss because their accuracy fell outside the band (all solved or all failed at the default band).',
    formula: 'kept when lo ≤ p ≤ hi (inclusive) or lo < p < hi (strict),  p = group accuracy',
    source: 'online difficulty filtering: PRIME (inclusive), OpenRLHF (strict)',
  },
};
