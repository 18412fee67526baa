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
  | { kind: 'step'; metric: 'reward' | 'rewards.correctness' | 'entropy' | 'kl.k3' | 'completions.mean_length' | 'clip_ratio.region_mean'; title: string };

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
}

interface CardExtras {
  paper: string;
  arms: GalleryArmId[];
  panels: CardPanel[];
}

const ENTROPY = { kind: 'step', metric: 'entropy', title: 'entropy (token mean)' } as const;
const KL = { kind: 'step', metric: 'kl.k3', title: 'KL to the reference (k3)' } as const;

const EXTRAS: Record<string, CardExtras> = {
  'sharpening-ceiling': {
    paper: 'Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs Beyond the Base Model?',
    arms: ['add-grpo'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, { kind: 'eval', k: 64 }],
  },
  'sharpening-off-ceiling': {
    paper: 'Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs Beyond the Base Model?',
    arms: ['sort8-grpo', 'cd3-grpo'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, { kind: 'eval', k: 64 }],
  },
  'when-rl-narrows': {
    paper: 'Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs Beyond the Base Model?',
    arms: ['sort8-4pass', 'sort8-grpo'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, { kind: 'eval', k: 64 }],
  },
  'clip-higher': {
    paper: 'DAPO: An Open-Source LLM Reinforcement Learning System at Scale',
    arms: ['sort8-4pass-eh028', 'sort8-4pass', 'sort8-4pass-eh10'],
    panels: [ENTROPY, { kind: 'step', metric: 'clip_ratio.region_mean', title: 'clip ratio (region)' }, { kind: 'eval', k: 64 }],
  },
  'positive-negative': {
    paper: 'The Surprising Effectiveness of Negative Reinforcement in LLM Reasoning',
    arms: ['sort8-nsr', 'sort8-psr', 'sort8-reinforce', 'sort8-wreinforce'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, ENTROPY],
  },
  'kl-choice': {
    paper: 'ProRL: Prolonged Reinforcement Learning Expands Reasoning Boundaries in Large Language Models',
    arms: ['add-k3-loss', 'add-grpo', 'add-k2-loss', 'add-k3-reset'],
    panels: [KL, ENTROPY, { kind: 'eval', k: 1 }],
  },
  divergence: {
    paper: 'The Choice of Divergence: A Neglected Key to Mitigating Diversity Collapse in Reinforcement Learning with Verifiable Reward',
    arms: ['sort8-k3-loss', 'sort8-k2-loss', 'sort8-grpo'],
    panels: [{ kind: 'passk' }, { kind: 'eval', k: 64 }, KL],
  },
  'dr-grpo': {
    paper: 'Understanding R1-Zero-Like Training: A Critical Perspective',
    arms: ['cd3-drgrpo', 'cd3-grpo'],
    panels: [{ kind: 'step', metric: 'completions.mean_length', title: 'completion length (tokens)' }, { kind: 'eval', k: 1 }],
  },
  'reward-hacking': {
    paper: 'Concrete Problems in AI Safety',
    arms: ['add-hack-c05', 'add-hack-c1'],
    panels: [
      { kind: 'step', metric: 'reward', title: 'proxy reward (batch mean)' },
      { kind: 'step', metric: 'rewards.correctness', title: 'accuracy by the verifier (batch)' },
      { kind: 'eval', k: 1 },
    ],
  },
  'curriculum-race': {
    paper: 'Self-Evolving Curriculum for LLM Reasoning',
    arms: ['race-dump', 'race-sec', 'race-uniform'],
    panels: [{ kind: 'eval', k: 1 }, { kind: 'step', metric: 'reward', title: 'reward (batch mean)' }],
  },
  'model-task-alignment': {
    paper: 'Spurious Rewards: Rethinking Training Signals in RLVR',
    arms: ['add-coin', 'sort8-coin', 'sort8-grpo'],
    panels: [{ kind: 'eval', k: 1 }, { kind: 'step', metric: 'rewards.correctness', title: 'accuracy by the verifier (batch)' }],
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
    'frontier. What did not: no loop beat plain training on the held-out set. One seed each: anecdotes, not verdicts.',
  preset: 'selfplay-propose-solve',
  path: 'docs/selfplay',
  command: 'npm run selfplay -- --loop <propose-solve|spin|creator-solver|self-consuming>',
  figure: 'docs/selfplay/propose-solve/curves.svg',
} as const;
