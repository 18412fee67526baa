// The verl target: a Hydra config of overrides layered on verl's ppo_trainer (verl ≥ 0.5; keys checked
// against verl v0.7) and the launch command. verl counts batches in prompts (data.train_batch_size = B)
// and samples G responses per prompt (rollout.n).
import { answerBudget } from '../toTrainerConfig';
import { commonUnmapped, passAtKUnmapped, REINFORCE_UNMAPPED } from './common';
import { num, STD_EPSILON, type ExportContext } from './context';
import type { ConfigEntry, MappedSetting, TargetMapping, UnmappedSetting } from './types';

export interface VerlExport extends TargetMapping {
  /** Dotted override keys with YAML values. */
  entries: ConfigEntry[];
  /** Overrides that name paths on the machine: given on the command line, from $PWD. */
  pathEntries: ConfigEntry[];
}

const A = 'actor_rollout_ref.actor.';
const R = 'actor_rollout_ref.rollout.';
const KL_NAME = { k1: 'kl', k2: 'mse', k3: 'low_var_kl' } as const;
const ESTIMATOR = { grpo: 'grpo', 'dr-grpo': 'grpo', rloo: 'rloo', 'reinforce++': 'reinforce_plus_plus', 'reinforce++-baseline': 'reinforce_plus_plus_baseline' } as const;

const yamlValue = (v: unknown): string => (Array.isArray(v) ? `[${v.map(yamlValue).join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v));

export function mapVerl(ctx: ExportContext): VerlExport {
  const { config } = ctx;
  const a = config.algorithm;
  // The run's answer budget: the user's maxNewTokens, or the task's own.
  const budget = answerBudget(config);
  const mapped: MappedSetting[] = [];
  const unmapped: UnmappedSetting[] = [...commonUnmapped(config, 'verl')];
  const entries: ConfigEntry[] = [];
  const set = (lab: string, value: string, keys: [string, unknown][], note?: string) => {
    const rendered = keys.map(([key, v]) => ({ key, value: yamlValue(v) }));
    entries.push(...rendered);
    mapped.push({ lab, value, keys: rendered, ...(note ? { note } : {}) });
  };
  const B = a.promptsPerStep;
  const G = a.samplesPerPrompt;

  set('seed', num(config.seed), [['data.seed', config.seed]], 'Seeds the data order; sampling differs from the lab\'s counter-based GPU sampler.');
  set('prompts per step B', num(B), [['data.train_batch_size', B], [`${A}ppo_mini_batch_size`, B]], 'verl counts prompts; one mini-batch = one optimiser step per pass, as in the lab.');
  set('group size G', num(G), [[`${R}n`, G]]);
  set('max new tokens', num(budget), [['data.max_response_length', budget], ['data.max_prompt_length', ctx.maxPromptTokens]]);
  set('sampling', `temperature ${a.temperature}, top-p ${a.topP}, top-k ${a.topK || 'off'}`, [[`${R}temperature`, a.temperature], [`${R}top_p`, a.topP], [`${R}top_k`, a.topK > 0 ? a.topK : -1]]);
  set('passes per batch', num(a.ppoEpochs), [[`${A}ppo_epochs`, a.ppoEpochs]]);
  set('steps', num(config.run.steps), [['trainer.total_training_steps', config.run.steps]]);
  set('learning rate', num(a.lr), [[`${A}optim.lr`, a.lr]]);
  if (a.lrSchedule === 'constant') set('lr schedule', 'constant', [[`${A}optim.lr_scheduler_type`, 'constant'], [`${A}optim.lr_warmup_steps`, 0]]);
  else set('lr schedule', `warm-up ${a.warmupSteps} steps, cosine to 0`, [[`${A}optim.lr_scheduler_type`, 'cosine'], [`${A}optim.lr_warmup_steps`, a.warmupSteps], [`${A}optim.min_lr_ratio`, 0]], 'verl warms up from 0; the lab\'s first step already has lr/warmup.');
  set('AdamW', `β1 ${a.beta1}, β2 ${a.beta2}, weight decay ${a.weightDecay}`, [[`${A}optim.betas`, [a.beta1, a.beta2]], [`${A}optim.weight_decay`, a.weightDecay]], 'Adam ε stays torch\'s 1e-8, the lab\'s.');
  set('max grad norm', num(a.maxGradNorm), [[`${A}grad_clip`, a.maxGradNorm]]);
  set('clip ε low / high', `${a.clipLow} / ${a.clipHigh}`, [[`${A}clip_ratio_low`, a.clipLow], [`${A}clip_ratio_high`, a.clipHigh]]);
  if (a.dualClip !== null) set('dual clip c', num(a.dualClip), [[`${A}clip_ratio_c`, a.dualClip]]);
  else set('dual clip', 'off', [[`${A}clip_ratio_c`, 1e9]], 'verl always applies a dual clip (default c = 3); c = 1e9 never binds, as in the lab.');
  set('entropy bonus', num(a.entropyCoef), [[`${A}entropy_coeff`, a.entropyCoef]]);
  if (a.estimator === 'reinforce') unmapped.push(REINFORCE_UNMAPPED);
  else set('advantage estimator', a.estimator, [['algorithm.adv_estimator', ESTIMATOR[a.estimator as keyof typeof ESTIMATOR]]],
    a.estimator === 'grpo' || a.estimator === 'dr-grpo' ? `verl's std ε is ${STD_EPSILON.verl}, the lab's ${STD_EPSILON.lab}: advantages differ only for groups with near-zero std.` : undefined);
  if (a.estimator === 'grpo' || a.estimator === 'dr-grpo') {
    if (a.estimator === 'dr-grpo' || a.rewardScale !== 'batch') set('reward scale', a.estimator === 'dr-grpo' ? 'none (Dr. GRPO)' : a.rewardScale, [['algorithm.norm_adv_by_std_in_grpo', a.estimator !== 'dr-grpo' && a.rewardScale === 'group']]);
    else unmapped.push({ lab: 'reward scale', value: 'batch', why: 'verl\'s GRPO divides by the group\'s std or by nothing; there is no batch std.', instead: 'Export to TRL (`scale_rewards="batch"`), or keep group scaling.' });
  }
  const lossAgg = [[`${A}loss_agg_mode`, a.aggregation]] as [string, unknown][];
  if (a.aggregation === 'seq-mean-token-sum-norm') lossAgg.push([`${A}loss_scale_factor`, B * G * budget]);
  set('loss aggregation', a.aggregation, lossAgg, a.aggregation === 'seq-mean-token-sum-norm' ? 'verl divides the summed token losses by loss_scale_factor alone; B·G·max_new_tokens makes it the lab\'s constant.' : undefined);

  if (a.klCoef === 0) set('KL penalty', 'off', [[`${A}use_kl_loss`, false], ['algorithm.use_kl_in_reward', false]]);
  else if (a.klInReward) set('KL penalty', `β ${a.klCoef}, ${a.klEstimator}, in the reward`, [[`${A}use_kl_loss`, false], ['algorithm.use_kl_in_reward', true], ['algorithm.kl_penalty', KL_NAME[a.klEstimator as keyof typeof KL_NAME]], ['algorithm.kl_ctrl.type', 'fixed'], ['algorithm.kl_ctrl.kl_coef', a.klCoef]]);
  else set('KL penalty', `β ${a.klCoef}, ${a.klEstimator}, in the loss`, [[`${A}use_kl_loss`, true], [`${A}kl_loss_coef`, a.klCoef], [`${A}kl_loss_type`, KL_NAME[a.klEstimator as keyof typeof KL_NAME]], ['algorithm.use_kl_in_reward', false]],
    a.klEstimator === 'k3' ? 'verl clamps k3 to [−10, 10] as the lab does.' : undefined);
  if (a.refResetEvery > 0) unmapped.push({ lab: 'reference reset', value: `every ${a.refResetEvery} steps`, why: 'verl keeps the reference policy fixed for the whole run.', instead: 'Run in phases of N steps, each starting from the last checkpoint as both actor and reference (`actor_rollout_ref.model.path` = the previous phase\'s HF checkpoint), or export to TRL (`sync_ref_model`).' });
  if (a.dynamicSampling) unmapped.push({ lab: 'dynamic sampling', value: `on, ≤ ${a.dynamicSamplingMaxTries} tries`, why: 'main_ppo has no group filter; DAPO\'s dynamic sampling lives in the DAPO recipe (verl-recipe), not in ppo_trainer\'s keys.', instead: 'Run the DAPO recipe with `algorithm.filter_groups.enable=True`, `.metric=acc`, `.max_num_gen_batches=' + a.dynamicSamplingMaxTries + '`, or export to OpenRLHF (`--algo.dynamic_filtering_enable`).' });
  set('held-out evaluation', `every ${config.run.evalEvery} steps, ${config.run.evalSamples} samples per prompt`, [['trainer.test_freq', config.run.evalEvery > 0 ? config.run.evalEvery : -1], [`${R}val_kwargs.n`, config.run.evalSamples], [`${R}val_kwargs.do_sample`, true], [`${R}val_kwargs.temperature`, a.temperature], ['trainer.val_before_train', config.run.evalEvery > 0]]);
  unmapped.push(passAtKUnmapped(config));
  entries.push({ key: 'trainer.logger', value: yamlValue(['console']) }, { key: 'trainer.n_gpus_per_node', value: '1' }, { key: 'trainer.nnodes', value: '1' }, { key: 'custom_reward_function.name', value: yamlValue('compute_score') });
  const pathEntries: ConfigEntry[] = [
    { key: 'data.train_files', value: '$PWD/data/train.parquet' },
    { key: 'data.val_files', value: '$PWD/data/test.parquet' },
    { key: 'actor_rollout_ref.model.path', value: '$PWD/model' },
    { key: 'custom_reward_function.path', value: '$PWD/reward.py' },
  ];
  return { mapped, unmapped, entries, pathEntries };
}

/** Nested YAML of the dotted overrides, under verl's own ppo_trainer defaults. */
export function verlConfigYaml(ex: VerlExport, ctx: ExportContext): string {
  const tree: Record<string, unknown> = {};
  for (const { key, value } of ex.entries) {
    const parts = key.split('.');
    let node = tree;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = value;
  }
  const render = (node: Record<string, unknown>, indent: string): string =>
    Object.entries(node)
      .map(([k, v]) => (typeof v === 'string' ? `${indent}${k}: ${v}` : `${indent}${k}:\n${render(v as Record<string, unknown>, indent + '  ')}`))
      .join('\n');
  return `# RLVR Lab experiment → verl (>= 0.5; keys checked against verl v0.7). Task ${ctx.config.task.id}, arms ${ctx.arms.join(', ')}, seed ${ctx.config.seed}.
# Overrides layered on verl's own ppo_trainer config; paths are given on the command line (run_verl.sh).
# See README.md for what maps and what does not.
hydra:
  searchpath:
    - pkg://verl.trainer.config
defaults:
  - ppo_trainer
  - _self_
${render(tree, '')}
`;
}

export function verlLaunchScript(ex: VerlExport): string {
  const paths = ex.pathEntries.map((e) => `  ${e.key}="${e.value}" \\`).join('\n');
  const flat = ex.entries.map((e) => `#   ${e.key}=${e.value.replace(/"/g, "'")} \\`).join('\n');
  return `#!/usr/bin/env bash
# Launches verl's PPO/GRPO trainer on this export (run from this folder). Needs verl >= 0.5 with its
# usual stack (ray, vllm, pandas/pyarrow). Set trainer.n_gpus_per_node to your GPUs.
set -euo pipefail
cd "$(dirname "$0")"
python3 to_parquet.py   # verl reads parquet: data/*.jsonl -> data/*.parquet
python3 -m verl.trainer.main_ppo --config-path="$PWD" --config-name=verl_config \\
${paths}
  "$@"

# The same overrides as command-line arguments, for a launcher that takes no config file:
${flat}
`;
}

export const TO_PARQUET = `"""verl reads its data as parquet: converts data/train.jsonl and data/test.jsonl (needs pandas + pyarrow)."""
import pandas as pd

for split in ('train', 'test'):
    pd.read_json(f'data/{split}.jsonl', lines=True).to_parquet(f'data/{split}.parquet')
`;
