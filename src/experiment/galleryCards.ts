// The gallery's cards (issue 18): each shows one seed paper's dynamic on a setting where its mechanism can
// bite, recorded over seeds. The claims, their windows and bounds, and their recorded verdicts live in
// docs/gallery/claims.json (written before recording, judged by galleryClaims.ts); this file adds what the
// page needs besides: the paper, the arm "Run it live" starts, and the panels of the card's figure.
import claimsFile from '../../docs/gallery/claims.json';
import { GALLERY_ARMS, isGalleryArm, type GalleryArmId } from './galleryArms';
import type { JudgedClaim } from './galleryClaims';

/** A panel of a card's figure: held-out pass@k over steps, pass@k against k (base vs each arm's end), or
 *  a per-step metric (each seed smoothed, then mean and band over seeds). */
export type CardPanel =
  | { kind: 'eval'; k: number }
  | { kind: 'passk' }
  | {
      kind: 'step';
      metric: 'reward' | 'rewards.correctness' | 'entropy' | 'kl.k3' | 'completions.mean_length' | 'clip_ratio.region_mean' | SelfplayStepMetric;
      title: string;
      /** Only these of the card's arms (a metric one loop has and another has not); all when absent. */
      arms?: GalleryArmId[];
    };

/** Per-iteration metrics of a self-play arm (flattened keys of the loop's metrics; x = the iteration). */
type SelfplayStepMetric =
  | 'explore/distinct_correct' | 'explore/pass_at_k' | 'bstar/temperature' | 'bstar/balance' | 'exploit/auc_confidence'
  | 'learnable_fraction' | 'validity_rate';

export interface GalleryCardV2 {
  id: string;
  title: string;
  /** The setting in one line (task, budget, what the arms change). */
  setting: string;
  paper: string;
  /** The arms the figure draws, in order; the first is what "Run it live" starts. */
  arms: GalleryArmId[];
  panels: CardPanel[];
  claims: JudgedClaim[];
  reading?: string;
}

interface CardExtras {
  paper: string;
  arms: GalleryArmId[];
  panels: CardPanel[];
  /** What the recording showed, what it did not and why — written after recording (the verdicts
   *  themselves come from claims.json, never from this text). */
  reading?: string;
}

const ENTROPY = { kind: 'step', metric: 'entropy', title: 'entropy (token mean)' } as const;
const KL = { kind: 'step', metric: 'kl.k3', title: 'KL to the reference (k3)' } as const;

const EXTRAS: Record<string, CardExtras> = {
  'sharpening-ceiling': {
    paper: 'Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs Beyond the Base Model?',
    arms: ['add-grpo'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, { kind: 'eval', k: 64 }],
    reading:
      'GRPO lifted held-out pass@1 on two-digit sums by 17 points (0.60 → 0.75–0.80 over the three seeds). Whether it also solves what the base could not cannot be told here: the base already reaches pass@64 = 0.98, so a rise of 3 points has no room — untestable, not a finding. The off-ceiling card asks the same question where there is room.',
  },
  'sharpening-off-ceiling': {
    paper: 'Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs Beyond the Base Model?',
    arms: ['sort8-grpo', 'cd3-grpo'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, { kind: 'eval', k: 64 }],
    reading:
      'The two tasks part ways. On countdown n3 GRPO did what the paper reports: pass@1 rose 11 points (0.11 → 0.22) while pass@64 fell 7 points below the base (0.875 → 0.78–0.81), both intervals clear of zero — sharper, and narrower at large k. On sorting len8 one pass of GRPO raised pass@1 by 8 points and pass@64 rose too, by 8 (interval 4–13): no narrowing in 40 steps there. Whether RL narrows depends on the task and on how hard it is pushed (next card). Caution: 32 held-out prompts make pass@64 move in steps of 1/32.',
  },
  'when-rl-narrows': {
    paper: 'Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs Beyond the Base Model?',
    arms: ['sort8-4pass', 'sort8-grpo'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, { kind: 'eval', k: 64 }],
    reading:
      'Four passes per batch at lr 1e-3 on the same prompts collapsed the policy\'s coverage: pass@64 fell 30 points below the base (interval 26–35) and 39 below one gentle pass, in every seed — while pass@1 did not clearly rise (+2 points, interval −7 to +11). So whether RL narrows depends on how hard it is pushed: one pass sharpened without narrowing, four aggressive passes narrowed without sharpening.',
  },
  'clip-higher': {
    paper: 'DAPO: An Open-Source LLM Reinforcement Learning System at Scale',
    arms: ['sort8-4pass-eh028', 'sort8-4pass', 'sort8-4pass-eh10'],
    panels: [ENTROPY, { kind: 'step', metric: 'clip_ratio.region_mean', title: 'clip ratio (region)' }, { kind: 'eval', k: 64 }],
    reading:
      'Four passes at lr 1e-3 collapsed entropy in every arm (from ≈ 0.35 to ≈ 0.18–0.25) and pass@64 with it (0.78 → 0.44–0.53). ε_high = 0.28 did not keep entropy higher than 0.2 (+0.008, interval −0.04 to +0.06) nor pass@64 (+0.01); removing the upper clip altogether kept entropy 0.05 higher, an interval that only just reaches below zero (−0.004 to +0.10). At this scale the upper clip bound is not what drives the collapse — the number of passes and the learning rate are (see When RL narrows).',
  },
  'positive-negative': {
    paper: 'The Surprising Effectiveness of Negative Reinforcement in LLM Reasoning',
    arms: ['sort8-nsr', 'sort8-psr', 'sort8-reinforce', 'sort8-wreinforce'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, ENTROPY],
    reading:
      'With REINFORCE on ±1 rewards, PSR alone (push right answers up) raised pass@1 more than NSR alone (0.23 vs 0.17, interval 0.05–0.08, every seed), and NSR kept entropy higher (0.33 vs 0.28; interval −0.005 to +0.09, just short). The paper\'s large-k advantage of NSR did not appear: NSR\'s pass@64 ended 5 points below PSR\'s, with an interval from −0.21 to +0.11; W-REINFORCE (λ+ = 0.1) ended 10 points below plain REINFORCE, interval crossing zero. Three seeds and 32 evaluation prompts leave pass@64 too noisy to separate these arms.',
  },
  'kl-choice': {
    paper: 'ProRL: Prolonged Reinforcement Learning Expands Reasoning Boundaries in Large Language Models',
    arms: ['add-k3-loss', 'add-grpo', 'add-k2-loss', 'add-k3-reset'],
    panels: [KL, ENTROPY, { kind: 'eval', k: 1 }],
    reading:
      'With β = 0.5 the penalty binds: k3 in the loss held KL to the reference 0.08 below the unpenalised run, k2 by 0.07 (both intervals clear zero, k2\'s barely). Entropy stayed only 0.016 higher with k3, an interval that includes zero; and resetting the reference every 20 steps (with AdamW\'s moments) did not let pass@1 go further than the fixed reference (−0.003) — in 60 steps on a task already near its ceiling, the anchor was not what held pass@1 back.',
  },
  divergence: {
    paper: 'The Choice of Divergence: A Neglected Key to Mitigating Diversity Collapse in Reinforcement Learning with Verifiable Reward',
    arms: ['sort8-k3-loss', 'sort8-k2-loss', 'sort8-grpo'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 64 }, KL],
    reading:
      'With β = 0.5 on sorting len8, k3 (whose gradient in the loss follows the forward, mass-covering KL) and k2 (the reverse, mode-seeking KL) ended with the same pass@64 in every seed (0.84, 0.84, 0.78 — a tie on 32 prompts), and k3 did not keep pass@64 above the unpenalised run (−0.04, interval −0.16 to +0.08). What did show: the penalty cost pass@1 (no penalty 4 points above k2, interval 0.0005–0.07). The paper\'s forward-KL benefit uses samples from the reference policy; this lab estimates every KL on the policy\'s own samples, which is the likely reason the direction made no difference here.',
  },
  'dr-grpo': {
    paper: 'Understanding R1-Zero-Like Training: A Critical Perspective',
    arms: ['cd3-drgrpo', 'cd3-grpo'],
    panels: [{ kind: 'step', metric: 'completions.mean_length', title: 'completion length (tokens)' }, { kind: 'eval', k: 1 }],
    reading:
      'On countdown n3 (answers of 5–9 tokens, mostly wrong), GRPO with the per-response 1/|o| normaliser produced completions 0.12 tokens longer than Dr. GRPO (6.18 vs 6.06 over the last 10 steps, interval 0.01–0.23) — the paper\'s direction, clear of zero, but under the 0.2-token bound set before recording, so not shown. Dr. GRPO lost no accuracy: its final pass@1 was level or a hair higher in every seed (+0.004, interval 0.001–0.008), so "no worse" is shown.',
  },
  'reward-hacking': {
    paper: 'Concrete Problems in AI Safety',
    arms: ['add-hack-c05', 'add-hack-c1'],
    panels: [
      { kind: 'step', metric: 'reward', title: 'proxy reward (batch mean)' },
      { kind: 'step', metric: 'rewards.correctness', title: 'accuracy by the verifier (batch)' },
      { kind: 'eval', k: 1 },
    ],
    reading:
      'The Goodhart curve appeared in shape: with correctness worth 0.5 and 0.6 paid per token, held-out pass@1 first rose (peak 12 points above the start in every seed) and then fell back in two of three seeds (to 0.49 and 0.50 from 0.60; the third stayed at 0.74), so \'ends 10 points below the start\' is not shown (interval −0.37 to +0.33), nor is weight 1 ending clearly above (interval crosses zero). The proxy rose by 0.09 (interval 0.03–0.14) — real, but under the 0.1 bound set before recording. Sixty steps catch the turn, not the collapse the two-seed pilot saw at 100+ steps.',
  },
  'curriculum-race': {
    paper: 'Self-Evolving Curriculum for LLM Reasoning',
    arms: ['race-dump', 'race-sec', 'race-uniform'],
    panels: [{ kind: 'eval', k: 1 }, { kind: 'step', metric: 'reward', title: 'reward (batch mean)' }],
    reading:
      'Neither adaptive curriculum beat drawing arms uniformly. Area under held-out pass@1 (the mean of the four arms, over the 40 steps): uniform 0.374–0.383, DUMP 0.375–0.385 (effect 0.000, interval −0.017 to +0.017), SEC 0.363–0.390 (−0.004, −0.040 to +0.033); all three end near 0.41–0.43. DUMP did what its bandit is built to do — it moved to the arm with the largest |A|, len5 (302–354 of 640 prompts), and nearly starved len12 (32–51) — but the equal-weight average over four arms gives back on len12 and len3 what it gains on len5. SEC (α 0.5, τ 1, the authors\' code\'s update of every arm) stayed close to uniform (final p 0.20–0.33): its Q values are mean |A| ≤ ≈ 0.5, and softmax(Q / 1) cannot move far from uniform over such a range — the paper runs τ 0.2–0.4 on some tasks. In 40 steps of a 156k-parameter model, which arm is trained matters less than the seed: the effects are an order of magnitude under the spread between seeds.',
  },
  'b-star': {
    paper: 'B-STaR: Monitoring and Balancing Exploration and Exploitation in Self-Taught Reasoners',
    arms: ['bstar-tuned', 'bstar-fixed'],
    panels: [
      { kind: 'eval', k: 1 },
      { kind: 'eval', k: 8 },
      { kind: 'step', metric: 'explore/distinct_correct', title: 'distinct correct answers per training prompt (of 8)' },
      { kind: 'step', metric: 'bstar/temperature', title: 'sampling temperature trained on' },
    ],
    reading:
      'Three seeds, six iterations each. B-STaR kept more distinct correct answers per training prompt than temperature 1 in every seed (+0.057 of 8 samples over the last three iterations, interval 0.044–0.070) — shown, though only just over the 0.05 bound and close to what the balance score selects for (it is measured on the samples the score chose). The temperature it chose rose in every seed (0.7–0.9 at first, 1.3 at the last iteration in all three), the drift the paper reports; 1.3 is the top of the grid, so the best temperature may lie above it. Held-out accuracy did not follow: both loops doubled pass@1 (0.094 → 0.19 and 0.20; B-STaR +0.010, interval −0.03 to +0.05, not shown), and both lost coverage — pass@8 fell from 0.47 to 0.40 (fixed) and 0.39 (B-STaR), −0.016 between them, interval −0.25 to +0.22, not shown: six iterations of rejection sampling narrowed the held-out set whichever temperature sampled it. Exploitation: the shaped reward (countdown\'s partial credit) is 1 exactly when an answer is right, so its Reward@k equalled pass@k and its AUC was 1 in every iteration — it cannot show anything here; the policy\'s own confidence separated right from wrong with an AUC of 0.69–0.82 in both arms (mean of the last three iterations), with no clear difference. B-STaR paid 5× the sampling for this.',
  },
  'self-play-seeds': {
    paper: 'Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models (SPIN); Absolute Zero: Reinforced Self-play Reasoning with Zero Data',
    arms: ['spin-converged', 'spin-sft-control', 'ps-refs', 'ps-norefs'],
    panels: [
      { kind: 'eval', k: 1 },
      { kind: 'step', metric: 'learnable_fraction', title: 'propose/solve: learnable proposals (0 < solver acc < 1)', arms: ['ps-refs', 'ps-norefs'] },
      { kind: 'step', metric: 'validity_rate', title: 'propose/solve: valid proposals', arms: ['ps-refs', 'ps-norefs'] },
    ],
    reading:
      'Three seeds each. SPIN from a converged SFT did not beat its control: after 10 iterations plain SFT on the same 128 pairs (same steps and lr) ended 5–8 points higher in every seed (SPIN 0.73, SFT 0.80 mean pass@1; −0.063, interval −0.096 to −0.029 — the opposite direction, clear of zero), and SPIN\'s own gain over the converged start (0.67 → 0.73) is not clear of zero (interval −0.11 to +0.24; seed 3 gained 2 points). Why: the precondition holds on the pairs but not where it is measured. The SFT-first rule stopped when the training loss moved < 2 % or < 0.005 nats per epoch — after 11 and 10 epochs (loss 0.20 → 0.04 and 0.05) in seeds 1–2, but after 3 in seed 3, on an early plateau at 0.20 — and yet more SFT at a lower lr kept raising held-out pass@1 by 7–20 points: saturated on the pairs is not saturated on the task. And SPIN has little to learn from: 51–94 % of the opponent\'s answers equal the real ones (a tie has no gradient), so its end-of-iteration margin stays between 0 and 0.12 and held-out accuracy zigzags (seed 3: 0.66 → 0.51 → 0.68). Propose/solve with 2 reference problems did not beat K = 0: held-out pass@1 −0.013 (interval −0.068 to +0.042), learnable proposals +0.03 (interval −0.04 to +0.10, under the 0.05 bound). There was little room: with seed problems of d2 both proposers write two-digit sums from the first iteration (operand digits 2.0), 81–100 % valid (mean 0.95 without references, 0.98 with), nearly all distinct (≥ 0.93), and 69–100 % of them (mean 0.88) already learnable without references — what references give Absolute Zero (diverse, novel tasks from a capable coder) has nothing to add to a grammar this small. Neither loop lifted the solver above where the warm-up left it (0.63–0.66 → 0.60–0.61).',
  },
  'model-task-alignment': {
    paper: 'Spurious Rewards: Rethinking Training Signals in RLVR',
    arms: ['add-coin', 'add-oneshot', 'sort8-coin', 'sort8-oneshot', 'sort8-grpo', 'sort12-coin', 'sort12-oneshot', 'sort12-grpo'],
    panels: [{ kind: 'eval', k: 1 }, { kind: 'step', metric: 'rewards.correctness', title: 'accuracy by the verifier (batch)' }],
    reading:
      'The counterintuitive gains did not appear, on any base. A random reward: on addition, where the base knows the task (held-out pass@1 0.60), it collapsed pass@1 (to 0.01, 0.22 and 0.12); on sorting len8 (0.15) it fell 6 points (interval −0.19 to +0.06); on sorting len12 (0.03) it fell to 0.01 in every seed. The verifier beat the coin on len8 by 14 points (shown) and raised len12 by 3 points (shown, barely). This coin is one fixed labelling of strings, not the study\'s fresh Bernoulli draw, so the policy can learn which strings pay: it optimises the labelling and forgets the task. The study\'s gains (on Qwen-Math, attributed to clipping amplifying what the base already does) need a draw that is independent of the output; that variant is not built. One-shot RL (one random training problem per seed) memorised its problem — training reward 0.91–1.0 by step 40, entropy down about tenfold — and held-out pass@1 fell: addition 0.60 → 0.31–0.44, len8 0.15 → 0.07–0.12, len12 0.03 → 0.01–0.02; fresh problems ended 13 points above one-shot on len8 (shown). The paper\'s "post-saturation generalisation" rests on a 1.5B model that already reasons and on an example chosen for its training variance; a 156k-parameter model fitting one string has nothing to carry over, and the example here was drawn at random.'
  },
};

interface ClaimsFileCard {
  id: string;
  title: string;
  setting: string;
  claims: JudgedClaim[];
}

/** The cards, in the order of claims.json. */
export const GALLERY_CARDS: readonly GalleryCardV2[] = (claimsFile as unknown as { cards: ClaimsFileCard[] }).cards.map((card) => {
  const extras = EXTRAS[card.id];
  if (!extras) throw new Error(`gallery: card ${card.id} of claims.json has no entry in galleryCards.ts`);
  return { ...card, ...extras };
});

/** Every arm a card's claims or figure name (each once, in the figure's order first). */
export function cardArmIds(card: GalleryCardV2): GalleryArmId[] {
  const fromClaims = card.claims.flatMap((c) => c.arms).filter(isGalleryArm);
  return [...new Set([...card.arms, ...fromClaims])];
}

export function armLabel(arm: GalleryArmId): string {
  return GALLERY_ARMS[arm].label;
}

/** The self-play loops: recorded by their own script with one seed per loop (docs/selfplay), shown as a
 *  card of anecdotes until they are recorded over seeds. */
export const SELFPLAY_CARD = {
  id: 'self-play',
  title: 'Self-play: propose/solve, SPIN, creator/solver, self-consuming generations (one seed each)',
  text:
    'Self-play trains on problems or data the model makes itself, with the task\'s verifier instead of human labels. ' +
    'docs/selfplay holds four loops, each against a control with the same budget, one seed each. What appeared: ' +
    'self-consuming generations collapse without fresh data (held-out accuracy 0.77 → 0.20 over 12 generations), hold ' +
    'with 50 % fresh data and improve with verifier curation (0.88); the propose/solve proposer moves to the solver\'s ' +
    'frontier. What did not: no loop beat plain training on the held-out set. One seed each: anecdotes, not verdicts ' +
    '(SPIN and propose/solve are judged over three seeds in the card "Self-play over seeds").',
  preset: 'selfplay-propose-solve',
  path: 'docs/selfplay',
  command: 'npm run selfplay -- --loop <propose-solve|spin|creator-solver|self-consuming>',
  figure: 'docs/selfplay/propose-solve/curves.svg',
} as const;
