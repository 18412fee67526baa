// WebGPU sampleTokens against the CPU oracle: both draw the same uniform from the same u32 hash, so the
// ids must agree exactly, on awkward shapes (vocab 1, 7, 60, 300 → one and several ids per thread) and
// with every filter. Exact agreement can only fail when u * total lands within float error (~1e-6
// relative) of a CDF boundary; with a few thousand draws here that has probability ~1e-3, and the
// seeds below are fixed, so a failure is reproducible and would be reported with its row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleParams } from '../../../backend';
import { WebGpuBackend } from '../webgpuBackend';
import { randomF32, runBoth, seededRandom } from './kernelTestUtil';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

const base: Omit<SampleParams, 'rows' | 'vocab'> = {
  invTemperature: 1, greedy: false, topK: 0, topP: 1, seed: 2024, step: 3, eosId: 2, padId: 0,
};

describe('sampleTokens on WebGPU', () => {
  it('matches the CPU oracle id for id, with filters, ties, -Infinity logits and finished rows', async () => {
    const settings: Partial<SampleParams>[] = [
      {},
      { invTemperature: 2.5 },
      { invTemperature: 0.4, topK: 5 },
      { topP: 0.8 },
      { topK: 4, topP: 0.6, seed: 7 },
      { greedy: true },
    ];
    for (const vocab of [1, 7, 60, 300]) {
      const rows = vocab === 300 ? 40 : 150;
      const rnd = seededRandom(vocab);
      const logits = randomF32(rows * vocab, vocab + 1, -3, 3);
      for (let i = 0; i < logits.length; i++) {
        const u = rnd();
        if (u < 0.05) logits[i] = -Infinity;
        else if (u < 0.15) logits[i] = Math.round(logits[i]); // ties
      }
      const finished = Int32Array.from({ length: rows }, () => (rnd() < 0.1 ? 1 : 0));
      for (const s of settings) {
        const p: SampleParams = { ...base, ...s, rows, vocab };
        const out = await runBoth(gpu, (b, up) => {
          const f = up(finished);
          const ids = b.sampleTokens(up(logits), f, p);
          return [ids, b.stridedCopy(f, 0, [1], [rows])]; // a copy: runBoth frees inputs and outputs
        });
        const label = `vocab ${vocab} ${JSON.stringify(s)}`;
        expect(Array.from(out.gpu[0]), `${label} ids`).toEqual(Array.from(out.cpu[0]));
        expect(Array.from(out.gpu[1]), `${label} finished`).toEqual(Array.from(out.cpu[1]));
      }
    }
  });
});
