// The engine versions the exported keys target, what older versions call differently, and the key lists
// (read from each engine's sources by tools/extractEngineKeys.py) every emitted key is checked against.
import openrlhfKeys from './keys/openrlhf.json';
import trlKeys from './keys/trl.json';
import verlKeys from './keys/verl.json';
import type { ExportTarget } from './types';

export interface EngineInfo {
  name: string;
  /** The versions the keys are written for. */
  versions: string;
  /** Where the key list was read (repository, commit, last tag). */
  keySource: { repo: string; commit: string; lastTag: string; files: string[] };
  keys: ReadonlySet<string>;
  /** What older versions call differently (one line each). */
  olderVersions: string[];
}

export const ENGINES: Record<ExportTarget, EngineInfo> = {
  trl: {
    name: 'TRL',
    versions: 'TRL ≥ 0.22 (keys checked against TRL 1.9, huggingface/trl main)',
    keySource: trlKeys.source,
    keys: new Set(trlKeys.keys),
    olderVersions: [
      '`scale_rewards` was a bool before 0.22 (`True` = group, `False` = none; no `batch`).',
      '`loss_type` defaulted to `bnpo` in 0.17–0.21 and `grpo` before; the script always sets it.',
      '`beta` defaulted to 0.04 before 0.19; the script always sets it.',
      '`epsilon_high` exists from 0.17; `entropy_coef` only from 1.8 (drop it on older versions: the lab value is then lost).',
      '`max_prompt_length` is gone from 0.28; the script does not set it (prompts here are ≤ 24 characters).',
      '`sync_ref_model`, `ref_model_mixup_alpha`, `ref_model_sync_steps` exist from 0.14.',
    ],
  },
  verl: {
    name: 'verl',
    versions: 'verl ≥ 0.5 (keys checked against verl v0.7.0+, volcengine/verl main)',
    keySource: verlKeys.source,
    keys: new Set(verlKeys.keys),
    olderVersions: [
      '`kl_loss_type` / `kl_penalty` accept `k1`/`k2`/`k3` only from 0.4; the export writes `kl`, `mse`, `low_var_kl`, which every version reads.',
      '`clip_ratio_low` / `clip_ratio_high` exist from 0.3 (before: one `clip_ratio`).',
      '`entropy_coeff` defaulted to 0.001 before 0.4; the export always sets it.',
      '`optim.lr_scheduler_type` was `optim.warmup_style` before 0.6 (`constant`/`cosine`).',
    ],
  },
  openrlhf: {
    name: 'OpenRLHF',
    versions: 'OpenRLHF ≥ 0.10.3 (flags checked against OpenRLHF 0.11.0, OpenRLHF/OpenRLHF main)',
    keySource: openrlhfKeys.source,
    keys: new Set(openrlhfKeys.keys),
    olderVersions: [
      'Before 0.10.3 the flags were flat: `--actor_learning_rate`, `--n_samples_per_prompt`, `--rollout_batch_size`, `--train_batch_size`,',
      '  `--generate_max_len`, `--init_kl_coef`, `--kl_estimator`, `--use_kl_loss`, `--advantage_estimator`, `--eps_clip_low_high`, `--dual_clip`,',
      '  `--entropy_loss_coef`, `--max_epochs`, `--num_episodes`, `--remote_rm_url`, `--input_key`, `--label_key`, `--pretrain`, `--prompt_data`.',
    ],
  },
};

/** The emitted keys that are not in the target's key list (the exporter's tests require none). */
export function unknownKeys(target: ExportTarget, keys: Iterable<string>): string[] {
  const known = ENGINES[target].keys;
  return [...new Set(keys)].filter((k) => !known.has(k));
}
