import { describe, expect, it } from 'vitest';
import { klEstimatorWarning } from './klEstimatorNote';

describe('klEstimatorWarning', () => {
  it('warns only for k1 in the loss with β > 0', () => {
    expect(klEstimatorWarning({ klCoef: 0.1, klEstimator: 'k1', klInReward: false })).toMatch(/zero expected gradient/);
    expect(klEstimatorWarning({ klCoef: 0, klEstimator: 'k1', klInReward: false })).toBeNull();
    expect(klEstimatorWarning({ klCoef: 0.1, klEstimator: 'k1', klInReward: true })).toBeNull();
    expect(klEstimatorWarning({ klCoef: 0.1, klEstimator: 'k2', klInReward: false })).toBeNull();
    expect(klEstimatorWarning({ klCoef: 0.1, klEstimator: 'k3', klInReward: false })).toBeNull();
  });
});
