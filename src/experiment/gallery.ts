// The preset gallery: the headline dynamics of the papers this lab is built on, one card each. A card
// names the presets it compares (its arms), says in one paragraph what a reader should see, and links
// the experiment. `npm run gallery:record` (scripts/galleryRecord.ts) records every arm in Node at a
// reduced budget (GALLERY_RUN) into docs/gallery/<preset>/metrics.json and draws each card's figure
// to docs/gallery/<card>.svg; src/experiment/gallery.test.ts re-reads those records and checks every
// claim below against them. A claim is written before the recording, from the paper; `shown` says
// whether the recording showed it, and a card's text says so when it did not — the test fails when
// `shown` and the record disagree, so the gallery can neither hide a missing effect nor tune one in.
import { claimHolds, clearlyAbove, f2, GALLERY_BUDGETS, GALLERY_RUN, meanOver, need, passAt, type GalleryBudget, type GalleryCard } from './galleryTypes';
import { presetConfig } from './presets';
import type { ExperimentConfig } from './schema';

export * from './galleryTypes';


/** The experiment a card's arm records and its link opens: the preset, with the gallery's run budget
 *  (or a shorter one of GALLERY_BUDGETS, for a run in the lab). */
export function galleryExperiment(presetId: string, budget: GalleryBudget = 'recorded'): ExperimentConfig {
  const config = presetConfig(presetId);
  const chosen: { run: ExperimentConfig['run']; batch?: Partial<ExperimentConfig['algorithm']> } = GALLERY_BUDGETS[budget];
  return { ...config, algorithm: { ...config.algorithm, ...chosen.batch }, run: { ...chosen.run } };
}

// --------------------------------------------------------------------------------- the cards

const K = GALLERY_RUN.evalSamples;

export const GALLERY: readonly GalleryCard[] = [
  {
    id: 'sharpening',
    title: 'RL sharpens: pass@1 rises, pass@k at large k does not',
    whatYouShouldSee:
      'RLVR mostly sharpens: it moves probability onto answers the base model could already sample, so ' +
      'pass@1 climbs while pass@k at large k stays where the base model was (and, at very large k, the base ' +
      'model catches up or wins). Recorded here (the default GRPO preset, 60 steps): held-out pass@1 rose ' +
      'from 0.57 to 0.77 while pass@16 stayed at 0.98 (0.977 → 0.984) — the pass@k-vs-k curve lifts at small ' +
      'k and meets the base model\'s at k = 16. Read it with care: the base already solved 98 % of these ' +
      'prompts within 16 samples, so pass@16 had almost no room to rise, and the paper\'s crossover (the ' +
      'trained curve falling below the base\'s at large k) did not appear at this scale.',
    paper: 'Does Reinforcement Learning Really Incentivize Reasoning Capacity in LLMs Beyond the Base Model?',
    preset: 'default',
    arms: [{ preset: 'default', label: 'GRPO' }],
    figure: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, { kind: 'eval', k: K }],
    claims: [
      {
        text: 'held-out pass@1 rises by at least 10 points',
        shown: true,
        check(runs) {
          const r = need(runs, 'default');
          const [a, b] = [passAt(r, 1, 'first'), passAt(r, 1, 'last')];
          return { holds: claimHolds(b, a, { atLeast: 0.1 }), evidence: `pass@1 ${f2(a)} → ${f2(b)}` };
        },
      },
      {
        text: `pass@${K} ends no more than 2 points above the base model's (the policy does not solve what the base could not)`,
        shown: true,
        check(runs) {
          const r = need(runs, 'default');
          const [a, b] = [passAt(r, K, 'first'), passAt(r, K, 'last')];
          return { holds: claimHolds(b, a, { atMost: 0.02 }), evidence: `pass@${K} ${f2(a)} → ${f2(b)}` };
        },
      },
    ],
  },
  {
    id: 'positive-negative',
    title: 'Positive vs negative reinforcement (λ+ only, λ− only, both)',
    whatYouShouldSee:
      'The RLVR gradient splits into positive sample reinforcement (PSR: push right answers up) and negative ' +
      'sample reinforcement (NSR: push wrong answers down). The paper finds PSR alone lifts pass@1 fastest but ' +
      'narrows the policy, while NSR alone keeps entropy up and pass@k strong across k. Recorded (60 steps ' +
      'each): λ+ only raised pass@1 most (0.57 → 0.79) and λ− only least (→ 0.72), with both in between ' +
      '(→ 0.77); λ− only kept entropy highest (0.227 vs 0.208 for λ+ only over the last 10 steps). All three ' +
      'ended at pass@16 ≈ 0.98–0.99 — the ceiling — and λ− only\'s pass@k curve sits below the others for k ≤ 8, ' +
      'so the paper\'s large-k advantage of NSR did not appear at this scale; only its higher entropy did.',
    paper: 'The Surprising Effectiveness of Negative Reinforcement in LLM Reasoning',
    preset: 'negative-only',
    arms: [
      { preset: 'negative-only', label: 'λ− only (NSR)' },
      { preset: 'positive-only', label: 'λ+ only (PSR)' },
      { preset: 'default', label: 'both' },
    ],
    figure: [{ kind: 'passk' }, { kind: 'eval', k: 1 }, { kind: 'step', metric: 'entropy' }],
    claims: [
      {
        text: 'λ+ only raises pass@1 at least as much as λ− only',
        shown: true,
        check(runs) {
          const [p, n] = [need(runs, 'positive-only'), need(runs, 'negative-only')];
          const gp = passAt(p, 1, 'last') - passAt(p, 1, 'first');
          const gn = passAt(n, 1, 'last') - passAt(n, 1, 'first');
          return { holds: claimHolds(gp, gn, { atLeast: 0 }), evidence: `pass@1 gain: λ+ only ${f2(gp)}, λ− only ${f2(gn)}` };
        },
      },
      {
        text: `λ− only ends with pass@${K} at least as high as λ+ only`,
        shown: true,
        check(runs) {
          const [p, n] = [passAt(need(runs, 'positive-only'), K, 'last'), passAt(need(runs, 'negative-only'), K, 'last')];
          return { holds: claimHolds(n, p, { atLeast: 0 }), evidence: `final pass@${K}: λ− only ${f2(n)}, λ+ only ${f2(p)}` };
        },
      },
      {
        text: 'λ− only keeps entropy at least 5 % higher than λ+ only (mean of the last 10 steps)',
        shown: true,
        check(runs) {
          const [p, n] = [meanOver(need(runs, 'positive-only'), 'entropy', 'last'), meanOver(need(runs, 'negative-only'), 'entropy', 'last')];
          return { holds: clearlyAbove(n, p), evidence: `entropy, last 10 steps: λ− only ${f2(n)}, λ+ only ${f2(p)}` };
        },
      },
    ],
  },
  {
    id: 'kl-choice',
    title: 'KL choice: none, k3 in the loss, or reference resets',
    whatYouShouldSee:
      'A KL penalty β·KL(π‖π_ref) keeps the policy near the base model; ProRL resets the reference to the ' +
      'current policy every so often, so the penalty stabilises each stretch without capping how far the ' +
      'policy can go. Recorded (60 steps each): with β = 0.05 the k3 penalty did not restrain this policy — ' +
      'KL to the base ended where the unpenalised run\'s did (0.164 vs 0.157 over the last 10 steps) and so ' +
      'did entropy (0.212 vs 0.209): the "KL keeps the policy close" effect did not appear at this scale ' +
      '(β·KL ≈ 0.008 is small beside a policy-gradient term with advantages of ±1; a larger β would be needed). ' +
      'The resets do what they say: KL falls to 0 at steps 21 and 41 and climbs again, a sawtooth; pass@1 ' +
      'ended level with the fixed reference (0.755 vs 0.754), as expected when the penalty barely binds.',
    paper: 'ProRL: Prolonged Reinforcement Learning Expands Reasoning Boundaries in Large Language Models',
    preset: 'kl-reset',
    arms: [
      { preset: 'default', label: 'no KL' },
      { preset: 'kl-k3-loss', label: 'k3 in loss, β 0.05' },
      { preset: 'kl-reset', label: 'k3 + reset every 20' },
    ],
    figure: [{ kind: 'step', metric: 'kl' }, { kind: 'step', metric: 'entropy' }, { kind: 'eval', k: 1 }, { kind: 'eval', k: K }],
    claims: [
      {
        text: 'the k3 penalty keeps KL to the base at most 80 % of the unpenalised run\'s (mean of the last 10 steps)',
        shown: false,
        check(runs) {
          const [none, k3] = [meanOver(need(runs, 'default'), 'kl', 'last'), meanOver(need(runs, 'kl-k3-loss'), 'kl', 'last')];
          return { holds: claimHolds(k3, none, { atMost: -0.2 * none }), evidence: `KL k3, last 10 steps: no KL ${f2(none)}, k3 in loss ${f2(k3)}` };
        },
      },
      {
        text: 'the k3 penalty keeps entropy at least 5 % higher than no KL (mean of the last 10 steps)',
        shown: false,
        check(runs) {
          const [none, k3] = [meanOver(need(runs, 'default'), 'entropy', 'last'), meanOver(need(runs, 'kl-k3-loss'), 'entropy', 'last')];
          return { holds: clearlyAbove(k3, none), evidence: `entropy, last 10 steps: no KL ${f2(none)}, k3 in loss ${f2(k3)}` };
        },
      },
      {
        text: 'with resets, KL drops to under a quarter of its value right after each reset (steps 21 and 41)',
        shown: true,
        check(runs) {
          const s = need(runs, 'kl-reset').steps;
          const pairs = [20, 40].filter((n) => s.length > n).map((n) => [s[n - 1].kl.k3, s[n].kl.k3]);
          const holds = pairs.length > 0 && pairs.every(([before, after]) => after < 0.25 * before);
          return { holds, evidence: pairs.map(([a, b]) => `${f2(a)} → ${f2(b)}`).join(', ') };
        },
      },
      {
        text: 'with resets, pass@1 ends at least as high as with a fixed reference',
        shown: true,
        check(runs) {
          const [fixed, reset] = [passAt(need(runs, 'kl-k3-loss'), 1, 'last'), passAt(need(runs, 'kl-reset'), 1, 'last')];
          return { holds: claimHolds(reset, fixed, { atLeast: 0 }), evidence: `final pass@1: resets ${f2(reset)}, fixed reference ${f2(fixed)}` };
        },
      },
    ],
  },
  {
    id: 'clip-higher',
    title: 'Entropy collapse and clip-higher (ε_high 0.28 vs 0.2)',
    whatYouShouldSee:
      'DAPO raises the upper clip bound ε_high from 0.2 to 0.28 so that unlikely tokens can gain probability ' +
      'before they are clipped, and credits it with preventing entropy collapse and keeping samples diverse. ' +
      'Clipping acts only when the ratio leaves 1, i.e. with two or more passes per batch: both arms here use ' +
      'ppoEpochs = 2. Recorded (60 steps each): clipping acted in both (about 2 % of tokens), entropy fell ' +
      'alike (0.191 with 0.28 vs 0.188 with 0.2 over the last 10 steps), and pass@16 ended at 0.977 vs ' +
      '0.992 — the entropy difference did not appear at this scale: 60 steps on answers of three or four ' +
      'tokens do not collapse entropy far enough for the upper bound to matter.',
    paper: 'DAPO: An Open-Source LLM Reinforcement Learning System at Scale',
    preset: 'clip-higher',
    arms: [
      { preset: 'clip-higher', label: 'ε_high 0.28' },
      { preset: 'clip-symmetric', label: 'ε_high 0.2' },
    ],
    figure: [{ kind: 'step', metric: 'entropy' }, { kind: 'step', metric: 'clip' }, { kind: 'passk' }],
    claims: [
      {
        text: 'with two passes per batch, clipping acts in both runs (clip ratio above zero)',
        shown: true,
        check(runs) {
          const v = ['clip-higher', 'clip-symmetric'].map((p) => need(runs, p).steps.reduce((a, s) => a + s.clip_ratio.region_mean, 0) / need(runs, p).steps.length);
          return { holds: v.every((x) => x > 0), evidence: `mean clip ratio: 0.28 ${f2(v[0])}, 0.2 ${f2(v[1])}` };
        },
      },
      {
        text: 'ε_high = 0.28 keeps entropy at least 5 % higher than 0.2 (mean of the last 10 steps)',
        shown: false,
        check(runs) {
          const [hi, sym] = [meanOver(need(runs, 'clip-higher'), 'entropy', 'last'), meanOver(need(runs, 'clip-symmetric'), 'entropy', 'last')];
          return { holds: clearlyAbove(hi, sym), evidence: `entropy, last 10 steps: 0.28 ${f2(hi)}, 0.2 ${f2(sym)}` };
        },
      },
      {
        text: `ε_high = 0.28 ends with pass@${K} at least as high as 0.2`,
        shown: false,
        check(runs) {
          const [hi, sym] = [passAt(need(runs, 'clip-higher'), K, 'last'), passAt(need(runs, 'clip-symmetric'), K, 'last')];
          return { holds: claimHolds(hi, sym, { atLeast: 0 }), evidence: `final pass@${K}: 0.28 ${f2(hi)}, 0.2 ${f2(sym)}` };
        },
      },
    ],
  },
  {
    id: 'curriculum-race',
    title: 'Curriculum race: uniform vs DUMP vs SEC vs filtering at equal samples',
    whatYouShouldSee:
      'Self-evolving curricula (SEC, DUMP) pick the next prompts from the difficulty arm where the policy ' +
      'learns most — measured by mean |advantage| — instead of uniformly; online filtering drops groups that ' +
      'are all right or all wrong. The race on addition (all four arms: d1 solved, d2 learnable, d3 and d4 ' +
      'hopeless) is recorded by npm run curriculum:race at equal samples, not here; its notes are in ' +
      'docs/curriculum/README.md. In short: DUMP put 94 % of its prompts on d2 and was the only racer to reach ' +
      'the target, ahead of uniform by about two standard errors (suggestive, not decisive); SEC moved slowly; ' +
      'filtering discarded 80 % of its groups and trained 14 steps to the others\' 40, ending level with ' +
      'uniform. "Load and run" starts DUMP over the four arms: watch its arm probabilities in the Curriculum panel.',
    paper: 'Self-Evolving Curriculum for LLM Reasoning',
    preset: 'curriculum-dump',
    arms: [],
    figure: [],
    claims: [],
    recordedElsewhere: { path: 'docs/curriculum/race-addition.json', command: 'npm run curriculum:race -- --task addition', figure: 'docs/curriculum/race-addition.svg' },
  },
  {
    id: 'dr-grpo',
    title: 'Dr. GRPO vs GRPO: completion length and accuracy',
    whatYouShouldSee:
      'GRPO divides each response\'s loss by its own length and each group\'s advantages by their std; the ' +
      'paper shows this lets long wrong answers be penalised less per token, so responses grow, and Dr. GRPO ' +
      '(no std, a constant normaliser) keeps accuracy with shorter outputs. Recorded (60 steps each): ' +
      'completion lengths were the same (3.60 tokens in both over the last 10 steps) — the length bias did not ' +
      'appear at this scale, as expected for answers of two or three digits (and this lab\'s GRPO already ' +
      'averages over all tokens of the batch, as DAPO does, which removes most of the per-response bias); ' +
      'Dr. GRPO\'s accuracy stayed close to GRPO\'s (final pass@1 0.750 vs 0.772).',
    paper: 'Understanding R1-Zero-Like Training: A Critical Perspective',
    preset: 'dr-grpo',
    arms: [
      { preset: 'dr-grpo', label: 'Dr. GRPO' },
      { preset: 'default', label: 'GRPO' },
    ],
    figure: [{ kind: 'step', metric: 'length' }, { kind: 'eval', k: 1 }],
    claims: [
      {
        text: 'GRPO\'s completions are at least 5 % longer than Dr. GRPO\'s (mean length over the last 10 steps)',
        shown: false,
        check(runs) {
          const [dr, g] = [meanOver(need(runs, 'dr-grpo'), 'length', 'last'), meanOver(need(runs, 'default'), 'length', 'last')];
          return { holds: clearlyAbove(g, dr), evidence: `mean completion length, last 10 steps: Dr. GRPO ${f2(dr)}, GRPO ${f2(g)}` };
        },
      },
      {
        text: 'Dr. GRPO\'s final pass@1 is within 5 points of GRPO\'s or above it',
        shown: true,
        check(runs) {
          const [dr, g] = [passAt(need(runs, 'dr-grpo'), 1, 'last'), passAt(need(runs, 'default'), 1, 'last')];
          return { holds: claimHolds(dr, g, { atLeast: -0.05 }), evidence: `final pass@1: Dr. GRPO ${f2(dr)}, GRPO ${f2(g)}` };
        },
      },
    ],
  },
  {
    id: 'reward-hacking',
    title: 'Reward hacking: a gameable reward vs the verifier',
    whatYouShouldSee:
      'Optimise a proxy and the policy finds what the proxy pays for, not what you meant. The proxy here ' +
      '(reward.kind "weighted": format 1 + 0.2 per token, correctness 0) pays for any well-formed number and ' +
      'for length, never for being right. Recorded (60 steps): accuracy by the verifier collapsed — held-out ' +
      'pass@1 0.57 → 0.13, batch accuracy 0.50 → 0.13 — while the verifier-trained run rose to 0.77; the ' +
      'proxy itself rose only a little (1.73 → 1.80, completions 3.7 → 4.0 tokens), so the "reward climbs" ' +
      'half of the picture did not appear at this scale: most groups have equal lengths and carry no signal, ' +
      'and the updates the few others make drift away from right answers that nothing in the reward protects.',
    paper: 'Concrete Problems in AI Safety',
    preset: 'reward-hacking',
    arms: [
      { preset: 'reward-hacking', label: 'format + length bonus' },
      { preset: 'default', label: 'verifier' },
    ],
    figure: [
      { kind: 'step', metric: 'reward', only: ['reward-hacking'], title: 'proxy reward (batch mean)' },
      { kind: 'step', metric: 'correctness', title: 'accuracy by the verifier (batch)' },
      { kind: 'eval', k: 1 },
    ],
    claims: [
      {
        text: 'the proxy reward rises by at least 0.1 (mean of the last 10 steps vs the first 10)',
        shown: false,
        check(runs) {
          const r = need(runs, 'reward-hacking');
          const [a, b] = [meanOver(r, 'reward', 'first'), meanOver(r, 'reward', 'last')];
          return { holds: claimHolds(b, a, { atLeast: 0.1 }), evidence: `proxy reward ${f2(a)} → ${f2(b)}` };
        },
      },
      {
        text: 'while held-out accuracy (pass@1 by the verifier) stalls or falls (ends at most 2 points above its start)',
        shown: true,
        check(runs) {
          const r = need(runs, 'reward-hacking');
          const [a, b] = [passAt(r, 1, 'first'), passAt(r, 1, 'last')];
          return { holds: claimHolds(b, a, { atMost: 0.02 }), evidence: `held-out pass@1 ${f2(a)} → ${f2(b)}` };
        },
      },
    ],
  },
  {
    id: 'self-play',
    title: 'Self-play: propose/solve, SPIN, creator/solver, self-consuming generations',
    whatYouShouldSee:
      'Self-play trains on problems or data the model makes itself, with a verifier (the task\'s own checker) ' +
      'instead of human labels. docs/selfplay holds four loops recorded by npm run selfplay, each against a ' +
      'control with the same budget. What appeared: self-consuming generations collapse without fresh data ' +
      '(held-out accuracy 0.77 → 0.20 over 12 generations), hold with 50 % fresh real data (0.67) and improve ' +
      'with verifier curation (0.88) — the model-collapse result. The propose/solve proposer moves to the ' +
      'solver\'s frontier (about 90 % of its problems learnable, validity 0.90 → 0.97). What did not show at ' +
      'this scale: no loop beat plain training on the fixed held-out set — propose/solve never recovered the ' +
      'accuracy its warm-up cost, creator/solver trailed plain GRPO and SPIN trailed SFT on the same pairs. ' +
      'Load and run starts the propose/solve preset in the lab (its small in-browser defaults); the figure is ' +
      'the recorded propose/solve run.',
    paper: 'Absolute Zero: Reinforced Self-play Reasoning with Zero Data',
    preset: 'selfplay-propose-solve',
    arms: [],
    figure: [],
    claims: [],
    recordedElsewhere: { path: 'docs/selfplay', command: 'npm run selfplay -- --loop <propose-solve|spin|creator-solver|self-consuming>', figure: 'docs/selfplay/propose-solve/curves.svg' },
  },
];

/** Every preset the gallery records, each once (cards share arms, e.g. the default GRPO run). */
export function galleryPresets(): string[] {
  return [...new Set(GALLERY.flatMap((c) => c.arms.map((a) => a.preset)))];
}

export function getCard(id: string): GalleryCard | undefined {
  return GALLERY.find((c) => c.id === id);
}
