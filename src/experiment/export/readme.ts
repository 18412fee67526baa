// The export's README.md: how to run it, the lab → engine table for this experiment's settings, every
// setting that does not map (why, and what to do instead), the reward, the data and the versions.
import { getTask } from '../../tasks/registry';
import { CHECKPOINT_NOTES } from './hfCheckpoint';
import type { ExportContext } from './context';
import { ENGINES } from './engineVersions';
import type { ExportTarget, TargetMapping } from './types';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const HOW_TO_RUN: Record<ExportTarget, string[]> = {
  trl: ['pip install "trl>=0.22" datasets', 'python3 train_trl.py        # one GPU; on P GPUs: accelerate launch train_trl.py (divide per_device_train_batch_size by P)'],
  verl: ['pip install "verl>=0.5"      # with its usual stack: ray, vllm, pandas, pyarrow', 'bash run_verl.sh            # converts data/*.jsonl to parquet, then runs verl.trainer.main_ppo with verl_config.yaml'],
  openrlhf: ['pip install "openrlhf>=0.10.3"', 'ray start --head', 'bash run_openrlhf.sh'],
};

const CONFIG_FILES: Record<ExportTarget, string> = {
  trl: '`train_trl.py` — builds `GRPOConfig` and `GRPOTrainer` and trains',
  verl: '`verl_config.yaml` — the overrides (on verl\'s own `ppo_trainer` defaults); `run_verl.sh` — the launch command (the same overrides are listed there as command-line arguments); `to_parquet.py`',
  openrlhf: '`run_openrlhf.sh` — the `openrlhf.cli.train_ppo_ray` command line',
};

const REWARD_SIGNATURE: Record<ExportTarget, string> = {
  trl: '`reward(prompts, completions, **kwargs) -> list[float]` (passed as `reward_funcs`; the length terms count `completion_ids`)',
  verl: '`compute_score(data_source, solution_str, ground_truth, extra_info=None) -> float` (`custom_reward_function.path`; `solution_str` is the response alone; verl gives no token count, so the length terms count the characters plus EOS)',
  openrlhf: '`reward_func(queries, prompts, labels, **kwargs) -> dict` (`--reward.remote_url reward.py`; `labels` is the row\'s `label`, the lab problem as JSON; `rewards` is the reward, `scores` the correctness)',
};

export function exportReadme(target: ExportTarget, ctx: ExportContext, mapping: TargetMapping, rewardText: string): string {
  const { config } = ctx;
  const engine = ENGINES[target];
  const task = getTask(config.task.id);
  const lines: string[] = [];
  lines.push(`# RLVR Lab experiment → ${engine.name}`);
  lines.push('');
  lines.push(`Task **${task.title}** (\`${task.id}\`), arms ${ctx.arms.map((a) => `\`${a}\``).join(', ')}, seed ${config.seed}${config.preset ? `, preset \`${config.preset}\`` : ''}.`);
  lines.push(`Policy: ${ctx.policyDescription} (\`model/\`, a Hugging Face GPT-2 checkpoint).`);
  lines.push(`Target: ${engine.versions}.`);
  lines.push('');
  lines.push('## How to run');
  lines.push('');
  lines.push('```bash');
  lines.push(...HOW_TO_RUN[target]);
  lines.push('```');
  lines.push('');
  lines.push('## What is here');
  lines.push('');
  lines.push(`- ${CONFIG_FILES[target]}`);
  lines.push(`- \`reward.py\` — the experiment's reward with ${engine.name}'s signature: ${REWARD_SIGNATURE[target]}`);
  lines.push('- `reward_settings.json`, `lab_reward.py`, `lab_tasks.py`, `lab_exprlang.py` — the lab\'s verifiers and weighted reward ported to Python (tested to give the lab\'s scores exactly on 10,000+ completions per task)');
  lines.push(`- \`data/train.jsonl\` (${ctx.trainRows} rows: steps × prompts per step) and \`data/test.jsonl\` (${ctx.testRows} rows: the lab's held-out set, ${config.run.evalPrompts} per arm) — drawn by the lab's task generator with seed ${config.seed}`);
  lines.push('- `generate.py` — draws the same rows and more, in Python (see Data)');
  lines.push('- `model/` — `config.json`, `model.safetensors`, tokenizer files; `gpt2_numpy.py` runs it in numpy to check it');
  lines.push('- `score_jsonl.py` — scores completions in bulk; `experiment.json` — the full lab configuration');
  lines.push('');
  lines.push('## Lab settings → ' + engine.name);
  lines.push('');
  lines.push(`| lab setting | value | ${engine.name} | note |`);
  lines.push('|---|---|---|---|');
  for (const m of mapping.mapped) {
    const keys = m.keys.map((k) => (k.value === '' ? `\`${k.key}\`` : `\`${k.key}\` = \`${k.value}\``)).join('<br>');
    lines.push(`| ${cell(m.lab)} | ${cell(m.value)} | ${cell(keys)} | ${cell(m.note ?? '')} |`);
  }
  lines.push('');
  lines.push('## Settings that do not map');
  lines.push('');
  if (mapping.unmapped.length === 0) lines.push('None: every setting of this experiment has a key above.');
  for (const u of mapping.unmapped) lines.push(`- **${u.lab}** (${u.value}): ${u.why}\n  *Instead:* ${u.instead}`);
  lines.push('');
  lines.push('## Reward');
  lines.push('');
  lines.push(rewardText);
  lines.push('');
  lines.push('## Data');
  lines.push('');
  lines.push(target === 'verl'
    ? 'One row per prompt in verl\'s layout: `data_source`, `prompt` (a one-message chat list; the tokenizer\'s chat template is BOS + the text), `ability`, `reward_model: {style: "rule", ground_truth}`, `extra_info` (split, index, task, arm, lab_prompt, meta), plus `ground_truth`.'
    : `One row per prompt: \`prompt\` (the BOS token's text \`<bos>\` then the lab prompt — the tokenizer maps \`<bos>\` to its id), \`ground_truth\` (the reference answer), \`task\`, \`arm\`, \`lab_prompt\`, \`meta\` when the task has it${target === 'openrlhf' ? ', and `label` (the lab problem as JSON, what reward_func reads)' : ''}.`);
  lines.push('');
  const weights = ctx.config.curriculum.kind === 'mixture' ? ` --weights ${ctx.arms.map((a) => (config.curriculum.kind === 'mixture' ? (config.curriculum.weights[a] ?? 0) : 1)).join(',')}` : '';
  lines.push('More rows, or another seed (the first N rows of a longer draw are exactly data/train.jsonl):');
  lines.push('');
  lines.push('```bash');
  lines.push(`python3 generate.py --task ${task.id} --arms ${ctx.arms.join(',')}${weights} --seed ${config.seed} --n ${ctx.trainRows * 10} --split train --format ${target} --out data/train_more.jsonl`);
  lines.push(`python3 generate.py --task ${task.id} --arms ${ctx.arms.join(',')} --seed ${config.seed} --n ${config.run.evalPrompts} --split test --format ${target}   # = data/test.jsonl`);
  lines.push('```');
  lines.push('');
  lines.push('## The checkpoint');
  lines.push('');
  lines.push('The lab\'s GPT is GPT-2 maths: pre-LayerNorm blocks, learned positions, `gelu_new` (tanh approximation), LayerNorm ε 1e-5, attention scaled by 1/√d_head, output head tied to the token embedding. Weights are stored `[in, out]` as GPT-2\'s Conv1D expects. `python3 gpt2_numpy.py model "12+7="` prints its logits; the lab\'s tests hold them to the lab\'s within 1e-4.');
  for (const note of CHECKPOINT_NOTES) lines.push(`- ${note}`);
  lines.push('');
  lines.push('## Versions');
  lines.push('');
  lines.push(`Keys target ${engine.versions}. Every emitted key is in the key list read from \`${engine.keySource.repo}\` at commit \`${engine.keySource.commit.slice(0, 12)}\` (${engine.keySource.lastTag}; ${engine.keySource.files.join(', ')}). Older versions:`);
  lines.push('');
  for (const line of engine.olderVersions) lines.push(line.startsWith('  ') ? line : `- ${line}`);
  lines.push('');
  return lines.join('\n');
}
