// WebGPU fused logProbEntropy / logProbEntropyGrad (the RL hot path) against the CPU oracle.
//
// Tolerances: rtol 1e-4, with absolute floors where f32 cannot give relative accuracy:
// - logp and entropy, atol 1e-6: both contain log(s) with s = sum exp(z - max) >= 1; for a dominant
//   token s ≈ 1 and the result ≈ 0 (logp → 0⁻, entropy → 0⁺), so the f32 rounding of s (≈ 1.2e-7
//   relative, i.e. ≈ 1.2e-7 absolute in log s) is the whole error, however small the result;
// - dlogits, atol 1e-6 × the row's term scale invT·(|dlogp| + |dentropy|·(1 + H)): dlogp·(1 - p) and
//   p·(log p + H) cancel for p → 1 and log p → -H, leaving a few ulp of the terms (≈ 1.2e-7 each) however
//   small the difference (the oracle works in f64). p·|log p| <= 1/e < 1, hence the bound on the terms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebGpuBackend } from '../webgpuBackend';
import { expectAllClose, randomF32, randomI32, runBoth, seededRandom } from './kernelTestUtil';
import { LOGPROB_THREAD_PER_ROW_MAX_VOCAB as NARROW } from './logProbEntropy';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

async function check(label: string, rows: number, vocab: number, logits: Float32Array, targets: Int32Array, invT: number, seed: number) {
  const name = `${label} [${rows}x${vocab}] invT ${invT}`;
  const fwd = await runBoth(gpu, (b, up) => {
    const r = b.logProbEntropy(up(logits), up(targets), rows, vocab, invT);
    return [r.logp, r.entropy];
  });
  expectAllClose(`${name} logp`, fwd.gpu[0], fwd.cpu[0], { atol: 1e-6 });
  expectAllClose(`${name} entropy`, fwd.gpu[1], fwd.cpu[1], { atol: 1e-6 });
  const dlogp = randomF32(rows, seed + 5, -2, 2);
  const dentropy = randomF32(rows, seed + 6, -1, 1);
  for (const withEntropy of [false, true]) {
    const bwd = await runBoth(gpu, (b, up) => [
      b.logProbEntropyGrad(up(logits), up(targets), up(dlogp), withEntropy ? up(dentropy) : null, rows, vocab, invT),
    ]);
    const H = fwd.cpu[1];
    const atol = (i: number) => {
      const r = Math.floor(i / vocab);
      return 1e-6 * invT * (Math.abs(dlogp[r]) + (withEntropy ? Math.abs(dentropy[r]) * (1 + H[r]) : 0));
    };
    expectAllClose(`${name} dlogits${withEntropy ? ' (+dentropy)' : ''}`, bwd.gpu[0], bwd.cpu[0], { atol });
  }
  return fwd;
}

// Vocabularies up to NARROW take the thread-per-row kernels, wider ones the workgroup-per-row kernels:
// every case below runs on both sides of that line.
describe('logProbEntropy (webgpu vs cpu)', () => {
  const shapes: [number, number][] = [
    [1, 1],
    [1, 3],
    [3, 17],
    [17, 65],
    [130, 3],
    [1920, 60], // the training shape (128 sequences × 15 tokens)
    [33, NARROW],
    [33, NARROW + 1],
    [65, 130],
    [5, 4096],
  ];
  shapes.forEach(([rows, vocab], i) => {
    for (const invT of [1, 1 / 0.7]) {
      it(`${rows}x${vocab}, invT ${invT.toFixed(3)}, some rows ignored`, async () => {
        const seed = 100 * i + (invT === 1 ? 1 : 2);
        const targets = randomI32(rows, seed, -1, vocab); // about 1 in vocab+1 ignored (-1)
        if (rows > 2) targets[1] = -1;
        await check('random', rows, vocab, randomF32(rows * vocab, seed + 1, -6, 6), targets, invT, seed);
      });
    }
  });

  for (const vocab of [17, NARROW + 72]) {
    it(`a zero-probability target, an all -Infinity row, an ignored row (vocab ${vocab})`, async () => {
      const rows = 4;
      const logits = randomF32(rows * vocab, 3, -3, 3);
      const targets = Int32Array.from([5, 0, -1, vocab - 1]);
      logits[5] = -Infinity; // row 0: the target has probability exactly 0
      logits[vocab + 3] = -Infinity; // row 1: a -Infinity logit elsewhere
      logits.fill(-Infinity, 3 * vocab, 4 * vocab); // row 3: no distribution at all
      const fwd = await check('zero-prob', rows, vocab, logits, targets, 1, 3);
      expect(Array.from(fwd.gpu[0]).map((v) => (Number.isFinite(v) ? 'finite' : v))).toEqual([-Infinity, 'finite', 'finite', -Infinity]);
      expect(fwd.gpu[0][2]).toBe(0); // ignored
      expect(fwd.gpu[1][2]).toBe(0);
      expect(fwd.gpu[1][3]).toBe(0);
    });

    it(`a target >= vocab is treated as ignored (vocab ${vocab})`, async () => {
      // The CPU oracle throws on such a target, so it gets the same rows marked -1 instead.
      const rows = 4;
      const logits = randomF32(rows * vocab, 4, -3, 3);
      const dlogp = randomF32(rows, 5, -2, 2);
      const dentropy = randomF32(rows, 6, -1, 1);
      const res = await runBoth(gpu, (b, up) => {
        const targets = b === gpu ? Int32Array.from([vocab, 2, vocab + 7, -3]) : Int32Array.from([-1, 2, -1, -3]);
        const r = b.logProbEntropy(up(logits), up(targets), rows, vocab, 1.5);
        return [r.logp, r.entropy, b.logProbEntropyGrad(up(logits), up(targets), up(dlogp), up(dentropy), rows, vocab, 1.5)];
      });
      expect(Array.from(res.gpu[0])).toEqual([0, expect.any(Number), 0, 0]);
      expect(Array.from(res.gpu[1])).toEqual([0, expect.any(Number), 0, 0]);
      expectAllClose('logp', res.gpu[0], res.cpu[0], { atol: 1e-6 });
      expectAllClose('entropy', res.gpu[1], res.cpu[1], { atol: 1e-6 });
      // Row 1's terms are at most invT·(|dlogp| + |dentropy|·(1 + H)) < 1.5·(2 + 1 + log vocab) < 15.
      expectAllClose('dlogits', res.gpu[2], res.cpu[2], { atol: 15e-6 });
      const dlogits = Array.from(res.gpu[2]);
      expect([...dlogits.slice(0, vocab), ...dlogits.slice(2 * vocab)].every((g) => g === 0)).toBe(true);
    });
  }

  it('logits of ±1e4 stay finite, including an entropy ≈ 0 and a tie', async () => {
    const rows = 6;
    const rnd = seededRandom(9);
    for (const vocab of [60, 130]) {
      const logits = new Float32Array(rows * vocab);
      for (let i = 0; i < logits.length; i++) logits[i] = rnd() < 0.5 ? 1e4 * rnd(-1, 1) : -1e4;
      logits[2 * vocab + 7] = 1e4; // row 2: one dominant token, entropy ≈ 0
      logits[4 * vocab + 1] = 1e4; // row 4: a two-way tie at the top, entropy ≈ log 2
      logits[4 * vocab + 2] = 1e4;
      const targets = randomI32(rows, 10, 0, vocab);
      targets[2] = 8; // a target far below the top: logp ≈ -2e4
      for (const invT of [1, 1 / 0.7]) {
        const fwd = await check('1e4', rows, vocab, logits, targets, invT, 11);
        expect(fwd.gpu[0].every(Number.isFinite)).toBe(true);
        expect(fwd.gpu[1][4]).toBeCloseTo(Math.log(2), 6);
      }
    }
  });

  // A thread per row: a 1-D grid here. The workgroup-per-row path's 2-D grid (rows > 65535) is not run:
  // 66000 workgroups of 256 threads take about 3 minutes on SwiftShader.
  it('more than 65535 rows', async () => {
    const rows = 70_000;
    const vocab = 3;
    await check('many rows', rows, vocab, randomF32(rows * vocab, 21, -4, 4), randomI32(rows, 22, -1, vocab), 1, 23);
  });
});
