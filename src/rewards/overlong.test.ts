import { describe, expect, it } from 'vitest';
import { dapoOverlongPenalty, defaultOverlongParams, overlongParamsProblem } from './overlong';

describe('dapoOverlongPenalty', () => {
  const params = { maxLength: 20, cacheLength: 4 }; // ramp over (16, 20]

  it('is 0 up to and including L_max − L_cache', () => {
    expect(dapoOverlongPenalty(0, params)).toBe(0);
    expect(dapoOverlongPenalty(15, params)).toBe(0);
    expect(dapoOverlongPenalty(16, params)).toBe(0);
  });

  it('falls linearly to −1 at L_max', () => {
    expect(dapoOverlongPenalty(17, params)).toBeCloseTo(-0.25, 12);
    expect(dapoOverlongPenalty(18, params)).toBeCloseTo(-0.5, 12);
    expect(dapoOverlongPenalty(19, params)).toBeCloseTo(-0.75, 12);
    expect(dapoOverlongPenalty(20, params)).toBe(-1);
    expect(dapoOverlongPenalty(16.5, params)).toBeCloseTo(-0.125, 12);
  });

  it('is −1 beyond L_max', () => {
    expect(dapoOverlongPenalty(21, params)).toBe(-1);
    expect(dapoOverlongPenalty(1e6, params)).toBe(-1);
  });

  it('with L_cache = 0 is a hard cut at L_max', () => {
    const hard = { maxLength: 10, cacheLength: 0 };
    expect(dapoOverlongPenalty(10, hard)).toBe(0);
    expect(dapoOverlongPenalty(11, hard)).toBe(-1);
  });

  it('with L_cache = L_max ramps from the first token', () => {
    const full = { maxLength: 4, cacheLength: 4 };
    expect(dapoOverlongPenalty(0, full)).toBe(0);
    expect(dapoOverlongPenalty(1, full)).toBe(-0.25);
    expect(dapoOverlongPenalty(4, full)).toBe(-1);
  });

  it('rejects unusable parameters with a reason', () => {
    expect(overlongParamsProblem({ maxLength: 0, cacheLength: 0 })).toMatch(/maxLength/);
    expect(overlongParamsProblem({ maxLength: 10, cacheLength: -1 })).toMatch(/cacheLength/);
    expect(overlongParamsProblem({ maxLength: 10, cacheLength: 11 })).toMatch(/must not exceed/);
    expect(overlongParamsProblem({ maxLength: 10, cacheLength: Number.NaN })).toMatch(/cacheLength/);
    expect(() => dapoOverlongPenalty(3, { maxLength: 10, cacheLength: 11 })).toThrow(/must not exceed/);
    expect(overlongParamsProblem(params)).toBeNull();
  });

  it('defaults to L_cache = L_max / 4', () => {
    expect(defaultOverlongParams(20)).toEqual({ maxLength: 20, cacheLength: 5 });
    expect(defaultOverlongParams(1)).toEqual({ maxLength: 1, cacheLength: 1 });
  });
});
