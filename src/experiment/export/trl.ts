// The TRL target: a Python script building GRPOConfig and GRPOTrainer (TRL ≥ 0.22; keys checked
// against TRL 1.9). TRL counts batches in completions: one optimisation step over B·G completions is
// per_device_train_batch_size = B·G on one process (divide it by the number of processes on more).
import type { ExperimentConfig } from '../schema';
import { answerBudget } from '../toTrainerConfig';
import { commonUnmapped, passAtKUnmapped, REINFORCE_UNMAPPED } from './common';
import { num, type ExportContext } from './context';
import type { ConfigEntry, MappedSetting, TargetMapping, UnmappedSetting } from './types';

export interface TrlExport extends TargetMapping {
  /** GRPOConfig keyword arguments, values as Python literals. */
  entries: ConfigEntry[];
}

const py = (v: unknown): string => {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
};

export function mapTrl(ctx: ExportContext): TrlExport {
  const config: ExperimentConfig = ctx.config;
  const a = config.algorithm;
  // The run's answer budget: the user's maxNewTokens, or the task's own.
  const budget = answerBudget(config);
  const mapped: MappedSetting[] = [];
  const unmapped: UnmappedSetting[] = [...commonUnmapped(config, 'trl')];
  const entries: ConfigEntry[] = [];
  const set = (lab: string, value: string, keys: [string, unknown][], note?: string) => {
    const rendered = keys.map(([key, v]) => ({ key, value: py(v) }));
    entries.push(...rendered);
    mapped.push({ lab, value, keys: rendered, ...(note ? { note } : {}) });
  };
  const B = a.promptsPerStep;
  const G = a.samplesPerPrompt;

  set('seed', num(config.seed), [['seed', config.seed]], 'Seeds torch and the data order; sampling differs from the lab\'s counter-based GPU sampler.');
  set('group size G', num(G), [['num_generations', G]]);
  set('prompts per step B', num(B), [['per_device_train_batch_size', B * G], ['gradient_accumulation_steps', 1]],
    `TRL counts completions: B·G = ${B * G} per step on one process. On P processes use per_device_train_batch_size = ${B * G}/P.`);
  set('max new tokens', num(budget), [['max_completion_length', budget]]);
  if (a.truncation === 'mask') set('cut-off completions', 'mask', [['mask_truncated_completions', true]]);
  set('sampling', `temperature ${a.temperature}, top-p ${a.topP}, top-k ${a.topK || 'off'}`, [['temperature', a.temperature], ['top_p', a.topP], ['top_k', a.topK]]);
  set('passes per batch', num(a.ppoEpochs), [['num_iterations', a.ppoEpochs]]);
  set('steps', num(config.run.steps), [['max_steps', config.run.steps * a.ppoEpochs]],
    a.ppoEpochs > 1 ? `TRL counts optimiser steps: ${config.run.steps} batches × ${a.ppoEpochs} passes.` : undefined);
  set('learning rate', num(a.lr), [['learning_rate', a.lr]]);
  if (a.lrSchedule === 'constant') set('lr schedule', 'constant', [['lr_scheduler_type', 'constant'], ['warmup_steps', 0]]);
  else set('lr schedule', `warm-up ${a.warmupSteps} steps, cosine to 0`, [['lr_scheduler_type', 'cosine'], ['warmup_steps', a.warmupSteps]],
    'Hugging Face warms up from 0 (step 0 has lr 0); the lab\'s first step already has lr/warmup.');
  set('AdamW', `β1 ${a.beta1}, β2 ${a.beta2}, ε 1e-8, weight decay ${a.weightDecay}`, [['adam_beta1', a.beta1], ['adam_beta2', a.beta2], ['adam_epsilon', 1e-8], ['weight_decay', a.weightDecay]]);
  set('max grad norm', num(a.maxGradNorm), [['max_grad_norm', a.maxGradNorm]]);
  // Recent TRL defaults to bf16; the lab trains in f32, and a 0.16 M-parameter model gains nothing from bf16.
  set('precision', 'f32', [['bf16', false]], 'On a machine without a GPU also pass use_cpu=True.');
  set('clip ε low / high', `${a.clipLow} / ${a.clipHigh}`, [['epsilon', a.clipLow], ['epsilon_high', a.clipHigh]]);
  set('entropy bonus', num(a.entropyCoef), [['entropy_coef', a.entropyCoef]], 'TRL ≥ 1.8 only.');

  // Advantage estimator and scaling: GRPOTrainer computes (r − mean)/(std + 1e-4), or without the std.
  if (a.estimator === 'grpo' || a.estimator === 'dr-grpo') {
    const scale = a.estimator === 'dr-grpo' ? 'none' : a.rewardScale;
    set('advantage estimator', `${a.estimator}, reward scale ${a.estimator === 'dr-grpo' ? 'none' : a.rewardScale}`, [['scale_rewards', scale]],
      'std ε = 1e-4 in both the lab and TRL.');
  } else if (a.estimator === 'reinforce') {
    unmapped.push(REINFORCE_UNMAPPED);
    set('reward scale', a.rewardScale, [['scale_rewards', 'none']], 'Kept at none: the estimator above is not TRL\'s.');
  } else {
    unmapped.push({
      lab: 'advantage estimator',
      value: a.estimator,
      why: `GRPOTrainer's advantage is the group-normalised reward; ${a.estimator} is a different estimator.`,
      instead: a.estimator === 'rloo'
        ? 'Use TRL\'s `RLOOConfig` / `RLOOTrainer` (same reward function and data), or verl/OpenRLHF, which have `rloo`.'
        : 'Export to verl (`reinforce_plus_plus[_baseline]`) or OpenRLHF (`reinforce[_baseline]`), which have it.',
    });
    set('reward scale', a.rewardScale, [['scale_rewards', 'none']], 'Kept at none: the estimator above is not TRL\'s.');
  }

  // Loss aggregation: TRL's loss_type. With one process and no gradient accumulation, dapo = bnpo = token-mean.
  const lossType: Record<string, string | null> = { 'token-mean': 'dapo', 'seq-mean-token-mean': 'grpo', 'seq-mean-token-sum-norm': 'dr_grpo', 'seq-mean-token-sum': null };
  const lt = lossType[a.aggregation];
  if (lt) set('loss aggregation', a.aggregation, [['loss_type', lt]], lt === 'dr_grpo' ? 'Divides by B·G·max_completion_length, as the lab does.' : undefined);
  else unmapped.push({ lab: 'loss aggregation', value: a.aggregation, why: 'TRL has no loss type that sums tokens and averages sequences without a length normaliser.', instead: 'Use verl (`loss_agg_mode=seq-mean-token-sum`), or `dr_grpo` (the same up to the constant max_completion_length).' });

  // KL: TRL GRPO puts β·k3 in the loss, nothing else.
  if (a.klCoef === 0) set('KL penalty', 'off (β = 0)', [['beta', 0]]);
  else if (a.klInReward) {
    set('KL penalty', 'off in the loss', [['beta', 0]]);
    unmapped.push({ lab: 'KL penalty', value: `β ${a.klCoef}, ${a.klEstimator}, in the reward`, why: 'TRL\'s GRPOTrainer puts KL only in the loss (k3); KL in the reward is its RLOO trainer\'s.', instead: 'Use `RLOOTrainer` with `beta`, or verl (`algorithm.use_kl_in_reward=True`) / OpenRLHF (KL in the reward is its default).' });
  } else if (a.klEstimator === 'k3') set('KL penalty', `β ${a.klCoef}, k3, in the loss`, [['beta', a.klCoef]]);
  else {
    set('KL penalty', `β ${a.klCoef} (estimator below not mapped)`, [['beta', a.klCoef]], 'TRL will use k3 with this β.');
    unmapped.push({ lab: 'KL estimator', value: `${a.klEstimator} in the loss`, why: 'TRL\'s GRPO loss has k3 only (no switch).', instead: `Export to verl (\`kl_loss_type=${a.klEstimator === 'k2' ? 'mse' : 'kl'}\`) or OpenRLHF (\`--algo.kl.estimator ${a.klEstimator} --algo.kl.use_loss\`), or accept k3.` });
  }
  if (a.refResetEvery > 0) {
    set('reference reset', `every ${a.refResetEvery} steps`, [['sync_ref_model', true], ['ref_model_mixup_alpha', 1.0], ['ref_model_sync_steps', a.refResetEvery * a.ppoEpochs]], 'α = 1 copies the policy into the reference, as the lab\'s reset does.');
  }
  if (a.dualClip !== null) unmapped.push({ lab: 'dual clip c', value: num(a.dualClip), why: 'TRL\'s GRPO loss has no dual clip (`delta` is a different, two-sided cap on the ratio).', instead: 'Export to verl (`clip_ratio_c`) or OpenRLHF (`--actor.dual_clip`).' });
  if (a.dynamicSampling) unmapped.push({ lab: 'dynamic sampling', value: `on, ≤ ${a.dynamicSamplingMaxTries} tries`, why: 'TRL does not drop zero-variance groups or re-generate (it only logs `frac_reward_zero_std`).', instead: 'Export to OpenRLHF (`--algo.dynamic_filtering_enable`) or use verl\'s DAPO recipe (`algorithm.filter_groups`).' });
  unmapped.push(passAtKUnmapped(config));
  entries.push({ key: 'output_dir', value: py('out') }, { key: 'logging_steps', value: '1' }, { key: 'report_to', value: py('none') });
  return { mapped, unmapped, entries };
}

export function trlScript(ex: TrlExport, ctx: ExportContext): string {
  const args = ex.entries.map((e) => `    ${e.key}=${e.value},`).join('\n');
  return `"""RLVR Lab experiment → TRL GRPOTrainer (TRL >= 0.22; keys checked against TRL 1.9).
Task ${ctx.config.task.id}, arms ${ctx.arms.join(', ')}, seed ${ctx.config.seed}. See README.md for what maps and what does not.

usage: pip install "trl>=0.22" datasets && python3 train_trl.py   (on P GPUs: accelerate launch train_trl.py,
       after dividing per_device_train_batch_size by P)"""
from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import GRPOConfig, GRPOTrainer

from reward import reward

config = GRPOConfig(
${args}
)

data = load_dataset('json', data_files={'train': 'data/train.jsonl', 'test': 'data/test.jsonl'})
tokenizer = AutoTokenizer.from_pretrained('model')
model = AutoModelForCausalLM.from_pretrained('model')

trainer = GRPOTrainer(
    model=model,
    reward_funcs=reward,
    args=config,
    train_dataset=data['train'],
    eval_dataset=data['test'],
    processing_class=tokenizer,
)

if __name__ == '__main__':
    trainer.train()
    trainer.save_model('out/final')
`;
}
