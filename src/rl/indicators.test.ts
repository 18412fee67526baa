import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { setBackend, tensor } from '../engine';
import { isPositive, signOf } from './indicators';
import { values } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

describe('sign indicators without a compare op', () => {
  it('are exact from the largest f32 down to the smallest subnormal, and 0 at 0', async () => {
    // 1e-45 rounds to the smallest f32 subnormal 2^-149: it needs both 2^126 lifts to reach 1.
    const x = tensor([-3e38, -5, -1e-30, -1e-45, 0, 1e-45, 1e-38, 0.3, 3e38]);
    expect(await values(signOf(x))).toEqual([-1, -1, -1, -1, 0, 1, 1, 1, 1]);
    expect(await values(isPositive(x))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });
});
