// The OpenRLHF target: the command line of train_ppo_ray (OpenRLHF ≥ 0.10.3, dotted flags; checked
// against OpenRLHF 0.11). OpenRLHF counts rollout batches in prompts (--rollout.batch_size = B) and
// training batches in samples (--train.batch_size = B·G: one optimiser step per pass, as in the lab).
import { answerBudget } from '../toTrainerConfig';
import { commonUnmapped, passAtKUnmapped, REINFORCE_UNMAPPED } from './common';
import { num, STD_EPSILON, type ExportContext } from './context';
import type { ConfigEntry, MappedSetting, TargetMapping, UnmappedSetting } from './types';

export interface OpenrlhfExport extends TargetMapping {
  /** Flags with their values ('' for a switch). */
  entries: ConfigEntry[];
}

const ESTIMATOR = { grpo: 'group_norm', 'dr-grpo': 'dr_grpo', rloo: 'rloo', 'reinforce++': 'reinforce', 'reinforce++-baseline': 'reinforce_baseline' } as const;
const SWITCH = '';

export function mapOpenrlhf(ctx: ExportContext): OpenrlhfExport {
  const { config } = ctx;
  const a = config.algorithm;
  // The run's answer budget: the user's maxNewTokens, or the task's own.
  const budget = answerBudget(config);
  const mapped: MappedSetting[] = [];
  const unmapped: UnmappedSetting[] = [...commonUnmapped(config, 'openrlhf')];
  const entries: ConfigEntry[] = [];
  const set = (lab: string, value: string, keys: [string, string][], note?: string) => {
    const rendered = keys.map(([key, v]) => ({ key, value: v }));
    entries.push(...rendered);
    mapped.push({ lab, value, keys: rendered, ...(note ? { note } : {}) });
  };
  const B = a.promptsPerStep;
  const G = a.samplesPerPrompt;

  set('seed', num(config.seed), [['--train.seed', num(config.seed)]], 'Seeds the data order; sampling differs from the lab\'s counter-based GPU sampler.');
  set('prompts per step B', num(B), [['--rollout.batch_size', num(B)], ['--train.batch_size', num(B * G)]], 'OpenRLHF counts rollout prompts but training samples: B·G samples = one optimiser step per pass.');
  set('group size G', num(G), [['--rollout.n_samples_per_prompt', num(G)]]);
  set('max new tokens', num(budget), [['--rollout.max_new_tokens', num(budget)], ['--data.max_len', num(ctx.maxPromptTokens + budget)]]);
  set('sampling', `temperature ${a.temperature}, top-p ${a.topP}`, [['--rollout.temperature', num(a.temperature)], ['--rollout.top_p', num(a.topP)]]);
  if (a.topK > 0) unmapped.push({ lab: 'top-k', value: num(a.topK), why: 'train_ppo_ray has no top-k flag.', instead: 'Pass top_k to vLLM by patching the sampling parameters, or export to TRL (`top_k`) / verl (`rollout.top_k`).' });
  set('passes per batch', num(a.ppoEpochs), [['--train.max_epochs', num(a.ppoEpochs)]]);
  set('steps', num(config.run.steps), [['--train.num_episodes', '1']], `data/train.jsonl holds steps × B = ${ctx.trainRows} prompts, so one episode is ${config.run.steps} steps.`);
  set('learning rate', num(a.lr), [['--actor.adam.lr', num(a.lr)]]);
  if (a.lrSchedule === 'constant') set('lr schedule', 'constant', [['--actor.lr_scheduler', 'constant'], ['--actor.lr_warmup_ratio', '0']]);
  else set('lr schedule', `warm-up ${a.warmupSteps} steps, cosine to 0`, [['--actor.lr_scheduler', 'cosine_with_min_lr'], ['--actor.lr_warmup_ratio', num(a.warmupSteps / config.run.steps)], ['--actor.min_lr_ratio', '0']], 'Warm-up is a ratio of the run here; warms up from 0.');
  set('AdamW', `β1 ${a.beta1}, β2 ${a.beta2}, ε 1e-8, weight decay ${a.weightDecay}`, [['--actor.adam.betas', `${a.beta1} ${a.beta2}`], ['--actor.adam.eps', '1e-8'], ['--actor.adam.weight_decay', num(a.weightDecay)]]);
  set('max grad norm', num(a.maxGradNorm), [['--actor.max_norm', num(a.maxGradNorm)]]);
  set('clip ε low / high', `${a.clipLow} / ${a.clipHigh}`, [['--actor.eps_clip_low_high', `${a.clipLow} ${a.clipHigh}`]]);
  if (a.dualClip !== null) set('dual clip c', num(a.dualClip), [['--actor.dual_clip', num(a.dualClip)]]);
  set('entropy bonus', num(a.entropyCoef), [['--actor.entropy_coef', num(a.entropyCoef)]]);
  const estimator = ESTIMATOR[a.estimator as keyof typeof ESTIMATOR];
  if (a.estimator === 'grpo' && a.rewardScale === 'batch') {
    unmapped.push({ lab: 'reward scale', value: 'batch', why: 'OpenRLHF\'s group_norm divides by the group\'s std (or nothing with --algo.advantage.no_std_norm); there is no batch std.', instead: 'Export to TRL (`scale_rewards="batch"`), or keep group scaling.' });
    set('advantage estimator', 'grpo', [['--algo.advantage.estimator', estimator]]);
  } else if (a.estimator === 'grpo' && a.rewardScale === 'none') {
    set('advantage estimator', 'grpo, reward scale none', [['--algo.advantage.estimator', estimator], ['--algo.advantage.no_std_norm', SWITCH]]);
  } else if (a.estimator === 'reinforce') {
    unmapped.push(REINFORCE_UNMAPPED);
  } else {
    set('advantage estimator', a.estimator, [['--algo.advantage.estimator', estimator]],
      a.estimator === 'grpo' ? `OpenRLHF's std ε is ${STD_EPSILON.openrlhf}, the lab's ${STD_EPSILON.lab}: advantages differ only for groups with near-zero std.` : undefined);
  }
  if (a.aggregation !== 'token-mean') unmapped.push({ lab: 'loss aggregation', value: a.aggregation, why: 'OpenRLHF always averages over all tokens of the batch (token-mean).', instead: 'Export to verl (`loss_agg_mode`) or TRL (`loss_type`), which have it.' });
  if (a.klCoef === 0) set('KL penalty', 'off', [['--algo.kl.init_coef', '0']]);
  else if (a.klInReward) set('KL penalty', `β ${a.klCoef}, ${a.klEstimator}, in the reward`, [['--algo.kl.init_coef', num(a.klCoef)], ['--algo.kl.estimator', a.klEstimator]]);
  else set('KL penalty', `β ${a.klCoef}, ${a.klEstimator}, in the loss`, [['--algo.kl.init_coef', num(a.klCoef)], ['--algo.kl.estimator', a.klEstimator], ['--algo.kl.use_loss', SWITCH]]);
  if (a.refResetEvery > 0) unmapped.push({ lab: 'reference reset', value: `every ${a.refResetEvery} steps`, why: 'OpenRLHF keeps the reference model fixed.', instead: 'Run in phases of N steps, each from the previous phase\'s saved HF checkpoint (`--ckpt.save_hf`) as both actor and reference, or export to TRL (`sync_ref_model`).' });
  if (a.dynamicSampling) {
    if (config.reward.kind === 'verifier') {
      set('dynamic sampling', `on, ≤ ${a.dynamicSamplingMaxTries} tries`, [['--algo.dynamic_filtering_enable', SWITCH], ['--algo.dynamic_filtering_range', '0 1']],
        'Keeps groups whose mean score is strictly between 0 and 1 — with a 0/1 verifier, exactly the groups with reward variance. OpenRLHF samples until the batch is full, with no try limit.');
    } else {
      unmapped.push({ lab: 'dynamic sampling', value: `on, ≤ ${a.dynamicSamplingMaxTries} tries`, why: 'OpenRLHF filters on the mean score (correctness here), not on the variance of this experiment\'s shaped reward.', instead: 'Accept filtering on correctness (`--algo.dynamic_filtering_enable --algo.dynamic_filtering_range 0 1`), or filter in reward_func.' });
    }
  }
  set('held-out evaluation', `every ${config.run.evalEvery} steps, ${config.run.evalSamples} samples per prompt`, [['--eval.steps', num(config.run.evalEvery > 0 ? config.run.evalEvery : -1)], ['--eval.n_samples_per_prompt', num(config.run.evalSamples)], ['--eval.temperature', num(a.temperature)]]);
  unmapped.push(passAtKUnmapped(config));
  entries.push(
    { key: '--actor.model_name_or_path', value: '$PWD/model' },
    { key: '--data.prompt_dataset', value: '$PWD/data/train.jsonl' },
    { key: '--eval.dataset', value: '$PWD/data/test.jsonl' },
    { key: '--data.input_key', value: 'prompt' },
    { key: '--data.label_key', value: 'label' },
    { key: '--reward.remote_url', value: '$PWD/reward.py' },
    { key: '--ckpt.output_dir', value: '$PWD/out' },
    { key: '--ckpt.save_hf', value: SWITCH },
    { key: '--actor.num_gpus_per_node', value: '1' },
    { key: '--ref.num_gpus_per_node', value: '1' },
    { key: '--vllm.num_engines', value: '1' },
    { key: '--train.colocate_all', value: SWITCH },
  );
  return { mapped, unmapped, entries };
}

export function openrlhfLaunchScript(ex: OpenrlhfExport, ctx: ExportContext): string {
  const flags = ex.entries.map((e) => `  ${e.key}${e.value === SWITCH ? '' : ` ${e.value.includes('$') ? `"${e.value}"` : e.value}`} \\`).join('\n');
  return `#!/usr/bin/env bash
# RLVR Lab experiment → OpenRLHF (>= 0.10.3, dotted flags; checked against OpenRLHF 0.11).
# Task ${ctx.config.task.id}, arms ${ctx.arms.join(', ')}, seed ${ctx.config.seed}. See README.md for what maps and what does not.
# Run from this folder on a Ray cluster (ray start --head). Set the GPU counts to your machine.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m openrlhf.cli.train_ppo_ray \\
${flags}
  "$@"
`;
}
