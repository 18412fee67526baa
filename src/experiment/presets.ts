// Presets: partial configs layered over the defaults (Sequence Toy style), each with what a student
// should expect to see and the paper it comes from. A link stores its preset's id and only what
// differs from the preset, so a preset's values must stay stable once links to it exist: to change
// a preset's dynamics, add a new preset (or a schema migration), don't edit an old one in place.
import { layer, type DeepPartial } from './layer';
import { defaultExperiment, experimentSchema, type ExperimentConfig } from './schema';

export interface Preset {
  id: string;
  title: string;
  /** One paragraph: the dynamics this preset should show on the plots. */
  whatYouShouldSee: string;
  /** Title of the paper the idea comes from. */
  paper: string;
  /** Layered over the defaults; only what this preset changes. */
  config: DeepPartial<ExperimentConfig>;
  /** False until a recorded run (docs/runs/<id>) confirms `whatYouShouldSee`: until then that
   *  paragraph is what the paper leads us to expect, not what this lab has been seen to do. */
  dynamicsVerified: boolean;
}

const GRPO_PAPER = 'DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models';
const DAPO_PAPER = 'DAPO: An Open-Source LLM Reinforcement Learning System at Scale';

export const PRESETS: readonly Preset[] = [
  {
    id: 'default',
    title: 'GRPO on addition',
    whatYouShouldSee:
      'GRPO (group-normalised advantages, PPO-clip loss, token-mean aggregation, no KL penalty) trains the ' +
      'base addition checkpoint on its RL-ready arm (two-digit sums, pass@1 ≈ 9 %, pass@16 ≈ 78 %). What a ' +
      'recorded 300-step run actually showed (docs/runs/default-addition): entropy falls, KL to the base ' +
      'grows, and pass@16 drops from 0.75 to about 0.3 — the policy narrows — while pass@1 only wanders ' +
      'between 6 % and 14 %: at this scale the sparse reward does not teach the carries the base model lacks. ' +
      'With one optimisation pass per batch the ratio is exactly 1, so the clip-ratio plots stay at zero.',
    paper: GRPO_PAPER,
    config: {},
    dynamicsVerified: false,
  },
  {
    id: 'dr-grpo',
    title: 'Dr. GRPO: no std scaling, constant length normaliser',
    whatYouShouldSee:
      'Same run as the default, but advantages are not divided by the group standard deviation and the ' +
      'loss is divided by a constant (prompts × samples × max completion length) instead of the tokens in ' +
      'the batch. Groups whose rewards barely differ no longer get blown-up advantages, and the loss and ' +
      'gradient norm are smaller than GRPO\'s at the same learning rate. Reward should still rise, ' +
      'somewhat more slowly; the length bias the paper removes matters little for answers of a few tokens.',
    paper: 'Understanding R1-Zero-Like Training: A Critical Perspective',
    config: { algorithm: { estimator: 'dr-grpo', aggregation: 'seq-mean-token-sum-norm' } },
    dynamicsVerified: false,
  },
  {
    id: 'rloo',
    title: 'RLOO: leave-one-out baseline',
    whatYouShouldSee:
      'Each sample\'s advantage is its reward minus the mean reward of the other samples of its prompt, ' +
      'with no std scaling (G/(G−1) times the mean-centred reward). Learning curves should look like ' +
      'GRPO\'s with smaller advantages on nearly-solved or nearly-hopeless prompts; as in GRPO, groups ' +
      'that are all right or all wrong give zero advantage and no gradient.',
    paper: 'Back to Basics: Revisiting REINFORCE Style Optimization for Learning from Human Feedback in LLMs',
    config: { algorithm: { estimator: 'rloo' } },
    dynamicsVerified: false,
  },
  {
    id: 'clip-higher',
    title: 'Clip-higher (DAPO), two passes per batch',
    whatYouShouldSee:
      'Two optimisation passes per batch move the ratio away from 1 on the second pass, so clipping ' +
      'finally shows: clip_ratio/low_mean and high_mean become non-zero. The upper bound 0.28 (instead ' +
      'of 0.2) lets low-probability tokens gain more before they are clipped, which DAPO credits with ' +
      'slowing entropy collapse: entropy should fall more slowly than in the same run with 0.2/0.2.',
    paper: DAPO_PAPER,
    config: { algorithm: { clipHigh: 0.28, ppoEpochs: 2 } },
    dynamicsVerified: false,
  },
  {
    id: 'kl-k3-loss',
    title: 'KL penalty in the loss (k3, β = 0.05)',
    whatYouShouldSee:
      'The k3 estimate of KL to the frozen base policy is added to the loss with β = 0.05, as in TRL\'s ' +
      'GRPO. Compared with the default (where KL is only measured), KL grows more slowly and levels off, ' +
      'entropy stays higher, and reward rises a little more slowly: the penalty pulls the policy back ' +
      'toward the base model.',
    paper: GRPO_PAPER,
    config: { algorithm: { klCoef: 0.05, klEstimator: 'k3', klInReward: false } },
    dynamicsVerified: false,
  },
  {
    id: 'negative-only',
    title: 'Negative samples only (NSR, λ+ = 0)',
    whatYouShouldSee:
      'Only samples with negative advantage are trained on: wrong answers are pushed down, right answers ' +
      'are never pushed up directly. The paper reports that this alone improves pass@k across the whole ' +
      'range of k while keeping entropy high. Expect pass@1 to rise more slowly than in the default run, ' +
      'entropy to stay near the base model\'s, and pass@16 to hold up at least as well.',
    paper: 'The Surprising Effectiveness of Negative Reinforcement in LLM Reasoning',
    config: { algorithm: { positiveWeight: 0 } },
    dynamicsVerified: false,
  },
  {
    id: 'dynamic-sampling',
    title: 'Dynamic sampling (DAPO)',
    whatYouShouldSee:
      'Groups whose samples all got the same reward carry no signal, so they are dropped and more prompts ' +
      'are generated (up to three rounds). The batch that is trained on has few zero-variance groups even ' +
      'late in training, when the default run\'s frac_reward_zero_std is high; each step costs more ' +
      'generation (generated groups exceed kept groups) but reward should improve in fewer steps.',
    paper: DAPO_PAPER,
    config: { algorithm: { dynamicSampling: true, dynamicSamplingMaxTries: 3 } },
    dynamicsVerified: false,
  },
];

const BY_ID = new Map(PRESETS.map((p) => [p.id, p]));

export function isPresetId(id: unknown): id is string {
  return typeof id === 'string' && BY_ID.has(id);
}

/** The preset with this id, or undefined. */
export function getPreset(id: string): Preset | undefined {
  return BY_ID.get(id);
}

/** The full config of a preset: the defaults with its partial laid over them, its id in `preset`.
 *  '' (or an unknown id) gives the plain defaults. */
export function presetConfig(id: string): ExperimentConfig {
  const preset = BY_ID.get(id);
  if (!preset) return defaultExperiment();
  return experimentSchema.parse({ ...layer(defaultExperiment(), preset.config), preset: id });
}
