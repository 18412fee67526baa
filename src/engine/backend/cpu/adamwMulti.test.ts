// The CPU backend's adamwMulti: the same numbers as adamw on each parameter, one counted launch.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from './cpuBackend';

describe('adamwMulti (CPU)', () => {
  it('equals adamw per parameter and counts as one launch', async () => {
    const a = new CpuBackend();
    const b = new CpuBackend();
    const sizes = [3, 1, 17, 0];
    const make = (k: CpuBackend) =>
      sizes.map((n, i) => ({
        param: k.upload(Float32Array.from({ length: n }, (_, j) => Math.sin(i + j))),
        grad: k.upload(Float32Array.from({ length: n }, (_, j) => Math.cos(2 * i + j))),
        m: k.zeros(n, 'f32'),
        v: k.zeros(n, 'f32'),
      }));
    const ga = make(a);
    const gb = make(b);
    const h = { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, step: 2 };
    a.resetCounters();
    a.adamwMulti(ga, h, a.upload(Float32Array.of(0.5)));
    expect(a.counters().dispatches).toBe(1);
    const scale = b.upload(Float32Array.of(0.5));
    for (const g of gb) b.adamw(g.param, g.grad, g.m, g.v, h, scale);
    const flat = (gs: typeof ga) => gs.flatMap((g) => [g.param, g.m, g.v]);
    expect((await a.readMany(flat(ga))).map((x) => Array.from(x))).toEqual((await b.readMany(flat(gb))).map((x) => Array.from(x)));
    expect(() => a.adamwMulti([{ ...ga[0], v: ga[0].m }], h, null)).toThrow(/distinct/);
  });
});
