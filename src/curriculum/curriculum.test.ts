// Curricula: a synthetic bandit with known learnability (DUMP and SEC find the learnable arm), the
// first two updates of DUMP and SEC against hand-computed numbers, each schedule's arm sequence,
// the factory's validation, and determinism under a seeded Rng.
import { describe, expect, it } from 'vitest';
import { uniformArms, type ArmSampler } from '../rl/rollout';
import { createRng, type Rng } from '../tasks/random';
import { createCurriculum, CURRICULUM_KINDS, type Curriculum, type CurriculumConfig, type CurriculumSample } from './curriculum';

const ARMS = ['A', 'B', 'C'];

/**
 * The synthetic bandit. Arm A is learnable: half its samples are right, and GRPO gives each one
 * |A| = 0.8 (+0.8 right, −0.8 wrong). Arm B is solved (every reward 1, A = 0) and arm C is hopeless
 * (every reward 0, A = 0): neither carries a learning signal.
 */
function banditSamples(arms: string[], G: number): CurriculumSample[] {
  const out: CurriculumSample[] = [];
  for (const arm of arms) {
    for (let j = 0; j < G; j++) {
      if (arm === 'A') out.push({ arm, reward: j % 2, advantage: j % 2 ? 0.8 : -0.8 });
      else out.push({ arm, reward: arm === 'B' ? 1 : 0, advantage: 0 });
    }
  }
  return out;
}

/** Runs `steps` steps of B prompts × G samples; returns each step's chosen arms. */
function simulate(c: Curriculum, steps: number, rng: Rng, B = 8, G = 4): string[][] {
  const chosen: string[][] = [];
  for (let t = 0; t < steps; t++) {
    const arms = c.chooseArms(B, rng);
    chosen.push(arms);
    c.update(banditSamples(arms, G));
  }
  return chosen;
}

const prob = (c: Curriculum, id: string) => c.state().arms.find((a) => a.id === id)!.probability;

describe('synthetic bandit: the learning curricula move probability to the learnable arm', () => {
  it('DUMP', () => {
    const c = createCurriculum({ kind: 'dump' }, ARMS);
    expect(prob(c, 'A')).toBeCloseTo(1 / 3, 12); // all UCB = 0 before any sample
    const chosen = simulate(c, 50, createRng(7));
    expect(prob(c, 'A')).toBeGreaterThan(0.9);
    const late = chosen.slice(-10).flat();
    expect(late.filter((a) => a === 'A').length / late.length).toBeGreaterThan(0.8);
    const s = c.state();
    expect(s.scoreLabel).toBe('UCB');
    const a = s.arms[0];
    expect(a.meanAbsAdvantage).toBeCloseTo(0.8, 12);
    expect(a.accuracy).toBeCloseTo(0.5, 12);
    expect(s.arms[1].accuracy).toBe(1);
    expect(s.arms[2].accuracy).toBe(0);
    expect(s.step).toBe(50);
    // UCB keeps exploring B and C a little, but most samples went to A.
    expect(a.samples).toBeGreaterThan(s.arms[1].samples + s.arms[2].samples);
    expect(s.arms.reduce((n, x) => n + x.samples, 0)).toBe(50 * 8 * 4);
    expect(s.arms.reduce((n, x) => n + x.chosen, 0)).toBe(50 * 8);
  });

  it('SEC', () => {
    const c = createCurriculum({ kind: 'sec' }, ARMS);
    simulate(c, 50, createRng(7));
    // A is drawn every step here, so Q_A = 0.8 (1 − 0.9^50) ≈ 0.796 and p_A = e^Q_A / (e^Q_A + 2) ≈ 0.525.
    const s = c.state();
    expect(s.scoreLabel).toBe('Q');
    expect(s.arms[0].score).toBeCloseTo(0.8 * (1 - 0.9 ** 50), 9);
    expect(s.arms[1].score).toBe(0);
    expect(s.arms[2].score).toBe(0);
    expect(prob(c, 'A')).toBeGreaterThan(0.5);
    expect(prob(c, 'B')).toBeLessThan(0.25);
    // A lower temperature sharpens the same preference.
    const sharp = createCurriculum({ kind: 'sec', tau: 0.1 }, ARMS);
    simulate(sharp, 50, createRng(7));
    expect(prob(sharp, 'A')).toBeGreaterThan(0.99);
  });

  it('uniform and ALP stay even when no arm makes progress; ALP follows the arm whose accuracy moves', () => {
    const u = createCurriculum({ kind: 'uniform' }, ARMS);
    simulate(u, 10, createRng(7));
    for (const a of u.state().arms) expect(a.probability).toBeCloseTo(1 / 3, 12);

    const alp = createCurriculum({ kind: 'alp' }, ARMS);
    simulate(alp, 10, createRng(7)); // accuracies constant: no learning progress anywhere
    for (const a of alp.state().arms) expect(a.probability).toBeCloseTo(1 / 3, 12);

    // A's accuracy climbs 0.1 per step; B's and C's stay put.
    const climbing = createCurriculum({ kind: 'alp' }, ARMS);
    for (let t = 0; t < 8; t++) {
      const acc = Math.min(1, 0.1 * t);
      climbing.update([
        { arm: 'A', reward: acc, advantage: 0 },
        { arm: 'B', reward: 1, advantage: 0 },
        { arm: 'C', reward: 0, advantage: 0 },
      ]);
    }
    const s = climbing.state();
    expect(s.scoreLabel).toBe('ALP');
    expect(s.arms[0].score).toBeGreaterThan(0);
    // All the progress is A's: p_A = ε/3 + (1 − ε) = 0.2/3 + 0.8, p_B = p_C = 0.2/3.
    expect(s.arms[0].probability).toBeCloseTo(0.2 / 3 + 0.8, 12);
    expect(s.arms[1].probability).toBeCloseTo(0.2 / 3, 12);
  });
});

describe('hand-computed updates', () => {
  // Step 1: every arm drawn once with G = 4. A: advantages ±0.8 (|Â| = 0.8, accuracy 0.5);
  // B: all solved (A = 0); C: all failed (A = 0).
  const step1: CurriculumSample[] = banditSamples(['A', 'B', 'C'], 4);

  it('DUMP (window 300, temperature 0.1): first two steps', () => {
    const c = createCurriculum({ kind: 'dump' }, ARMS);
    c.update(step1);
    // After step 1: n = (4, 4, 4), N = 12; μ = (0.8, 0, 0).
    //   bonus = sqrt(2 ln 13 / 5) = sqrt(2 · 2.5649493575 / 5) = sqrt(1.0259797430) = 1.0129065816 (all arms)
    //   UCB = (1.8129065816, 1.0129065816, 1.0129065816)
    //   softmax(UCB / 0.1): exponents relative to A are (0, −8, −8):
    //   p_A = 1 / (1 + 2e^−8) = e^8 / (e^8 + 2) = 2980.9579870417 / 2982.9579870417 = 0.99932952
    //   p_B = p_C = 1 / 2982.9579870417 = 0.00033524
    let s = c.state();
    expect(s.arms.map((a) => a.score)).toEqual([expect.closeTo(1.812907, 6), expect.closeTo(1.012907, 6), expect.closeTo(1.012907, 6)]);
    expect(s.arms.map((a) => a.probability)).toEqual([expect.closeTo(0.99933, 5), expect.closeTo(0.000335, 6), expect.closeTo(0.000335, 6)]);
    expect(s.arms[0].probability).toBeCloseTo(0.99932952, 8);
    expect(s.arms[1].probability).toBeCloseTo(0.00033524, 8);

    // Step 2: A gets 2 samples with Â = +0.4, −0.4; B gets 2 with Â = +0.5, −0.5; C is not drawn.
    c.update([
      { arm: 'A', reward: 1, advantage: 0.4 },
      { arm: 'A', reward: 0, advantage: -0.4 },
      { arm: 'B', reward: 1, advantage: 0.5 },
      { arm: 'B', reward: 0, advantage: -0.5 },
    ]);
    // n = (6, 6, 4), N = 16.
    //   μ_A = (4·0.8 + 2·0.4) / 6 = 4.0 / 6 = 0.6666666667;  μ_B = (4·0 + 2·0.5) / 6 = 0.1666666667;  μ_C = 0
    //   ln 17 = 2.8332133441
    //   bonus_A = bonus_B = sqrt(2 · 2.8332133441 / 7) = sqrt(0.8094895269) = 0.8997163591
    //   bonus_C = sqrt(2 · 2.8332133441 / 5) = sqrt(1.1332853376) = 1.0645587525
    //   UCB = (1.5663830258, 1.0663830258, 1.0645587525)
    //   (UCB − UCB_A) / 0.1 = (0, −5, −5.0182427324) → e^· = (1, 0.0067379470, 0.0066161428), sum 1.0133540898
    //   p = (0.98682189, 0.00664915, 0.00652895)
    s = c.state();
    expect(s.arms[0].meanAbsAdvantage).toBeCloseTo(0.666667, 6);
    expect(s.arms[1].meanAbsAdvantage).toBeCloseTo(0.166667, 6);
    expect(s.arms[2].meanAbsAdvantage).toBe(0);
    expect(s.arms.map((a) => a.score)).toEqual([expect.closeTo(1.566383, 6), expect.closeTo(1.066383, 6), expect.closeTo(1.064559, 6)]);
    expect(s.arms.map((a) => a.probability)).toEqual([expect.closeTo(0.986822, 6), expect.closeTo(0.006649, 6), expect.closeTo(0.006529, 6)]);
    expect(s.arms.map((a) => a.samples)).toEqual([6, 6, 4]);
  });

  it('DUMP: μ averages only the last `window` samples; n_j counts all of them', () => {
    const c = createCurriculum({ kind: 'dump', window: 4 }, ARMS);
    c.update(step1);
    c.update([
      { arm: 'A', reward: 1, advantage: 0.4 },
      { arm: 'A', reward: 0, advantage: -0.4 },
    ]);
    // A's window holds its last 4 samples, |Â| = (0.8, 0.8, 0.4, 0.4): μ_A = 0.6 (not 4.0/6).
    const a = c.state().arms[0];
    expect(a.meanAbsAdvantage).toBeCloseTo(0.6, 12);
    expect(a.accuracy).toBeCloseTo(0.5, 12);
    expect(a.samples).toBe(6);
    // N = 14, n_A = 6: UCB_A = 0.6 + sqrt(2 ln 15 / 7) = 0.6 + sqrt(2 · 2.7080502011 / 7) = 0.6 + 0.8796184.
    expect(a.score).toBeCloseTo(0.6 + 0.8796184, 6);
  });

  it('SEC (α = 0.1, τ = 1): first two steps', () => {
    const c = createCurriculum({ kind: 'sec' }, ARMS);
    // Before any step Q = (0, 0, 0): uniform.
    expect(c.state().arms.map((a) => a.probability)).toEqual([1 / 3, 1 / 3, 1 / 3]);

    // Step 1: A drawn, Â = +0.8, −0.8, +0.8, −0.8 → r_A = mean |A| = 0.8; B drawn, Â = 0 → r_B = 0;
    // C not drawn → r_C = 0.
    c.update(banditSamples(['A', 'B'], 4));
    //   Q = 0.9 · 0 + 0.1 · (0.8, 0, 0) = (0.08, 0, 0)
    //   e^Q = (1.0832870677, 1, 1), sum 3.0832870677
    //   p = (0.351342, 0.324329, 0.324329)
    let s = c.state();
    expect(s.arms.map((a) => a.score)).toEqual([expect.closeTo(0.08, 12), 0, 0]);
    expect(s.arms.map((a) => a.probability)).toEqual([expect.closeTo(0.351342, 6), expect.closeTo(0.324329, 6), expect.closeTo(0.324329, 6)]);

    // Step 2: A drawn, Â = +0.5, −0.5 → r_A = 0.5; C drawn, Â = +0.3, −0.1 → r_C = (0.3 + 0.1) / 2 = 0.2;
    // B not drawn → r_B = 0.
    c.update([
      { arm: 'A', reward: 1, advantage: 0.5 },
      { arm: 'A', reward: 0, advantage: -0.5 },
      { arm: 'C', reward: 1, advantage: 0.3 },
      { arm: 'C', reward: 0, advantage: -0.1 },
    ]);
    //   Q_A = 0.9 · 0.08 + 0.1 · 0.5 = 0.072 + 0.05 = 0.122
    //   Q_B = 0.9 · 0    + 0.1 · 0   = 0
    //   Q_C = 0.9 · 0    + 0.1 · 0.2 = 0.02
    //   e^Q = (1.1297541018, 1, 1.0202013400), sum 3.1499554418
    //   p = (0.358657, 0.317465, 0.323878)
    s = c.state();
    expect(s.arms.map((a) => a.score)).toEqual([expect.closeTo(0.122, 12), 0, expect.closeTo(0.02, 12)]);
    expect(s.arms.map((a) => a.probability)).toEqual([expect.closeTo(0.358657, 6), expect.closeTo(0.317465, 6), expect.closeTo(0.323878, 6)]);
  });

  it('SEC: an arm that stops being drawn decays towards 0 (r = 0 for undrawn arms)', () => {
    const c = createCurriculum({ kind: 'sec', alpha: 0.5 }, ARMS);
    c.update(banditSamples(['A'], 2)); // Q_A = 0.5 · 0.8 = 0.4
    c.update([]); // Q_A = 0.5 · 0.4 = 0.2
    c.update([]); // 0.1
    expect(c.state().arms[0].score).toBeCloseTo(0.1, 12);
  });

  it('SEC with update "drawn": an arm not drawn keeps its Q; drawn arms follow the same TD(0) rule', () => {
    const all = createCurriculum({ kind: 'sec', alpha: 0.5 }, ARMS);
    const drawn = createCurriculum({ kind: 'sec', alpha: 0.5, update: 'drawn' }, ARMS);
    for (const c of [all, drawn]) {
      c.update(banditSamples(['A'], 2)); // Q_A = 0.5 · 0.8 = 0.4 under both rules
      c.update([
        { arm: 'B', reward: 1, advantage: 0.8 },
        { arm: 'B', reward: 0, advantage: -0.8 },
      ]); // Q_B = 0.4; Q_A: 'all' 0.2, 'drawn' stays 0.4
    }
    expect(all.state().arms.map((a) => a.score)).toEqual([expect.closeTo(0.2, 12), expect.closeTo(0.4, 12), 0]);
    expect(drawn.state().arms.map((a) => a.score)).toEqual([expect.closeTo(0.4, 12), expect.closeTo(0.4, 12), 0]);
    drawn.update([]);
    expect(drawn.state().arms.map((a) => a.score)).toEqual([expect.closeTo(0.4, 12), expect.closeTo(0.4, 12), 0]);
  });

  it('SEC refuses an unknown update rule by name', () => {
    expect(() => createCurriculum({ kind: 'sec', update: 'some' as 'all' }, ARMS)).toThrow(/update must be one of all, drawn/);
  });

  it('SEC uses the token-mean |A| when the trainer provides it', () => {
    const c = createCurriculum({ kind: 'sec' }, ARMS);
    // A sample whose tokens carry +1 and −1: token-mean A = 0 but token-mean |A| = 1.
    c.update([{ arm: 'A', reward: 1, advantage: 0, absAdvantage: 1 }]);
    expect(c.state().arms[0].score).toBeCloseTo(0.1, 12);
  });
});

describe('schedules', () => {
  /** The arm of every prompt of steps 0 … steps−1 (B prompts a step), and the probabilities. */
  function sequence(c: Curriculum, steps: number, B = 3): { arms: string[][]; p: number[][] } {
    const rng = createRng(3);
    const arms: string[][] = [];
    const p: number[][] = [];
    for (let t = 0; t < steps; t++) {
      p.push(c.state().arms.map((a) => a.probability));
      const chosen = c.chooseArms(B, rng);
      arms.push(chosen);
      c.update(chosen.map((arm) => ({ arm, reward: 1, advantage: 0 })));
    }
    return { arms, p };
  }
  const stepArm = (arms: string[][]) =>
    arms.map((step) => {
      expect(new Set(step).size).toBe(1); // one arm per step
      return step[0];
    });

  it('fixed order: the given order, stepsPerArm each, then the last arm stays', () => {
    const c = createCurriculum({ kind: 'fixed-order', stepsPerArm: 2 }, ['x', 'y', 'z']);
    expect(stepArm(sequence(c, 8).arms)).toEqual(['x', 'x', 'y', 'y', 'z', 'z', 'z', 'z']);
  });

  it('easy → hard: sorted by level, probability sliding between neighbours', () => {
    const arms = [
      { id: 'hard', level: 3 },
      { id: 'easy', level: 1 },
      { id: 'mid', level: 2 },
    ];
    const c = createCurriculum({ kind: 'easy-to-hard', totalSteps: 4 }, arms);
    const { arms: chosen, p } = sequence(c, 6, 16);
    // p in the given order (hard, easy, mid).
    expect(p).toEqual([
      [0, 1, 0],
      [0, 0.5, 0.5],
      [0, 0, 1],
      [0.5, 0, 0.5],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    expect(new Set(chosen[0])).toEqual(new Set(['easy']));
    expect(new Set(chosen[1])).toEqual(new Set(['easy', 'mid'])); // 16 draws at ½: both appear
    expect(new Set(chosen[2])).toEqual(new Set(['mid']));
    expect(new Set(chosen[3])).toEqual(new Set(['mid', 'hard']));
    expect(new Set(chosen[4])).toEqual(new Set(['hard']));
  });

  it('cyclical: easy → hard passes, repeated every period', () => {
    const arms = [
      { id: 'b', level: 2 },
      { id: 'a', level: 1 },
      { id: 'c', level: 3 },
    ];
    const six = createCurriculum({ kind: 'cyclical', period: 6 }, arms);
    expect(stepArm(sequence(six, 13).arms).join('')).toBe('aabbccaabbcca');
    // period 4 over 3 arms: floor((t mod 4) · 3 / 4) = 0, 0, 1, 2.
    const four = createCurriculum({ kind: 'cyclical', period: 4 }, arms);
    expect(stepArm(sequence(four, 8).arms).join('')).toBe('aabcaabc');
  });

  it('mixture: probabilities ∝ weights, arms without a weight never drawn', () => {
    const c = createCurriculum({ kind: 'mixture', weights: { A: 3, B: 1 } }, ARMS);
    const s = c.state();
    expect(s.arms.map((a) => a.probability)).toEqual([0.75, 0.25, 0]);
    expect(s.arms.map((a) => a.score)).toEqual([3, 1, 0]);
    const drawn = c.chooseArms(400, createRng(1));
    expect(drawn).not.toContain('C');
    const fracA = drawn.filter((a) => a === 'A').length / drawn.length;
    expect(fracA).toBeGreaterThan(0.68);
    expect(fracA).toBeLessThan(0.82);
  });

  it('chooseArms between updates does not advance a schedule (over-sampling rounds)', () => {
    const c = createCurriculum({ kind: 'fixed-order', stepsPerArm: 1 }, ARMS);
    const rng = createRng(1);
    c.chooseArms(2, rng);
    c.chooseArms(2, rng);
    expect(c.chooseArms(2, rng)).toEqual(['A', 'A']);
    c.update([]);
    expect(c.chooseArms(2, rng)).toEqual(['B', 'B']);
    expect(c.state().arms.map((a) => a.chosen)).toEqual([6, 2, 0]);
  });
});

describe('determinism', () => {
  const configs: CurriculumConfig[] = [
    { kind: 'uniform' },
    { kind: 'mixture', weights: { A: 1, B: 2, C: 3 } },
    { kind: 'fixed-order', stepsPerArm: 3 },
    { kind: 'easy-to-hard', totalSteps: 7 },
    { kind: 'cyclical', period: 5 },
    { kind: 'dump' },
    { kind: 'sec' },
    { kind: 'alp' },
  ];

  it('covers every kind', () => {
    expect(configs.map((c) => c.kind).sort()).toEqual([...CURRICULUM_KINDS].sort());
  });

  for (const config of configs) {
    it(`${config.kind}: the same seed gives the same arms and state`, () => {
      const a = createCurriculum(config, ARMS);
      const b = createCurriculum(config, ARMS);
      expect(simulate(a, 20, createRng(42))).toEqual(simulate(b, 20, createRng(42)));
      expect(a.state()).toEqual(b.state());
    });
  }

  it('a different seed gives a different draw (stochastic curricula)', () => {
    const a = simulate(createCurriculum({ kind: 'sec' }, ARMS), 10, createRng(1));
    const b = simulate(createCurriculum({ kind: 'sec' }, ARMS), 10, createRng(2));
    expect(a).not.toEqual(b);
  });

  it('uniform draws exactly what the trainer default (uniformArms) draws', () => {
    const c = createCurriculum({ kind: 'uniform' }, ARMS);
    expect(c.chooseArms(50, createRng(9))).toEqual(uniformArms(ARMS).chooseArms(50, createRng(9)));
  });
});

describe('createCurriculum', () => {
  it('is what the trainer takes (an ArmSampler), built from a task\'s arms', () => {
    const arms = [
      { id: 'd1', label: '1 digit', level: 1 },
      { id: 'd2', label: '2 digits', level: 2 },
    ];
    const sampler: ArmSampler = createCurriculum({ kind: 'sec' }, arms);
    expect(sampler.chooseArms(4, createRng(1)).every((a) => a === 'd1' || a === 'd2')).toBe(true);
    sampler.update?.([{ arm: 'd1', reward: 1, advantage: 0.5 }]);
  });

  it('fills the defaults', () => {
    expect(createCurriculum({ kind: 'dump' }, ARMS).state().window).toBe(300);
    const sec = createCurriculum({ kind: 'sec' }, ARMS) as Curriculum & { alpha: number; tau: number };
    expect([sec.alpha, sec.tau]).toEqual([0.1, 1]);
  });

  it('levels default to list position; names and labels are reported', () => {
    const s = createCurriculum({ kind: 'uniform' }, ARMS).state();
    expect(s.arms.map((a) => a.level)).toEqual([1, 2, 3]);
    expect(s.kind).toBe('uniform');
    expect(s.name).toBe('Uniform');
    expect(s.scoreLabel).toBeNull();
    expect(s.arms[0]).toMatchObject({ score: null, meanAbsAdvantage: null, accuracy: null, samples: 0, chosen: 0 });
  });

  it('rejects bad arms and out-of-range parameters with a message naming them', () => {
    expect(() => createCurriculum({ kind: 'uniform' }, [])).toThrow(/no arms/);
    expect(() => createCurriculum({ kind: 'uniform' }, ['A', 'A'])).toThrow(/twice/);
    expect(() => createCurriculum({ kind: 'dump', temperature: 0 }, ARMS)).toThrow(/temperature/);
    expect(() => createCurriculum({ kind: 'dump', window: 2.5 }, ARMS)).toThrow(/window/);
    expect(() => createCurriculum({ kind: 'sec', alpha: 1.5 }, ARMS)).toThrow(/alpha/);
    expect(() => createCurriculum({ kind: 'sec', tau: -1 }, ARMS)).toThrow(/tau/);
    expect(() => createCurriculum({ kind: 'fixed-order', stepsPerArm: 0 }, ARMS)).toThrow(/stepsPerArm/);
    expect(() => createCurriculum({ kind: 'cyclical', period: NaN }, ARMS)).toThrow(/period/);
    expect(() => createCurriculum({ kind: 'alp', epsilon: 2 }, ARMS)).toThrow(/epsilon/);
    expect(() => createCurriculum({ kind: 'mixture', weights: { Z: 1 } }, ARMS)).toThrow(/unknown arm "Z"/);
    expect(() => createCurriculum({ kind: 'mixture', weights: { A: 0 } }, ARMS)).toThrow(/positive/);
    expect(() => createCurriculum({ kind: 'mixture', weights: { A: -1 } }, ARMS)).toThrow(/weight of A/);
    expect(() => createCurriculum({ kind: 'nope' } as unknown as CurriculumConfig, ARMS)).toThrow(/unknown kind/);
  });

  it('ignores samples of arms it does not know and non-finite values', () => {
    const c = createCurriculum({ kind: 'dump' }, ARMS);
    c.update([
      { arm: 'custom', reward: 1, advantage: 1 },
      { arm: 'A', reward: NaN, advantage: 1 },
      { arm: 'A', reward: 1, advantage: 0.5 },
    ]);
    const s = c.state();
    expect(s.arms.map((a) => a.samples)).toEqual([1, 0, 0]);
    for (const a of s.arms) expect(Number.isFinite(a.probability)).toBe(true);
  });
});
