// The gallery's verdicts (issue 18): unit checks of the judge, then every claim of docs/gallery/claims.json
// recomputed from the records in docs/gallery/runs — its values, effect, interval and verdict — so the page
// can neither keep a verdict its records do not support nor drop one they do.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GALLERY_ARMS, GALLERY_SEEDS, galleryArmExperiment, type GalleryArmId } from './galleryArms';
import { GALLERY_CARDS, cardArmIds } from './galleryCards';
import { encodeExperiment } from './urlCodec';
import { judgeFromRecords, verdictOf, windowValue, type ClaimDesign, type JudgedClaim } from './galleryClaims';
import type { ComparableReplica } from './runComparison';
import { comparableSteps, type SelfplayIterations } from './selfplayRecord';

const rises: ClaimDesign = { id: 'r', text: 'A beats B by 0.03', metric: 'eval.pass@1', window: 'final', arms: ['a', 'b'], claim: { atLeast: 0.03 } };

describe('verdictOf', () => {
  it('shown only when the interval clears zero and the mean clears the bound', () => {
    expect(verdictOf(rises, [{ 1: 0.6, 2: 0.62, 3: 0.61 }, { 1: 0.5, 2: 0.51, 3: 0.5 }]).verdict).toBe('shown');
    // A mean under the bound: not shown, however tight.
    expect(verdictOf(rises, [{ 1: 0.52, 2: 0.53, 3: 0.52 }, { 1: 0.5, 2: 0.51, 3: 0.5 }]).verdict).toBe('not shown');
    // A tie is never shown.
    expect(verdictOf(rises, [{ 1: 0.5, 2: 0.51, 3: 0.5 }, { 1: 0.5, 2: 0.51, 3: 0.5 }]).verdict).toBe('not shown');
    // A big mean whose interval crosses zero: not shown.
    expect(verdictOf(rises, [{ 1: 0.9, 2: 0.45, 3: 0.6 }, { 1: 0.5, 2: 0.51, 3: 0.5 }]).verdict).toBe('not shown');
  });

  it('moving one value across the threshold flips the verdict', () => {
    const values: [Record<string, number>, Record<string, number>] = [{ 1: 0.6, 2: 0.62, 3: 0.61 }, { 1: 0.5, 2: 0.51, 3: 0.5 }];
    expect(verdictOf(rises, values).verdict).toBe('shown');
    expect(verdictOf(rises, [{ ...values[0], 2: 0.3 }, values[1]]).verdict).toBe('not shown');
  });

  it('untestable at the ceiling (a rise) or the floor (a fall), and for a mechanism check', () => {
    const high: [Record<string, number>, Record<string, number>] = [{ 1: 0.99, 2: 0.995, 3: 0.99 }, { 1: 0.95, 2: 0.96, 3: 0.95 }];
    expect(verdictOf(rises, high).verdict).toBe('untestable');
    const falls: ClaimDesign = { ...rises, claim: { atMost: -0.03 } };
    expect(verdictOf(falls, [{ 1: 0.0, 2: 0.01, 3: 0 }, { 1: 0.02, 2: 0.04, 3: 0.03 }]).verdict).toBe('untestable');
    // Entropy is not a [0, 1] metric: no ceiling rule.
    expect(verdictOf({ ...rises, metric: 'entropy' }, high).verdict).toBe('shown');
    expect(verdictOf({ ...rises, mechanism: true }, [{ 1: 0.6, 2: 0.62, 3: 0.61 }, { 1: 0.5, 2: 0.51, 3: 0.5 }]).verdict).toBe('untestable');
  });

  it('a "no worse than" claim is never shown by a tie: its interval must also exclude zero', () => {
    const noWorse: ClaimDesign = { ...rises, claim: { atLeast: -0.03 } };
    // A tight tie lies above −0.03, yet includes zero: not shown.
    expect(verdictOf(noWorse, [{ 1: 0.5, 2: 0.51, 3: 0.5 }, { 1: 0.5, 2: 0.51, 3: 0.505 }]).verdict).toBe('not shown');
    expect(verdictOf(noWorse, [{ 1: 0.45, 2: 0.51, 3: 0.5 }, { 1: 0.5, 2: 0.51, 3: 0.5 }]).verdict).toBe('not shown');
    expect(verdictOf(noWorse, [{ 1: 0.52, 2: 0.53, 3: 0.52 }, { 1: 0.5, 2: 0.51, 3: 0.5 }]).verdict).toBe('shown');
  });

  it('a rise larger than the room left under 1 is untestable', () => {
    const big: ClaimDesign = { ...rises, claim: { atLeast: 0.2 } };
    expect(verdictOf(big, [{ 1: 0.99, 2: 0.99, 3: 0.98 }, { 1: 0.85, 2: 0.86, 3: 0.85 }]).verdict).toBe('untestable');
  });
});

describe('windowValue', () => {
  const replica: ComparableReplica = {
    seed: 1,
    steps: [1, 2, 3, 4].map((v, step) => ({ step, entropy: v })),
    evaluations: [0, 10, 20].map((afterSteps, i) => ({ afterSteps, arms: [{ arm: 'd2', passAtK: { 1: [0.5, 0.7, 0.6][i] } }] })),
  };
  it('reads initial, max, first:K beside final and last:K', () => {
    expect(windowValue(replica, 'eval.pass@1', 'initial', 'x')).toBe(0.5);
    expect(windowValue(replica, 'eval.pass@1', 'max', 'x')).toBe(0.7);
    expect(windowValue(replica, 'eval.pass@1', 'final', 'x')).toBe(0.6);
    expect(windowValue(replica, 'entropy', 'first:2', 'x')).toBe(1.5);
    expect(windowValue(replica, 'entropy', 'last:2', 'x')).toBe(3.5);
    expect(() => windowValue(replica, 'entropy', 'first:9', 'x')).toThrow(/fewer than the window/);
  });
});

// ------------------------------------------------------------------------------ the recorded claims

const CLAIMS = 'docs/gallery/claims.json';
const file = JSON.parse(readFileSync(CLAIMS, 'utf8')) as { cards: { id: string; claims: JudgedClaim[] }[] };

function replicasOf(arm: string): ComparableReplica[] {
  const dir = join('docs/gallery/runs', arm);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^seed-[0-9]+\.json$/.test(f))
    .map((f) => ({ file: f, record: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Recorded }))
    .filter(({ record }) => record.finishedAt !== null)
    .map(({ record }) => ({ seed: record.config.seed, steps: comparableSteps(record), evaluations: record.evaluations }));
}

interface Recorded {
  config: { seed: number };
  link: string;
  finishedAt: string | null;
  steps: object[];
  selfplay?: SelfplayIterations;
  evaluations: ComparableReplica['evaluations'];
}

describe('docs/gallery/runs', () => {
  it('every record is of its arm as designed: its file names its seed and its link is the arm\'s current link', () => {
    for (const arm of Object.keys(GALLERY_ARMS) as GalleryArmId[]) {
      const dir = join('docs/gallery/runs', arm);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
        const record = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Recorded;
        expect(f).toBe(`seed-${record.config.seed}.json`);
        expect(record.link, `${arm}/${f}`).toBe(encodeExperiment(galleryArmExperiment(arm, record.config.seed)));
      }
    }
  });
});

describe('docs/gallery/claims.json', () => {
  const claims = file.cards.flatMap((c) => c.claims.map((claim) => ({ card: c.id, claim })));

  it('the gallery is complete: every arm a card draws or judges is recorded with every seed (≥ 3), and every claim has a verdict', () => {
    expect(GALLERY_SEEDS.length).toBeGreaterThanOrEqual(3);
    for (const card of GALLERY_CARDS) {
      for (const arm of cardArmIds(card)) {
        const seeds = replicasOf(arm).map((r) => r.seed);
        for (const seed of GALLERY_SEEDS) expect(seeds, `${card.id}: ${arm} seed ${seed}`).toContain(seed);
      }
      for (const claim of card.claims) expect(claim.verdict, `${card.id} / ${claim.id}`).toMatch(/^(shown|not shown|untestable)$/);
    }
  });

  it('has at least 11 cards; every claim names recorded-gallery arms and a bound', () => {
    expect(file.cards.length).toBeGreaterThanOrEqual(11);
    for (const { claim } of claims) {
      for (const arm of claim.arms) expect(Object.keys(GALLERY_ARMS)).toContain(arm);
      expect('atLeast' in claim.claim || 'atMost' in claim.claim).toBe(true);
    }
  });

  it.each(claims.map(({ card, claim }) => [`${card} / ${claim.id}`, claim] as const))('%s: the stored values and verdict are what the records give', (_, claim) => {
    const judged = judgeFromRecords(claim, replicasOf, GALLERY_SEEDS);
    // Not recorded yet (an arm lacks a seed): then the file holds no result for it either.
    expect(claim.values === undefined).toBe(judged.values === undefined);
    if (claim.values === undefined) return;
    expect(claim.seeds).toEqual(judged.seeds);
    expect(claim.seeds!.length).toBeGreaterThanOrEqual(3);
    for (const side of [0, 1] as const) {
      for (const [seed, v] of Object.entries(claim.values[side])) expect(judged.values![side][seed]).toBeCloseTo(v, 10);
    }
    expect(claim.effect).toBeCloseTo(judged.effect!, 10);
    expect(claim.ci![0]).toBeCloseTo(judged.ci![0], 10);
    expect(claim.ci![1]).toBeCloseTo(judged.ci![1], 10);
    expect(claim.verdict).toBe(judged.verdict);
    // No claim is shown whose interval includes zero.
    if (claim.verdict === 'shown') expect(claim.ci![0] > 0 || claim.ci![1] < 0).toBe(true);
  });

  it('moving one recorded value of a shown claim across its bound flips it to not shown', () => {
    const shown = claims.filter(({ claim }) => claim.verdict === 'shown');
    for (const { claim } of shown) {
      const [a, b] = claim.values!;
      const seed = Object.keys(a)[0];
      const n = Object.keys(a).length;
      const bound = 'atLeast' in claim.claim ? claim.claim.atLeast : claim.claim.atMost;
      // Shift one seed's A value so that the mean difference lands just past the bound, the wrong side.
      const shift = (bound - claim.effect! + ('atLeast' in claim.claim ? -1e-3 : 1e-3)) * n;
      const moved = verdictOf(claim, [{ ...a, [seed]: a[seed] + shift }, b]);
      expect(moved.verdict).toBe('not shown');
    }
  });
});
