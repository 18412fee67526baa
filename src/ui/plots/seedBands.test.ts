import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../state/runsStore';
import { smoothSeries, chartRows } from './chartData';
import { groupSeedSeries } from './seedBands';
import type { RunSeries } from './series';

const run = (id: string, groupId: string | null, seed: number, label = 'grpo'): RunRecord =>
  ({ id, label, color: '#abc', ...(groupId ? { replica: { groupId, seed, index: seed - 1, count: 3 } } : {}), config: { seed } }) as unknown as RunRecord;

const series = (runId: string, values: number[], label = 'grpo'): RunSeries => ({
  runId,
  runLabel: label,
  color: '#abc',
  line: 'reward',
  lineLabel: 'reward',
  dash: '',
  points: values.map((value, step) => ({ step, wall: step, value })),
});

const runs = [run('a1', 'g', 1), run('a2', 'g', 2), run('a3', 'g', 3), run('solo', null, 7, 'solo')];
const input = [series('a1', [0, 0.2, 0.4]), series('a2', [0.2, 0.4]), series('a3', [0.4, 0.6, 0.8]), series('solo', [1, 2], 'solo')];

describe('groupSeedSeries', () => {
  it('replaces a group by one mean line "label ×N seeds" with its t95 band, and leaves a single run untouched', () => {
    const out = groupSeedSeries(input, runs, { band: 't95', showSeeds: false });
    expect(out.map((s) => s.runLabel)).toEqual(['grpo ×3 seeds', 'solo']);
    expect(out[1]).toBe(input[3]);
    const mean = out[0];
    expect(mean.runId).toBe('g');
    expect(mean.members).toEqual(['a1', 'a2', 'a3']);
    // step 0: {0, 0.2, 0.4} mean 0.2, half 4.3027 · 0.2 / √3 = 0.49683; step 2: {0.4, 0.8} (seed 2 stopped) mean 0.6.
    expect(mean.points.map((p) => Number(p.value.toFixed(6)))).toEqual([0.2, 0.4, 0.6]);
    const band = mean.band!(0)!;
    expect(band.low[0]).toBeCloseTo(0.2 - 0.49683, 4);
    expect(band.high[0]).toBeCloseTo(0.2 + 0.49683, 4);
    // The chart draws it as a [low, high] column beside the mean's.
    const [smoothed] = smoothSeries([mean], 0);
    const rows = chartRows([smoothed], 'step', false);
    expect(rows[0][smoothed.bandKey]).toEqual([band.low[0], band.high[0]]);
  });

  it('min–max band, no band, and thin per-seed lines on request', () => {
    const minmax = groupSeedSeries(input, runs, { band: 'minmax', showSeeds: false })[0].band!(0)!;
    expect(minmax.low.map((v) => Number(v!.toFixed(6)))).toEqual([0, 0.2, 0.4]);
    expect(minmax.high.map((v) => Number(v!.toFixed(6)))).toEqual([0.4, 0.6, 0.8]);
    expect(groupSeedSeries(input, runs, { band: 'none', showSeeds: false })[0].band!(0)).toBeNull();
    const withSeeds = groupSeedSeries(input, runs, { band: 't95', showSeeds: true });
    expect(withSeeds.filter((s) => s.thin).map((s) => s.runLabel)).toEqual(['grpo seed 1', 'grpo seed 2', 'grpo seed 3']);
  });

  it('smooths each seed before taking the mean and band (the chart does not smooth the mean again)', () => {
    const mean = groupSeedSeries([series('a1', [0, 4]), series('a2', [4, 0])], runs, { band: 'minmax', showSeeds: false })[0];
    // w = 0.5: seed 1 → [0, 2.6667], seed 2 → [4, 1.3333]; the band at step 1 is their min–max.
    const band = mean.band!(0.5)!;
    expect(band.low[1]).toBeCloseTo(1.3333, 3);
    expect(band.high[1]).toBeCloseTo(2.6667, 3);
    const [smoothed] = smoothSeries([mean], 0.5);
    expect(smoothed.smoothed[1]).toBeCloseTo(2, 3);
    expect(smoothed.smoothed).toEqual(mean.presmoothed!(0.5));
  });
});
