import { describe, expect, it } from 'vitest';
import type { SoftmaxMask } from '../../backend';
import { CpuBackend } from './cpuBackend';
import { expectClose, finiteDifference, peek, randomArray, readF32, weightedSum } from './testUtil';

const f = Math.fround;

function refSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((p, v) => p + v, 0);
  return e.map((v) => v / s);
}

describe('cpu softmax forward', () => {
  const b = new CpuBackend();

  it('hand-computed rows, softmax and log-softmax, cols 1, 3 and 17', async () => {
    const x = b.upload(Float32Array.of(1, 2, 3, 0, 0, 0));
    const p = refSoftmax([1, 2, 3]);
    expectClose(await readF32(b, b.softmax(x, 2, 3, null, false)), [...p, 1 / 3, 1 / 3, 1 / 3].map(f), 1e-6, 0);
    expectClose(await readF32(b, b.softmax(x, 2, 3, null, true)), [...p.map(Math.log), -Math.log(3), -Math.log(3), -Math.log(3)], 1e-6, 0);
    expect(await readF32(b, b.softmax(b.upload(Float32Array.of(-7, 5)), 2, 1, null, false))).toEqual([1, 1]);
    const r17 = randomArray(17, 5, -3, 3);
    expectClose(await readF32(b, b.softmax(b.upload(r17), 1, 17, null, false)), refSoftmax(Array.from(r17)), 1e-6, 1e-7);
  });

  it('±1e4 logits stay finite and exact', async () => {
    const x = b.upload(Float32Array.of(1e4, -1e4, 1e4 - 1));
    const y = await readF32(b, b.softmax(x, 1, 3, null, false));
    const l = await readF32(b, b.softmax(x, 1, 3, null, true));
    const z = 1 + Math.exp(-1);
    expectClose(y, [1 / z, 0, Math.exp(-1) / z].map(f), 1e-6, 0);
    expectClose(l, [-Math.log(z), -2e4 - Math.log(z), -1 - Math.log(z)].map(f), 1e-6, 0);
    for (const v of [...y, ...l]) expect(Number.isFinite(v)).toBe(true);
  });

  it('causal mask with queryLen = cols (training)', async () => {
    const x = b.upload(new Float32Array(9)); // all-zero logits: uniform over the visible keys
    const mask: SoftmaxMask = { causal: true, queryLen: 3, keyMask: null, rowsPerBatch: 3 };
    expectClose(await readF32(b, b.softmax(x, 3, 3, mask, false)), [1, 0, 0, 0.5, 0.5, 0, 1 / 3, 1 / 3, 1 / 3].map(f), 1e-7, 0);
    const l = await readF32(b, b.softmax(x, 3, 3, mask, true));
    expectClose(l, [0, -Infinity, -Infinity, -Math.LN2, -Math.LN2, -Infinity, -Math.log(3), -Math.log(3), -Math.log(3)].map(f), 1e-7, 0);
  });

  it('causal rows wrap every queryLen rows (two sequences stacked)', async () => {
    const x = b.upload(new Float32Array(8));
    const mask: SoftmaxMask = { causal: true, queryLen: 2, keyMask: null, rowsPerBatch: 2 };
    expectClose(await readF32(b, b.softmax(x, 4, 2, mask, false)), [1, 0, 0.5, 0.5, 1, 0, 0.5, 0.5], 0, 0);
  });

  it('KV-cache: queryLen < cols sees the cached prefix', async () => {
    const x = b.upload(new Float32Array(8));
    // One new query over 4 keys: it is at absolute position 3 and sees all of them.
    const one: SoftmaxMask = { causal: true, queryLen: 1, keyMask: null, rowsPerBatch: 1 };
    expectClose(await readF32(b, b.softmax(x, 2, 4, one, false)), new Array(8).fill(0.25), 0, 0);
    // Two new queries over 4 keys: positions 2 and 3.
    const two: SoftmaxMask = { causal: true, queryLen: 2, keyMask: null, rowsPerBatch: 2 };
    expectClose(await readF32(b, b.softmax(x, 2, 4, two, false)), [1 / 3, 1 / 3, 1 / 3, 0, 0.25, 0.25, 0.25, 0.25].map(f), 0, 0);
  });

  it('keyMask selects its row by floor(r / rowsPerBatch)', async () => {
    const x = b.upload(Float32Array.of(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2));
    const keyMask = b.upload(Float32Array.of(1, 1, 0, 0, 1, 1)); // batch 0 hides key 2, batch 1 hides key 0
    const mask: SoftmaxMask = { causal: false, queryLen: 3, keyMask, rowsPerBatch: 2 };
    const p01 = refSoftmax([0, 1]);
    const p12 = refSoftmax([1, 2]);
    expectClose(await readF32(b, b.softmax(x, 4, 3, mask, false)), [...p01, 0, ...p01, 0, 0, ...p12, 0, ...p12].map(f), 1e-6, 0);
  });

  it('causal + left padding: a fully masked row is all 0 / all -Infinity, never NaN', async () => {
    const x = b.upload(randomArray(9, 3));
    // Sequence left-padded by one token: query 0 can only see key 0, which is padding.
    const keyMask = b.upload(Float32Array.of(0, 1, 1));
    const mask: SoftmaxMask = { causal: true, queryLen: 3, keyMask, rowsPerBatch: 3 };
    const y = await readF32(b, b.softmax(x, 3, 3, mask, false));
    const l = await readF32(b, b.softmax(x, 3, 3, mask, true));
    expect(y.slice(0, 3)).toEqual([0, 0, 0]);
    expect(l.slice(0, 3)).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(y.slice(3, 6)).toEqual([0, 1, 0]);
    expect(l.slice(3, 6)).toEqual([-Infinity, 0, -Infinity]);
    expect(y[6]).toBe(0);
    expectClose(y.slice(7), refSoftmax([peek(x)[7], peek(x)[8]]).map(f), 1e-6, 0);
    for (const v of [...y, ...l]) expect(v).not.toBeNaN();
  });

  it('a row whose visible logits are all -Infinity is treated as fully masked', async () => {
    const x = b.upload(Float32Array.of(-Infinity, -Infinity, 0, -Infinity));
    expect(await readF32(b, b.softmax(x, 2, 2, null, false))).toEqual([0, 0, 1, 0]);
    expect(await readF32(b, b.softmax(x, 2, 2, null, true))).toEqual([-Infinity, -Infinity, 0, -Infinity]);
  });

  it('rejects a keyMask too small for the rows', () => {
    const mask: SoftmaxMask = { causal: false, queryLen: 1, keyMask: b.upload(new Float32Array(3)), rowsPerBatch: 1 };
    expect(() => b.softmax(b.upload(new Float32Array(6)), 2, 3, mask, false)).toThrow(/keyMask/);
  });
});

describe('cpu softmaxGrad', () => {
  const b = new CpuBackend();
  const rows = 3;
  const cols = 17;
  const keyMask = b.upload(Float32Array.from({ length: cols }, (_, c) => (c === 0 || c === 5 ? 0 : 1)));
  const mask: SoftmaxMask = { causal: true, queryLen: rows, keyMask, rowsPerBatch: rows };
  const x = randomArray(rows * cols, 21, -2, 2);

  for (const log of [false, true]) {
    it(`${log ? 'log-softmax' : 'softmax'}: matches finite differences under causal + keyMask (KV-cache shape)`, () => {
      const y = b.softmax(b.upload(x), rows, cols, mask, log);
      const hidden = log ? -Infinity : 0;
      // Weights only on visible entries for the loss; the dy handed to the kernel is non-zero at masked
      // entries too, which must be ignored (masked outputs are constants).
      const w = randomArray(rows * cols, 22);
      const wLoss = w.map((v, i) => (peek(y)[i] === hidden ? 0 : v));
      const loss = (xv: Float32Array) => {
        const s = b.softmax(b.upload(xv), rows, cols, mask, log);
        const l = weightedSum(peek(s), wLoss);
        b.free(s);
        return l;
      };
      const dx = peek(b.softmaxGrad(y, b.upload(w), rows, cols, log));
      expectClose(dx, finiteDifference(x, loss, 1e-3), 1e-3, 1e-3);
      for (let i = 0; i < dx.length; i++) if (peek(y)[i] === hidden) expect(dx[i]).toBe(0);
    });
  }

  it('hand-computed softmax gradient of one row', async () => {
    // y = [0.25, 0.75], dy = [1, 0]: sum(dy*y) = 0.25, dx = y*(dy - 0.25) = [0.1875, -0.1875]
    const dx = await readF32(b, b.softmaxGrad(b.upload(Float32Array.of(0.25, 0.75)), b.upload(Float32Array.of(1, 0)), 1, 2, false));
    expect(dx).toEqual([0.1875, -0.1875]);
    // log-softmax, y = log [0.25, 0.75], dy = [1, 1]: dx = dy - p*2 = [0.5, -0.5]
    const ly = b.upload(Float32Array.of(Math.log(0.25), Math.log(0.75)));
    expectClose(await readF32(b, b.softmaxGrad(ly, b.upload(Float32Array.of(1, 1)), 1, 2, true)), [0.5, -0.5], 1e-6, 1e-7);
  });

  it('a fully masked row gets dx = 0, not NaN, even with infinite dy', async () => {
    const dy = b.upload(Float32Array.of(Infinity, 1, 2));
    expect(await readF32(b, b.softmaxGrad(b.zeros(3, 'f32'), dy, 1, 3, false))).toEqual([0, 0, 0]);
    expect(await readF32(b, b.softmaxGrad(b.fill(3, -Infinity, 'f32'), dy, 1, 3, true))).toEqual([0, 0, 0]);
  });
});
