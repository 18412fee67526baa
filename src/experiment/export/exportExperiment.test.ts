// The exporter end to end, for every preset and the settings no preset has, on every target: each
// emitted key is in the target's key list (read from the engine's sources), every emitted Python file
// compiles, the README lists every setting that does not map, the data is the lab's, and each engine's
// reward.py, called with the engine's own signature on the exported rows, gives the lab's rewards.
// Needs python3 + numpy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreBuiltin } from '../../rewards/builtin';
import { getTask } from '../../tasks/registry';
import type { Problem } from '../../tasks/task';
import { toBuiltinRewardSpec } from '../toTrainerConfig';
import type { ExperimentConfig } from '../schema';
import { exportExperiment, type ExportResult } from './exportExperiment';
import { ENGINES, unknownKeys } from './engineVersions';
import { resolveArms, startingPolicy } from './policy';
import { allExperiments, baseOf, CUSTOM_EXPERIMENTS } from './testing/fixtures';
import { requirePythonWithNumpy, runPython, writeToTempDir } from './testing/python';
import { EXPORT_TARGETS, type ExportTarget } from './types';

beforeAll(() => requirePythonWithNumpy());

const results = new Map<string, ExportResult>();

function exportOf(name: string, config: ExperimentConfig, target: ExportTarget): ExportResult {
  const key = `${name}/${target}`;
  let r = results.get(key);
  if (!r) {
    const base = config.model.init === 'base' ? baseOf(config.task.id) : null;
    r = exportExperiment({ config, target, arms: resolveArms(config, base?.rlArms ?? []), policy: startingPolicy(config, base?.checkpoint ?? null) });
    results.set(key, r);
  }
  return r;
}

const text = (r: ExportResult, path: string): string => {
  const c = r.files.get(path);
  if (typeof c !== 'string') throw new Error(`${path} is not in the export`);
  return c;
};

function unmappedSection(readme: string): string {
  const start = readme.indexOf('## Settings that do not map');
  expect(start).toBeGreaterThan(0);
  return readme.slice(start, readme.indexOf('\n## ', start + 5));
}

describe('every experiment on every target', () => {
  const experiments = allExperiments();

  it('emits only keys in the target\'s key list, and the key lists name their source', () => {
    for (const target of EXPORT_TARGETS) {
      expect(ENGINES[target].keySource.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(ENGINES[target].keys.size).toBeGreaterThan(50);
      for (const [name, config] of experiments) {
        const r = exportOf(name, config, target);
        expect(r.emittedKeys.length).toBeGreaterThan(15);
        expect({ name, target, unknown: unknownKeys(target, r.emittedKeys) }).toEqual({ name, target, unknown: [] });
      }
    }
  });

  it('the key check can fail: a misspelt key is reported', () => {
    expect(unknownKeys('trl', ['num_generations', 'num_generation'])).toEqual(['num_generation']);
    expect(unknownKeys('verl', ['actor_rollout_ref.actor.clip_ratio_c', 'actor_rollout_ref.actor.clip_ratio_d'])).toEqual(['actor_rollout_ref.actor.clip_ratio_d']);
    expect(unknownKeys('openrlhf', ['--actor.dual_clip', '--dual_clip'])).toEqual(['--dual_clip']);
  });

  it('python3 -m py_compile passes on every emitted Python file', () => {
    const files = new Map<string, string | Uint8Array>();
    for (const target of EXPORT_TARGETS) {
      for (const [name, config] of experiments) {
        for (const [path, content] of exportOf(name, config, target).files) if (path.endsWith('.py')) files.set(`${name}-${target}/${path}`, content);
      }
    }
    const dir = writeToTempDir(files);
    const paths = [...files.keys()];
    expect(paths.length).toBeGreaterThan(experiments.length * 3 * 8);
    // One interpreter compiles them all; a syntax error anywhere makes it exit non-zero (execFileSync throws).
    runPython(['-c', 'import py_compile, sys\nfor p in sys.argv[1:]: py_compile.compile(p, doraise=True)', ...paths], { cwd: dir });
  });

  it('the README lists every setting that does not map, and the table lists what does', () => {
    for (const target of EXPORT_TARGETS) {
      for (const [name, config] of experiments) {
        const r = exportOf(name, config, target);
        const readme = text(r, 'README.md');
        const section = unmappedSection(readme);
        for (const u of r.mapping.unmapped) expect(section, `${name}/${target}`).toContain(`**${u.lab}** (${u.value})`);
        for (const m of r.mapping.mapped) for (const k of m.keys) expect(readme).toContain(`\`${k.key}\``);
        expect(readme).toContain(ENGINES[target].versions);
      }
    }
  });
});

describe('what maps and what does not', () => {
  const unmapped = (name: string, config: ExperimentConfig, target: ExportTarget) => exportOf(name, config, target).mapping.unmapped.map((u) => u.lab);
  const keys = (name: string, config: ExperimentConfig, target: ExportTarget) =>
    Object.fromEntries(exportOf(name, config, target).mapping.mapped.flatMap((m) => m.keys.map((k) => [k.key, k.value])));
  const presets = Object.fromEntries(allExperiments());

  it('curricula and self-play never map; DUMP and SEC say so on every target', () => {
    for (const target of EXPORT_TARGETS) {
      expect(unmapped('curriculum-dump', presets['curriculum-dump'], target)).toContain('curriculum');
      expect(unmapped('sec', CUSTOM_EXPERIMENTS.sec, target)).toContain('curriculum');
      for (const loop of ['selfplay-propose-solve', 'selfplay-spin', 'selfplay-creator-solver', 'selfplay-self-consuming']) {
        expect(unmapped(loop, presets[loop], target)).toContain('self-play loop');
      }
    }
  });

  it('dual clip: TRL cannot, verl and OpenRLHF can; verl\'s always-on dual clip is disabled when the lab has none', () => {
    expect(unmapped('dual-clip', CUSTOM_EXPERIMENTS['dual-clip'], 'trl')).toContain('dual clip c');
    expect(keys('dual-clip', CUSTOM_EXPERIMENTS['dual-clip'], 'verl')['actor_rollout_ref.actor.clip_ratio_c']).toBe('3');
    expect(keys('dual-clip', CUSTOM_EXPERIMENTS['dual-clip'], 'openrlhf')['--actor.dual_clip']).toBe('3');
    expect(keys('default', presets.default, 'verl')['actor_rollout_ref.actor.clip_ratio_c']).toBe('1000000000');
  });

  it('k2 in the loss: TRL has k3 only; verl says mse, OpenRLHF k2 with use_loss', () => {
    const c = CUSTOM_EXPERIMENTS['k2-in-loss'];
    expect(unmapped('k2-in-loss', c, 'trl')).toContain('KL estimator');
    expect(keys('k2-in-loss', c, 'verl')).toMatchObject({ 'actor_rollout_ref.actor.use_kl_loss': 'true', 'actor_rollout_ref.actor.kl_loss_type': '"mse"', 'actor_rollout_ref.actor.kl_loss_coef': '0.05' });
    expect(keys('k2-in-loss', c, 'openrlhf')).toMatchObject({ '--algo.kl.estimator': 'k2', '--algo.kl.use_loss': '', '--algo.kl.init_coef': '0.05' });
  });

  it('batches: TRL counts completions, verl and OpenRLHF prompts', () => {
    const c = presets.default;
    expect(keys('default', c, 'trl').per_device_train_batch_size).toBe('128');
    expect(keys('default', c, 'verl')['data.train_batch_size']).toBe('16');
    expect(keys('default', c, 'openrlhf')).toMatchObject({ '--rollout.batch_size': '16', '--train.batch_size': '128' });
  });

  it('estimators: RLOO and REINFORCE++ are not TRL GRPO; Dr. GRPO turns std scaling off everywhere', () => {
    expect(unmapped('rloo', presets.rloo, 'trl')).toContain('advantage estimator');
    expect(keys('rloo', presets.rloo, 'verl')['algorithm.adv_estimator']).toBe('"rloo"');
    expect(keys('reinforce++-batch', CUSTOM_EXPERIMENTS['reinforce++-batch'], 'openrlhf')['--algo.advantage.estimator']).toBe('reinforce');
    expect(keys('dr-grpo', presets['dr-grpo'], 'trl')).toMatchObject({ scale_rewards: '"none"', loss_type: '"dr_grpo"' });
    expect(keys('dr-grpo', presets['dr-grpo'], 'verl')['algorithm.norm_adv_by_std_in_grpo']).toBe('false');
    expect(keys('dr-grpo', presets['dr-grpo'], 'openrlhf')['--algo.advantage.estimator']).toBe('dr_grpo');
  });

  it('the sign REINFORCE of PSR/NSR maps nowhere, and no engine key names an estimator for it', () => {
    const c = { ...presets.default, algorithm: { ...presets.default.algorithm, estimator: 'reinforce' } } as ExperimentConfig;
    for (const target of EXPORT_TARGETS) {
      expect(unmapped('reinforce', c, target)).toContain('advantage estimator');
      const k = keys('reinforce', c, target);
      expect(k['algorithm.adv_estimator'] ?? k['--algo.advantage.estimator']).toBeUndefined();
    }
  });

  it('reference resets map to TRL\'s sync_ref_model only; dynamic sampling to OpenRLHF only', () => {
    expect(keys('kl-reset', presets['kl-reset'], 'trl')).toMatchObject({ sync_ref_model: 'True', ref_model_mixup_alpha: '1', ref_model_sync_steps: '20' });
    expect(unmapped('kl-reset', presets['kl-reset'], 'verl')).toContain('reference reset');
    expect(unmapped('dynamic-sampling', presets['dynamic-sampling'], 'trl')).toContain('dynamic sampling');
    expect(unmapped('dynamic-sampling', presets['dynamic-sampling'], 'verl')).toContain('dynamic sampling');
    expect(keys('dynamic-sampling', presets['dynamic-sampling'], 'openrlhf')['--algo.dynamic_filtering_range']).toBe('0 1');
    expect(unmapped('dynamic-sampling-weighted', CUSTOM_EXPERIMENTS['dynamic-sampling-weighted'], 'openrlhf')).toContain('dynamic sampling');
  });
});

describe('the exported data and checkpoint', () => {
  it('train rows are steps × B problems of the run\'s arms; test rows are the lab\'s held-out set', () => {
    const c = CUSTOM_EXPERIMENTS.mixture;
    const r = exportOf('mixture', c, 'trl');
    const train = text(r, 'data/train.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    const test = text(r, 'data/test.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    expect(train).toHaveLength(c.run.steps * c.algorithm.promptsPerStep);
    expect(test).toHaveLength(2 * c.run.evalPrompts);
    const task = getTask('addition');
    for (const row of train) {
      expect(row.prompt).toBe(`<bos>${row.lab_prompt}`);
      expect(task.fromPrompt(row.lab_prompt)?.answer).toBe(row.ground_truth);
      expect(task.isHeldOut({ prompt: row.lab_prompt })).toBe(false);
    }
    for (const row of test) expect(task.isHeldOut({ prompt: row.lab_prompt })).toBe(true);
    // The mixture's 1:3 weights show in the draw.
    const d2 = train.filter((r) => r.arm === 'd2').length / train.length;
    expect(d2).toBeGreaterThan(0.7);
    expect(d2).toBeLessThan(0.8);
  });

  it('the checkpoint folder is GPT-2: config, tensors named wte/wpe/h.N.…, a character tokenizer', () => {
    const r = exportOf('default', allExperiments()[0][1], 'verl');
    const config = JSON.parse(text(r, 'model/config.json'));
    expect(config).toMatchObject({ model_type: 'gpt2', activation_function: 'gelu_new', layer_norm_epsilon: 1e-5, tie_word_embeddings: true, n_layer: 3, n_head: 4, n_embd: 64 });
    const bytes = r.files.get('model/model.safetensors') as Uint8Array;
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header['h.0.attn.c_attn.weight'].shape).toEqual([64, 192]);
    expect(header['h.2.mlp.c_proj.weight'].shape).toEqual([256, 64]);
    expect(Object.keys(header).sort()).toContain('ln_f.bias');
    const tokenizer = JSON.parse(text(r, 'model/tokenizer.json'));
    expect(tokenizer.model.vocab['0']).toBe(7);
    expect(JSON.parse(text(r, 'model/tokenizer_config.json')).chat_template).toContain('bos_token');
  });
});

/** What the lab scores for a completion of a row's problem (tokens: characters + EOS, as reward.py counts). */
function labReward(config: ExperimentConfig, problem: Problem, completion: string): number {
  return scoreBuiltin(toBuiltinRewardSpec(config), getTask(problem.task), problem, completion, completion.length + 1).reward;
}

// Each engine's reward.py called as the engine calls it, on the export's own rows.
const CALL: Record<ExportTarget, string> = {
  trl: `
import json, sys
from reward import reward
rows = [json.loads(l) for l in open('data/test.jsonl')][:40]
completions = [c for r in rows for c in (r['ground_truth'], r['ground_truth'][:-1] + 'x', '0' + r['ground_truth'])]
rep = [r for r in rows for _ in range(3)]
cols = {k: [r.get(k) for r in rep] for k in ('task', 'arm', 'lab_prompt', 'ground_truth', 'meta')}
out = reward([r['prompt'] for r in rep], completions, completion_ids=[[0] * (len(c) + 1) for c in completions], **cols)
print(json.dumps(out))`,
  verl: `
import json
from reward import compute_score
rows = [json.loads(l) for l in open('data/test.jsonl')][:40]
out = [compute_score(r['data_source'], c, r['reward_model']['ground_truth'], r['extra_info'])
       for r in rows for c in (r['ground_truth'], r['ground_truth'][:-1] + 'x', '0' + r['ground_truth'])]
print(json.dumps(out))`,
  openrlhf: `
import json
from reward import reward_func
rows = [json.loads(l) for l in open('data/test.jsonl')][:40]
rep = [r for r in rows for _ in range(3)]
completions = [c for r in rows for c in (r['ground_truth'], r['ground_truth'][:-1] + 'x', '0' + r['ground_truth'])]
queries = [r['prompt'] + c + '<eos><pad>' for r, c in zip(rep, completions)]
out = reward_func(queries, [r['prompt'] for r in rep], [r['label'] for r in rep])
print(json.dumps([float(x) for x in out['rewards']]))`,
};

describe('reward.py with each engine\'s signature gives the lab\'s rewards', () => {
  for (const target of EXPORT_TARGETS) {
    for (const name of ['reward-hacking', 'weighted-overlong-countdown', 'program-random']) {
      it(`${target}: ${name}`, () => {
        const config = Object.fromEntries(allExperiments())[name];
        const r = exportOf(name, config, target);
        const dir = writeToTempDir(r.files);
        const got = JSON.parse(runPython(['-c', CALL[target]], { cwd: dir })) as number[];
        const rows = readFileSync(join(dir, 'data/test.jsonl'), 'utf8').trim().split('\n').slice(0, 40).map((l) => JSON.parse(l));
        const want = rows.flatMap((row) => {
          const problem: Problem = target === 'verl'
            ? { task: row.extra_info.task, arm: row.extra_info.arm, prompt: row.extra_info.lab_prompt, answer: row.ground_truth, ...(row.extra_info.meta ? { meta: row.extra_info.meta } : {}) }
            : { task: row.task, arm: row.arm, prompt: row.lab_prompt, answer: row.ground_truth, ...(row.meta ? { meta: row.meta } : {}) };
          return [row.ground_truth, row.ground_truth.slice(0, -1) + 'x', '0' + row.ground_truth].map((c: string) => labReward(config, problem, c));
        });
        expect(got).toHaveLength(rows.length * 3);
        expect(rows.length).toBeGreaterThanOrEqual(32);
        expect(got).toEqual(want);
        expect(new Set(want).size).toBeGreaterThan(1);
      });
    }
  }
});
