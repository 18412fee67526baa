// Online difficulty filtering: inclusive (PRIME) against strict (OpenRLHF) at the band edges, DAPO's
// spread criterion, frac_filtered, and the over-sampling policy never passing its budget.
import { describe, expect, it } from 'vitest';
import { createRng } from '../tasks/random';
import {
  budgetLimit,
  filterGroups,
  fromKeep,
  groupAccuracies,
  groupsWithSpread,
  inBand,
  OversamplingPlanner,
  promptsToDraw,
  type AccuracyBand,
} from './filtering';

describe('difficulty band', () => {
  // G = 4: the possible accuracies are 0, ¼, ½, ¾, 1 — two of them exactly on the band's edges.
  const rewards = [0, 0, 0, 0, /**/ 1, 0, 0, 0, /**/ 1, 0, 1, 0, /**/ 1, 1, 0, 1, /**/ 1, 1, 1, 1];
  const p = groupAccuracies(rewards, 4);

  it('group accuracies', () => {
    expect(p).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('inclusive keeps the edges, strict drops them', () => {
    const inclusive = filterGroups(p, { lo: 0.25, hi: 0.75, mode: 'inclusive' });
    expect(inclusive.keep).toEqual([false, true, true, true, false]);
    expect(inclusive.kept).toEqual([1, 2, 3]);
    expect(inclusive.fracFiltered).toBeCloseTo(0.4, 12);

    const strict = filterGroups(p, { lo: 0.25, hi: 0.75, mode: 'strict' });
    expect(strict.keep).toEqual([false, false, true, false, false]);
    expect(strict.kept).toEqual([2]);
    expect(strict.fracFiltered).toBeCloseTo(0.8, 12);
  });

  it('[0, 1] inclusive keeps everything; strict keeps exactly the groups with mixed outcomes', () => {
    expect(filterGroups(p, { lo: 0, hi: 1, mode: 'inclusive' }).fracFiltered).toBe(0);
    expect(filterGroups(p, { lo: 0, hi: 1, mode: 'strict' }).keep).toEqual(groupsWithSpread(rewards, 4));
  });

  it('an accuracy a rounding error away from an edge counts as on it', () => {
    const band: AccuracyBand = { lo: 0.3, hi: 0.7, mode: 'inclusive' };
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(inBand(0.1 + 0.2, band)).toBe(true);
    expect(inBand(0.1 + 0.2, { ...band, mode: 'strict' })).toBe(false);
    expect(inBand(0.3 - 1e-6, band)).toBe(false);
    expect(inBand(NaN, band)).toBe(false);
  });

  it('rejects a malformed band or grouping', () => {
    expect(() => filterGroups(p, { lo: 0.8, hi: 0.2, mode: 'inclusive' })).toThrow(/lo ≤ hi/);
    expect(() => filterGroups(p, { lo: -0.1, hi: 0.5, mode: 'inclusive' })).toThrow();
    expect(() => filterGroups(p, { lo: 0.2, hi: 0.8, mode: 'open' as 'strict' })).toThrow(/mode/);
    expect(() => groupAccuracies([1, 0, 1], 2)).toThrow(/groups of 2/);
  });

  it('DAPO: groups whose rewards are not all equal', () => {
    expect(groupsWithSpread([1, 1, 0.5, 0.5, 0, 1], 2)).toEqual([false, false, true]);
    expect(fromKeep([false, false, true]).fracFiltered).toBeCloseTo(2 / 3, 12);
    expect(fromKeep([]).fracFiltered).toBe(0);
  });
});

describe('over-sampling policy', () => {
  it('draws enough to fill the batch at the expected keep rate, capped by budget × B', () => {
    const base = { target: 8, kept: 0, generated: 0, budget: 3 };
    expect(promptsToDraw({ ...base, keepRate: 1 })).toBe(8);
    expect(promptsToDraw({ ...base, keepRate: 0.5 })).toBe(16);
    expect(promptsToDraw({ ...base, keepRate: 0.8 })).toBe(10); // 8 / 0.8 = 10, not 11 from rounding
    expect(promptsToDraw({ ...base, keepRate: 0.25 })).toBe(24); // wants 32, the budget allows 24
    expect(promptsToDraw({ ...base, keepRate: 0 })).toBe(24);
    expect(promptsToDraw({ ...base, kept: 5, generated: 10, keepRate: 0.5 })).toBe(6);
    expect(promptsToDraw({ ...base, kept: 5, generated: 20, keepRate: 0.25 })).toBe(4); // 12 wanted, 4 left
    expect(promptsToDraw({ ...base, kept: 2, generated: 24, keepRate: 0.1 })).toBe(0); // budget spent
    expect(promptsToDraw({ ...base, kept: 8, generated: 8, keepRate: 1 })).toBe(0); // full
    expect(promptsToDraw({ ...base, budget: 1, keepRate: 0.5 })).toBe(8); // budget 1: no over-sampling
    expect(budgetLimit(8, 1.5)).toBe(12);
  });

  it('planner: rounds until full or out of budget, with frac_filtered and a keep rate carried over', () => {
    const planner = new OversamplingPlanner({ budget: 2, maxRounds: 5 });
    // A filter that keeps every 4th group.
    planner.begin(8);
    expect(planner.next()).toBe(8); // no history: keep rate 1
    planner.record(2, 8);
    expect(planner.next()).toBe(8); // 6 / 0.25 = 24 wanted, 16 − 8 = 8 left
    planner.record(2, 8);
    expect(planner.next()).toBe(0); // 16 = 2 × 8 generated: stop
    expect(planner.end()).toEqual({
      frac_filtered: 0.75,
      kept_groups: 4,
      passed_groups: 4,
      generated_groups: 16,
      rounds: 2,
      budget_exhausted: true,
    });
    // Keep rate for the next step: 0.5 · 1 + 0.5 · 0.25 = 0.625 → first round ceil(8 / 0.625) = ceil(12.8) = 13.
    expect(planner.keepRate).toBeCloseTo(0.625, 12);
    planner.begin(8);
    expect(planner.next()).toBe(13);
    planner.record(9, 13);
    expect(planner.next()).toBe(0);
    expect(planner.end()).toMatchObject({ kept_groups: 8, passed_groups: 9, budget_exhausted: false, rounds: 1 });
  });

  it('planner: maxRounds stops early', () => {
    const planner = new OversamplingPlanner({ budget: 16, maxRounds: 2 });
    planner.begin(4);
    planner.record(0, planner.next());
    planner.record(0, planner.next());
    expect(planner.next()).toBe(0);
    expect(planner.end().rounds).toBe(2);
  });

  it('never generates more than budget × B, whatever the keep pattern', () => {
    const rng = createRng(5);
    for (const budget of [1, 1.5, 2, 3, 8]) {
      const planner = new OversamplingPlanner({ budget, maxRounds: 16 });
      for (let step = 0; step < 30; step++) {
        const B = rng.nextInt(1, 32);
        const keepProb = rng.nextFloat();
        planner.begin(B);
        let generated = 0;
        for (let n = planner.next(); n > 0; n = planner.next()) {
          let passed = 0;
          for (let i = 0; i < n; i++) if (rng.nextFloat() < keepProb) passed++;
          planner.record(passed, n);
          generated += n;
        }
        const m = planner.end();
        expect(generated).toBe(m.generated_groups);
        expect(generated).toBeLessThanOrEqual(Math.max(B, Math.floor(budget * B)));
        expect(generated).toBeGreaterThanOrEqual(B);
        expect(m.kept_groups).toBeLessThanOrEqual(B);
        expect(m.budget_exhausted).toBe(m.passed_groups < B);
      }
    }
  });

  it('rejects settings outside their ranges', () => {
    expect(() => new OversamplingPlanner({ budget: 0.5 })).toThrow(/budget/);
    expect(() => new OversamplingPlanner({ maxRounds: 0 })).toThrow(/maxRounds/);
    expect(() => new OversamplingPlanner().begin(0)).toThrow(/target/);
  });
});
