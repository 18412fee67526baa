// The exporter: an experiment → the folder an engine runs (README, configuration, data, reward.py,
// the policy as a Hugging Face checkpoint). Pure: the caller resolves the arms and supplies the policy,
// so the same code serves the browser (zip) and Node (npm run export).
import type { GptConfig } from '../../model/config';
import { toBuiltinRewardSpec } from '../toTrainerConfig';
import type { ExperimentConfig } from '../schema';
import { maxPromptTokens, type ExportContext } from './context';
import { buildDatasets, engineRow, toJsonl } from './data';
import { hfCheckpointFiles } from './hfCheckpoint';
import { mapOpenrlhf, openrlhfLaunchScript } from './openrlhf';
import { JS_REWARD_SOURCES, PYTHON_SOURCES, REWARD_TEMPLATES } from './pythonSources';
import { exportReadme } from './readme';
import { mapTrl, trlScript } from './trl';
import type { ConfigEntry, ExportFiles, ExportTarget, TargetMapping } from './types';
import { mapVerl, TO_PARQUET, verlConfigYaml, verlLaunchScript } from './verl';

export interface ExportPolicy {
  config: GptConfig;
  values: ReadonlyMap<string, Float32Array>;
  /** One phrase for the README: where the weights come from. */
  description: string;
}

export interface ExportInput {
  config: ExperimentConfig;
  target: ExportTarget;
  /** The arms the run trains on (resolved as the lab resolves them: config, else the base checkpoint's RL arms, else all). */
  arms: string[];
  policy: ExportPolicy;
}

export interface ExportResult {
  files: ExportFiles;
  mapping: TargetMapping;
  /** Every configuration key written (GPT-2 config and data columns excluded): what the key-list test checks. */
  emittedKeys: string[];
}

function rewardSection(config: ExperimentConfig): { settings: Record<string, unknown>; text: string } {
  if (config.reward.kind === 'code') {
    return {
      settings: { kind: 'code', codeFile: 'reward.js', timeoutMs: 2000 },
      text:
        'The experiment\'s own JavaScript reward, exported verbatim as `reward.js`. `reward.py` runs it under Node (≥ 18) through ' +
        '`js_reward_adapter.py`: one long-lived `node js_reward_host.mjs reward.js` process per trainer, a JSON line per batch each way, ' +
        'each batch in a fresh `vm` context with a 2 s limit (as the lab\'s sandbox). A `vm` context is not a security boundary: review code ' +
        'from others before running it. The reward gets `{prompt, completion, answer, task, arm}` as in the lab.',
    };
  }
  const spec = toBuiltinRewardSpec(config);
  const terms = Object.entries(spec.components).filter(([, w]) => w).map(([k, w]) => `${w} · ${k}`).join(' + ') || '0';
  return {
    settings: { kind: 'builtin', weights: spec.components, overlong: spec.overlong ?? null },
    text:
      `${config.reward.kind === 'verifier' ? 'The task\'s verifier: 1 for a right answer, 0 otherwise' : `The lab's weighted reward: ${terms}`}, computed by ` +
      '`lab_reward.score_builtin` — the lab\'s verifiers ported to Python; the lab\'s tests require identical scores to the browser\'s on ' +
      '10,000+ right, wrong, malformed, truncated and adversarial completions per task. `lengthPenalty` counts completion tokens with EOS, as the lab does. ' +
      'One difference lies outside the reward: engines decode completions with special tokens dropped, while the lab keeps a special token ' +
      'emitted mid-answer visible (⟨bos⟩), which makes that answer wrong.',
  };
}

export function exportExperiment(input: ExportInput): ExportResult {
  const { config, target, arms, policy } = input;
  if (arms.length === 0) throw new Error('Cannot export: the experiment trains on no arms.');
  const datasets = buildDatasets(config, arms);
  const ctx: ExportContext = {
    config,
    arms,
    trainRows: datasets.train.length,
    testRows: datasets.test.length,
    maxPromptTokens: maxPromptTokens(config),
    policyDescription: policy.description,
  };
  const files: ExportFiles = new Map();
  let mapping: TargetMapping;
  let emitted: ConfigEntry[];
  if (target === 'trl') {
    const ex = mapTrl(ctx);
    files.set('train_trl.py', trlScript(ex, ctx));
    mapping = ex;
    emitted = ex.entries;
  } else if (target === 'verl') {
    const ex = mapVerl(ctx);
    files.set('verl_config.yaml', verlConfigYaml(ex, ctx));
    files.set('run_verl.sh', verlLaunchScript(ex));
    files.set('to_parquet.py', TO_PARQUET);
    mapping = ex;
    emitted = [...ex.entries, ...ex.pathEntries];
  } else {
    const ex = mapOpenrlhf(ctx);
    files.set('run_openrlhf.sh', openrlhfLaunchScript(ex, ctx));
    mapping = ex;
    emitted = ex.entries;
  }
  const reward = rewardSection(config);
  files.set('README.md', exportReadme(target, ctx, mapping, reward.text));
  files.set('reward.py', REWARD_TEMPLATES[target]);
  files.set('reward_settings.json', JSON.stringify(reward.settings, null, 2) + '\n');
  for (const [name, text] of Object.entries(PYTHON_SOURCES)) files.set(name, text);
  if (config.reward.kind === 'code') {
    files.set('reward.js', config.reward.code);
    for (const [name, text] of Object.entries(JS_REWARD_SOURCES)) files.set(name, text);
  }
  files.set('data/train.jsonl', toJsonl(datasets.train.map((p, i) => engineRow(target, p, 'train', i))));
  files.set('data/test.jsonl', toJsonl(datasets.test.map((p, i) => engineRow(target, p, 'test', i))));
  for (const [path, content] of hfCheckpointFiles(policy.config, policy.values, { task: config.task.id, arms: arms.join(','), seed: String(config.seed), policy: policy.description })) files.set(path, content);
  files.set('experiment.json', JSON.stringify(config, null, 2) + '\n');
  return { files, mapping, emittedKeys: emitted.map((e) => e.key) };
}
