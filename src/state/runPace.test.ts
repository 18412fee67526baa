import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../rl/metrics';
import { formatDuration, runPace } from './runPace';

const steps = (...times: number[]) => times.map((step_time, step) => ({ step, step_time }) as StepMetrics);

describe('runPace', () => {
  it('averages the recent step times; a multi-seed round costs the sum of its seeds', () => {
    expect(runPace([], 10)).toBeNull();
    expect(runPace([steps()], 10)).toBeNull();
    // One seed, 0.5 s a step, 4 of 10 done: 2 steps/s, 6 × 0.5 = 3 s left.
    expect(runPace([steps(0.5, 0.5, 0.5, 0.5)], 10)).toEqual({ stepsPerSecond: 2, secondsLeft: 3 });
    // Two seeds, 0.5 s and 1.5 s: 2 s a round; the slower seed's 3rd step has not come: 2 rounds done.
    expect(runPace([steps(0.5, 0.5, 0.5), steps(1.5, 1.5)], 5)).toEqual({ stepsPerSecond: 0.5, secondsLeft: 6 });
    // Only the last `window` steps: a slow first step (pipelines compiling) is left out.
    expect(runPace([steps(9, 1, 1)], 3, 2)).toEqual({ stepsPerSecond: 1, secondsLeft: 0 });
  });

  it('formats durations', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });
});
