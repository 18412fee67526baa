// Presets: partial configs layered over the defaults (Sequence Toy style), each with what a student
// should expect to see and the paper it comes from. A link stores its preset's id and only what
// differs from the preset, so a preset's values must stay stable once links to it exist: to change
// a preset's dynamics, add a new preset (or a schema migration), don't edit an old one in place.
import { layer, type DeepPartial } from './layer';
import { defaultCurriculum, defaultExperiment, experimentSchema, type ExperimentConfig } from './schema';

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
      'GRPO (group-normalised advantages, PPO-clip loss, token-mean aggregation, no KL penalty, lr 3e-4) ' +
      'trains the base addition checkpoint on its RL-ready arm: two-digit sums, which the base model mostly ' +
      'knows (greedy ≈ 0.75, pass@16 ≈ 0.94) but samples right only about half the time (pass@1 ≈ 0.55). ' +
      'Reward and held-out pass@1 climb fast — a recorded 300-step run (docs/runs/default-addition) went ' +
      'from 0.57 to 0.74 in 25 steps and 0.92 by step 200 — while entropy halves and the fraction of ' +
      'all-right groups (zero reward std, no gradient) grows, slowing learning. With one optimisation pass ' +
      'per batch the ratio is exactly 1, so the clip-ratio plots stay at zero.',
    paper: GRPO_PAPER,
    config: {},
    dynamicsVerified: true,
  },
  {
    id: 'dr-grpo',
    title: 'Dr. GRPO: no std scaling, constant length normaliser',
    whatYouShouldSee:
      'Same run as the default, but advantages are not divided by the group standard deviation and the ' +
      'loss is divided by a constant (prompts × samples × max completion length) instead of the tokens in ' +
      'the batch. Groups whose rewards barely differ no longer get blown-up advantages, and the loss and ' +
      'gradient norm are smaller than GRPO\'s at the same learning rate. Reward should still rise, ' +
      'somewhat more slowly; the length bias the paper removes matters little for answers of a few tokens. ' +
      'In an early one-seed, 60-step recording (before the gallery was judged over seeds) lengths matched GRPO\'s (3.60 tokens) and final pass@1 was 0.75 vs 0.77.',
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
      'slowing entropy collapse: entropy should fall more slowly than in the same run with 0.2/0.2. ' +
      'In an early one-seed, 60-step recording (before the gallery was judged over seeds) clipping acted (about 2 % of tokens) but entropy fell alike with 0.28 and 0.2 (compare the clip-symmetric preset).',
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
      'toward the base model. ' +
      'In an early one-seed, 60-step recording (before the gallery was judged over seeds) β = 0.05 was too weak to show this: KL and entropy ended where the unpenalised run\'s did.',
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
      'entropy to stay near the base model\'s, and pass@16 to hold up at least as well. ' +
      'In an early one-seed, 60-step recording (before the gallery was judged over seeds) pass@1 rose least (0.57 → 0.72) and entropy stayed highest; pass@16 ended at the 0.99 ceiling like the others.',
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
  {
    id: 'positive-only',
    title: 'Positive samples only (PSR, λ− = 0)',
    whatYouShouldSee:
      'The mirror image of negative-only: only samples with positive advantage are trained on, so right ' +
      'answers are pushed up and wrong ones are never pushed down directly. The paper finds that this ' +
      'raises pass@1 fastest but narrows the policy: entropy falls and pass@k at large k stops improving ' +
      'or drops below the base model\'s. Compare pass@k across k with negative-only and the default (both). ' +
      'In an early one-seed, 60-step recording (before the gallery was judged over seeds) it raised pass@1 most (0.57 → 0.79) with the lowest entropy, but pass@16 stayed at the 0.99 ceiling.',
    paper: 'The Surprising Effectiveness of Negative Reinforcement in LLM Reasoning',
    config: { algorithm: { negativeWeight: 0 } },
    dynamicsVerified: false,
  },
  {
    id: 'kl-reset',
    title: 'KL penalty with reference resets (k3, β = 0.05, reset every 20 steps)',
    whatYouShouldSee:
      'The k3 KL penalty of kl-k3-loss, but every 20 steps the reference policy is reset to the current ' +
      'one (ProRL), so the penalty keeps training stable without anchoring the policy to the base model ' +
      'forever. The KL plot drops to zero at each reset and climbs again; compared with a fixed reference, ' +
      'the policy can move further (pass@1 is not held back) while each stretch stays close to its start. ' +
      'In an early one-seed, 60-step recording (before the gallery was judged over seeds) the sawtooth shows; pass@1 ended level with the fixed reference, which β = 0.05 barely restrained.',
    paper: 'ProRL: Prolonged Reinforcement Learning Expands Reasoning Boundaries in Large Language Models',
    config: { algorithm: { klCoef: 0.05, klEstimator: 'k3', klInReward: false, refResetEvery: 20 } },
    dynamicsVerified: false,
  },
  {
    id: 'clip-symmetric',
    title: 'Symmetric clipping (0.2/0.2), two passes per batch',
    whatYouShouldSee:
      'The control for clip-higher: the same two optimisation passes per batch (so the ratio leaves 1 and ' +
      'clipping acts), with the usual symmetric range ε = 0.2 on both sides. DAPO reports that with this ' +
      'upper bound low-probability tokens are clipped before they can grow, and entropy collapses faster ' +
      'than with ε_high = 0.28. ' +
      'In an early one-seed, 60-step recording (before the gallery was judged over seeds) entropy fell alike with both bounds.',
    paper: DAPO_PAPER,
    config: { algorithm: { ppoEpochs: 2 } },
    dynamicsVerified: false,
  },
  {
    id: 'reward-hacking',
    title: 'Reward hacking: a format-and-length proxy instead of the verifier',
    whatYouShouldSee:
      'The reward is a gameable proxy, not the verifier: 1 when the completion is a well-formed integer ' +
      '(at most five characters, as the verifier requires), plus 0.2 per completion token (a negative length ' +
      'penalty), and nothing for being right. Watch the correctness component (plotted beside the reward) ' +
      'and held-out pass@1 by the real verifier: in an early one-seed, 60-step recording (before the gallery was judged over seeds) they ' +
      'collapsed (held-out pass@1 0.57 → 0.13) while the proxy crept up (1.73 → 1.80) and completions grew ' +
      'longer (3.7 → 4.0 tokens): nothing in the reward protects right answers.',
    paper: 'Concrete Problems in AI Safety',
    config: { reward: { kind: 'weighted', weights: { correctness: 0, format: 1, partial: 0, lengthPenalty: -0.2 } } },
    dynamicsVerified: false,
  },
  {
    id: 'curriculum-dump',
    title: 'DUMP curriculum over every addition arm',
    whatYouShouldSee:
      'Training draws from all four addition arms (one to four digits) and DUMP, a UCB bandit on each ' +
      'arm\'s mean |advantage|, picks the arm of each prompt. The curriculum panel shows the arm ' +
      'probabilities move toward arms with learning signal (mixed right and wrong answers) and away from ' +
      'arms that are solved or hopeless; compare with uniform, SEC and the difficulty filter at equal ' +
      'samples (npm run curriculum:race).',
    paper: 'DUMP: Automated Distribution-Level Curriculum Learning for RL-based LLM Post-training',
    config: { task: { arms: ['d1', 'd2', 'd3', 'd4'] }, curriculum: defaultCurriculum('dump') },
    dynamicsVerified: false,
  },
  // Self-play loops (src/selfplay): each preset is the setting of a run recorded in Node with
  // `npm run selfplay -- --loop <loop>` (docs/selfplay/<loop>/, docs/selfplay/README.md).
  {
    id: 'selfplay-propose-solve',
    title: 'Self-play: propose/solve (Absolute Zero) on addition',
    whatYouShouldSee:
      'One model proposes addition problems after a <propose> token and solves them after <solve>; the ' +
      'proposer is rewarded for learnability (1 − the solver\'s accuracy when it is neither 0 nor 1). After a ' +
      '250-step warm-up on seed problems, valid proposals rise from about 0.90 to 0.97 and, within 15–20 ' +
      'iterations, the proposer all but stops writing one-digit sums (operand digits 1.7 → 1.95) while ' +
      'about 90 % of its proposals stay learnable and distinct — the curriculum sits at the edge of the ' +
      'solver\'s competence, never beyond it (three-digit sums score like trivial ones). What the recorded ' +
      'run (docs/selfplay/propose-solve) did NOT show: a gain on the real task — the warm-up costs held-out ' +
      'accuracy (d2 0.63 → 0.50) and self-play only wins most of it back (0.59).',
    paper: 'Absolute Zero: Reinforced Self-play Reasoning with Zero Data',
    config: { selfplay: { loop: 'propose-solve', iterations: 100, evalEvery: 5 } },
    dynamicsVerified: false,
  },
  {
    id: 'selfplay-spin',
    title: 'Self-play: SPIN against the previous iterate',
    whatYouShouldSee:
      'Each iteration the model answers 128 fixed addition prompts and is trained to prefer the real answers ' +
      'to its own (β = 0.1, lr 1e-4). rewards/real should sit above rewards/generated (margin > 0, mostly by ' +
      'pushing its own answers down) and about 84 % of the untied pairs end an iteration with u > 0; but ' +
      '80 % of its answers already equal the real ones, so the loss barely leaves ln 2 and the training-batch ' +
      'discrimination accuracy stays low — the loop starts near its fixed point. In the recorded run ' +
      '(docs/selfplay/spin) held-out d2 gained only 0.63 → 0.68, noisily, and plain SFT on the same pairs ' +
      'did better (0.75): the paper\'s gain over SFT did not appear.',
    paper: 'Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models',
    config: { selfplay: { loop: 'spin', iterations: 20 } },
    dynamicsVerified: false,
  },
  {
    id: 'selfplay-creator-solver',
    title: 'Self-play: creator/solver (eva) with a regret-scored prompt buffer',
    whatYouShouldSee:
      'A creator evolves addition prompts (digit mutations) from the buffer prompts with the most reward ' +
      'spread, and GRPO (16 prompts × 8 samples, lr 5e-4) trains on fresh, evolved and replayed prompts. ' +
      'Its batches should be more informative than fresh prompts: in the recorded run (docs/selfplay/' +
      'creator-solver) 56–64 % of groups had reward spread against 40–44 % for plain GRPO, and the buffer ' +
      'filled with prompts solved about 60 % of the time. What did not appear: better held-out accuracy — ' +
      'plain GRPO on fresh prompts ended higher on d2 (0.71 vs 0.62), and the creator\'s held-out accuracy ' +
      'dipped on the way (mean 0.31 at iteration 45) before recovering.',
    paper: 'Evolving Alignment via Asymmetric Self-Play',
    config: { selfplay: { loop: 'creator-solver', iterations: 100, evalEvery: 5 }, algorithm: { lr: 5e-4 } },
    dynamicsVerified: false,
  },
  {
    id: 'selfplay-self-consuming',
    title: 'Self-play: self-consuming generations (model collapse)',
    whatYouShouldSee:
      'Each generation is fine-tuned on 256 prompts answered by the previous one, with no real answers and ' +
      'no filtering. Held-out accuracy should collapse within a few generations: in the recorded run ' +
      '(docs/selfplay/self-consuming) the mean fell from 0.77 to 0.20 by generation 12 as the share of ' +
      'correct answers in its own training data fell from 0.72 to 0.27. Set the fresh fraction to 0.5 and the ' +
      'fall is bounded; tick verifier curation and accuracy rises instead (0.77 → 0.88) while diversity ' +
      'narrows. What did not appear: a diversity collapse in the uncurated loop (diversity and entropy rose), ' +
      'or any drift in output length (an addition answer\'s length is fixed by the problem).',
    paper: 'AI models collapse when trained on recursively generated data',
    config: { selfplay: { loop: 'self-consuming', iterations: 12 } },
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
