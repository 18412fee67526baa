import { describe, expect, it } from 'vitest';
import { CpuBackend } from './cpuBackend';
import { expectClose, readF32 } from './testUtil';

const f = Math.fround;

describe('cpu groupAdvantages (TRL GRPO)', () => {
  const b = new CpuBackend();
  const eps = 1e-4;

  it("'group': (r - mean) / (Bessel std + eps)", async () => {
    // Group [1,0,1,0]: mean 0.5, Bessel std sqrt(1/3).
    const s = Math.sqrt(1 / 3) + eps;
    const out = await readF32(b, b.groupAdvantages(b.upload(Float32Array.of(1, 0, 1, 0)), 1, 4, 'group', eps));
    expectClose(out, [0.5 / s, -0.5 / s, 0.5 / s, -0.5 / s].map(f), 1e-6, 0);
  });

  it('a zero-variance group gives exactly 0 under every scale', async () => {
    const r = b.upload(Float32Array.of(1, 1, 1, 0, 0, 0));
    for (const scale of ['group', 'batch', 'none'] as const) {
      const out = await readF32(b, b.groupAdvantages(r, 2, 3, scale, eps));
      expect(out, scale).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  it('G = 1: std 0 and mean = r, so every advantage is 0, never NaN', async () => {
    const r = b.upload(Float32Array.of(3, -1, 0.5));
    for (const scale of ['group', 'batch', 'none'] as const) {
      expect(await readF32(b, b.groupAdvantages(r, 3, 1, scale, eps)), scale).toEqual([0, 0, 0]);
    }
  });

  it("'batch': group mean, std of the whole batch (Bessel)", async () => {
    // Groups [1,0] and [1,1]: group means 0.5 and 1; batch mean 0.75, Bessel var (3*0.0625 + 0.5625)/3 = 0.25.
    const out = await readF32(b, b.groupAdvantages(b.upload(Float32Array.of(1, 0, 1, 1)), 2, 2, 'batch', eps));
    expectClose(out, [0.5 / (0.5 + eps), -0.5 / (0.5 + eps), 0, 0].map(f), 1e-6, 0);
  });

  it("'none': r - group mean (Dr. GRPO)", async () => {
    const out = await readF32(b, b.groupAdvantages(b.upload(Float32Array.of(2, 0, 1, 5, 3, 1)), 2, 3, 'none', eps));
    expect(out).toEqual([1, -1, 0, 2, 0, -2]);
  });

  it("'group' with two groups of 3 uses each group's own statistics", async () => {
    // [0,1,2]: mean 1, std 1. [0,0,3]: mean 1, std sqrt(3).
    const out = await readF32(b, b.groupAdvantages(b.upload(Float32Array.of(0, 1, 2, 0, 0, 3)), 2, 3, 'group', eps));
    const s2 = Math.sqrt(3) + eps;
    expectClose(out, [-1 / (1 + eps), 0, 1 / (1 + eps), -1 / s2, -1 / s2, 2 / s2].map(f), 1e-6, 0);
  });
});
