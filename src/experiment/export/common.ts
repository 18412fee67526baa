// What no engine expresses, the same for every target: the lab's curricula, difficulty filter, self-play
// loops, sign-weighted advantages and in-tab SFT warm-up. Each entry says why and what to do instead.
import type { ExperimentConfig } from '../schema';
import type { ExportTarget, UnmappedSetting } from './types';

const CURRICULUM_NAMES: Record<string, string> = {
  dump: 'DUMP (UCB bandit over arms on mean |advantage|)',
  sec: 'SEC (self-evolving curriculum: a bandit on each arm\'s learning signal)',
  alp: 'ALP (absolute learning progress bandit)',
  cyclical: 'cyclical over arms',
  'fixed-order': 'fixed order over arms',
  'easy-to-hard': 'easy to hard over arms',
};

function curriculumParams(c: ExperimentConfig['curriculum']): string {
  const { kind, ...rest } = c;
  const params = Object.entries(rest).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  return params.length ? `${kind} (${params.join(', ')})` : kind;
}

const SHUFFLE_OFF: Record<ExportTarget, string> = {
  trl: '`shuffle_dataset=False`',
  verl: '`data.shuffle=False`',
  openrlhf: 'no shuffle flag: pre-order the file and keep `--train.num_episodes 1`',
};

/** The lab settings that no target maps (target only changes the advice). */
export function commonUnmapped(config: ExperimentConfig, target: ExportTarget): UnmappedSetting[] {
  const out: UnmappedSetting[] = [];
  const a = config.algorithm;
  const c = config.curriculum;
  if (!(a.truncation === 'mask' && target === 'trl')) {
    out.push({
      lab: 'cut-off completions',
      value: a.truncation,
      why: a.truncation === 'mask'
        ? 'Only TRL has a key that drops cut-off completions from the loss (mask_truncated_completions).'
        : `The lab scores a completion cut off by the answer budget as ${a.truncation === 'wrong' ? 'wrong (reward 0)' : "−1 plus DAPO's ramp"}, never by its text; the engines pass the cut-off text to the reward function, which cannot tell it was cut off.`,
      instead: target === 'trl'
        ? 'Set mask_truncated_completions=True (drops them from the loss), or give the reward function the completion ids and score rows without EOS as 0.'
        : 'Score rows whose response has no EOS as 0 in the reward function (verl passes the response ids in extra_info / data; OpenRLHF gives the full query), or accept scoring on the cut-off text.',
    });
  }
  if (c.kind !== 'uniform' && c.kind !== 'mixture') {
    const adaptive = c.kind === 'dump' || c.kind === 'sec' || c.kind === 'alp';
    out.push({
      lab: 'curriculum',
      value: curriculumParams(c),
      why: `${CURRICULUM_NAMES[c.kind]} picks each prompt's arm during training${adaptive ? ' from the run\'s own rewards and advantages' : ''}; no engine has a curriculum key. data/train.jsonl draws arms uniformly instead.`,
      instead: adaptive
        ? 'Write a sampler that reweights arms from logged per-arm advantages (the `arm` column is in every row) — in TRL a custom `Sampler` on the train dataloader, in verl `data.sampler.class_path` with a curriculum sampler, in OpenRLHF a custom prompt dataset — or run the curriculum in the lab and compare.'
        : `Order data/train.jsonl by the schedule (python3 generate.py per arm, concatenated) and turn shuffling off (${SHUFFLE_OFF[target]}).`,
    });
  }
  if (config.task.trainPool) {
    out.push({
      lab: 'training pool',
      value: `${config.task.trainPool} fixed problem${config.task.trainPool === 1 ? '' : 's'} per arm`,
      why: 'The lab trains on a fixed pool of problems per arm (one-shot / few-shot RL); data/train.jsonl holds rows drawn from that pool, while python3 generate.py draws fresh problems and does not know the pool.',
      instead: 'Train on the exported data/train.jsonl as it is (do not regenerate it), or deduplicate it to the pool and repeat it for the engine\'s epochs.',
    });
  }
  if (config.filter.enabled) {
    const f = config.filter;
    out.push({
      lab: 'difficulty filter',
      value: `keep groups with accuracy in ${f.mode === 'strict' ? '(' : '['}${f.lo}, ${f.hi}${f.mode === 'strict' ? ')' : ']'}, over-sample ×${f.budget} in ≤ ${f.maxRounds} rounds`,
      why: 'The lab re-samples prompts until the batch holds enough groups whose accuracy lies in the band; the engines do not over-sample to a band.',
      instead:
        target === 'openrlhf'
          ? 'Closest: `--algo.dynamic_filtering_enable --algo.dynamic_filtering_range LO HI` (filters on the group\'s mean score, open interval, without a budget).'
          : target === 'verl'
            ? 'Closest: the DAPO recipe\'s `algorithm.filter_groups` (keeps groups with reward variance; not a band), or filter offline by the base policy\'s accuracy per prompt.'
            : 'TRL has no group filter: filter data/train.jsonl offline by the base policy\'s accuracy per prompt (sample it with the exported checkpoint), then train on the kept prompts.',
    });
  }
  if (config.selfplay.loop !== 'none') {
    out.push({
      lab: 'self-play loop',
      value: `${config.selfplay.loop} (${config.selfplay.iterations} iterations)`,
      why: 'Self-play (propose/solve, SPIN, creator/solver, self-consuming generations) replaces the RL trainer with a loop that writes its own training data; no engine has it as configuration. This export is the plain RL run on the task (its algorithm settings, data, reward and policy).',
      instead:
        config.selfplay.loop === 'spin'
          ? 'TRL: generate the model\'s own answers per iteration and train with `DPOTrainer` (chosen = the real answer from data/train.jsonl, rejected = the model\'s), as the SPIN paper does.'
          : 'Drive the engine from an outer loop: each iteration generate with the current checkpoint, build the next dataset (proposals, evolved prompts or self-generated answers) with lab_tasks.py\'s verifiers, then run one training phase.',
    });
  }
  if (a.positiveWeight !== 1 || a.negativeWeight !== 1) {
    out.push({
      lab: 'advantage sign weights λ+ / λ−',
      value: `λ+ ${a.positiveWeight}, λ− ${a.negativeWeight}`,
      why: 'The lab scales the loss of tokens with positive and negative advantage separately (PSR/NSR); no engine has a key for it.',
      instead: 'Multiply the advantages by λ+ where A > 0 and λ− where A < 0 before the policy loss: subclass the trainer (TRL `_compute_loss`), register a policy loss in verl (`actor_rollout_ref.actor.policy_loss.loss_mode` with `@register_policy_loss`), or patch OpenRLHF\'s `PolicyLoss`.',
    });
  }
  if (config.model.init === 'sft') {
    out.push({
      lab: 'model initialisation',
      value: `SFT warm-up in the tab (${config.model.sftSteps} steps, lr ${config.model.sftLr}, batch ${config.model.sftBatch})`,
      why: 'The warm-up happens in the lab before RL; the exported checkpoint is the seeded random init the warm-up would start from (unless a trained policy was exported from a run).',
      instead: 'Export from a run after its warm-up, or fine-tune the exported model on data/train.jsonl (`prompt` + `ground_truth`) first, e.g. with TRL\'s `SFTTrainer`.',
    });
  }
  return out;
}

/** The evaluation the lab reports and engines do not: pass@k over k. */
export function passAtKUnmapped(config: ExperimentConfig): UnmappedSetting {
  return {
    lab: 'held-out pass@k',
    value: `pass@1…pass@${config.run.evalSamples} on ${config.run.evalPrompts} prompts per arm, greedy accuracy`,
    why: 'The engines log the mean reward of evaluation samples, not pass@k or a greedy pass.',
    instead: 'Sample data/test.jsonl n times per prompt with the trained checkpoint and compute pass@k with the unbiased estimator 1 − C(n−c, k)/C(n, k) (score completions with lab_reward.py).',
  };
}

/** The lab's `reinforce` estimator (A = 2r − 1, no baseline: PSR/NSR): none of the three engines has it
 *  (their REINFORCE variants subtract a baseline or whiten over the batch, which removes the sign). */
export const REINFORCE_UNMAPPED: UnmappedSetting = {
  lab: 'advantage estimator',
  value: 'reinforce (A = 2r − 1, no baseline)',
  why: 'Every engine\'s REINFORCE subtracts a baseline or whitens the returns over the batch, so an all-wrong group no longer pushes its samples down — the effect this estimator exists to show.',
  instead: 'Give the engine a custom advantage function that returns 2·r − 1 per sequence (verl lets a recipe register its own advantage estimator; in TRL subclass GRPOTrainer and override the advantage computation).',
};
