// Check 2 of the engine: our gradients against an autograd no one here wrote (TF.js, CPU backend).
// A composite loss with every op the GPT uses: embedding -> layer norm -> causal self-attention with a
// padding mask -> GELU MLP -> final layer norm -> tied head -> log-prob gathering + entropy at a
// temperature. Same weights and inputs; loss and every parameter gradient must agree within 1e-4.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from './backend/cpu/cpuBackend';
import { compositeLoss, makeCompositeProblem, type CompositeProblem } from './testing/compositeLoss';
import { backward, setBackend, tidy } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
  setBackend(new CpuBackend());
});

function tfCompositeLoss(p: CompositeProblem, vars: Record<string, tf.Variable>): tf.Scalar {
  const { B, T, D, H, V, temperature } = p.dims;
  const dh = D / H;
  const ids = tf.tensor1d(Array.from(p.ids), 'int32');
  const ln = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
  };
  let x = tf.add(tf.gather(vars.tokEmb, ids).reshape([B, T, D]), vars.posEmb.slice([0, 0], [T, D]));
  const h = ln(x, vars.ln1g, vars.ln1b).reshape([B * T, D]);
  const split = (t: tf.Tensor) => t.reshape([B, T, H, dh]).transpose([0, 2, 1, 3]);
  const q = split(tf.matMul(h, vars.wq));
  const k = split(tf.matMul(h, vars.wk));
  const v = split(tf.matMul(h, vars.wv));
  let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)); // [B,H,T,T]
  const allowed = new Float32Array(B * H * T * T);
  for (let b = 0; b < B; b++) for (let hh = 0; hh < H; hh++) for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) {
    allowed[((b * H + hh) * T + i) * T + j] = j <= i && p.keyMask[b * T + j] === 1 ? 1 : 0;
  }
  const allowedT = tf.tensor4d(allowed, [B, H, T, T]);
  scores = tf.add(scores, tf.mul(tf.sub(1, allowedT), -1e9));
  const att = tf.softmax(scores, -1);
  const ctx = tf.matMul(att, v).transpose([0, 2, 1, 3]).reshape([B * T, D]);
  x = tf.add(x, tf.matMul(ctx, vars.wo).reshape([B, T, D]));
  const h2 = ln(x, vars.ln2g, vars.ln2b).reshape([B * T, D]);
  const gelu = (z: tf.Tensor) => tf.mul(tf.mul(z, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(z, tf.mul(0.044715, tf.pow(z, 3)))))));
  const mlp = tf.matMul(gelu(tf.add(tf.matMul(h2, vars.w1), vars.b1)), vars.w2);
  x = tf.add(x, tf.add(mlp, vars.b2).reshape([B, T, D]));
  const hf = ln(x, vars.lnfg, vars.lnfb).reshape([B * T, D]);
  const logits = tf.div(tf.matMul(hf, vars.tokEmb, false, true), temperature); // [B*T, V]
  const logSm = tf.logSoftmax(logits, -1);
  const onehot = tf.oneHot(tf.tensor1d(Array.from(p.targets), 'int32'), V);
  const logp = tf.sum(tf.mul(logSm, onehot), -1); // [B*T]
  const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logSm), logSm), -1));
  const w = tf.tensor1d(p.lossWeights);
  return tf.sub(tf.neg(tf.div(tf.sum(tf.mul(logp, w)), tf.sum(w))), tf.mul(p.entropyCoef, tf.mean(entropy))) as tf.Scalar;
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  return maxDiff / Math.max(maxRef, 1e-12);
}

describe('gradients agree with TF.js autograd', () => {
  it('on the composite GPT-like loss', async () => {
    const problem = makeCompositeProblem(7);
    const vars: Record<string, tf.Variable> = {};
    for (const [name, { data, shape }] of Object.entries(problem.weights)) vars[name] = tf.variable(tf.tensor(data, shape), true, name);
    const { value, grads } = tf.variableGrads(() => tfCompositeLoss(problem, vars));
    const tfLoss = (await value.data())[0];

    const { params, dispose } = problem.toParameters();
    const ourLoss = tidy(() => {
      const loss = compositeLoss(problem, params);
      backward(loss);
      return loss;
    });
    const ours = (await ourLoss.data())[0];
    expect(Math.abs(ours - tfLoss) / Math.abs(tfLoss)).toBeLessThanOrEqual(1e-4);

    const errors: Record<string, number> = {};
    for (const [name, p] of Object.entries(params)) {
      const ref = await grads[name].data();
      expect(p.grad, `no gradient for ${name}`).not.toBeNull();
      errors[name] = relativeError(await p.grad!.data(), ref);
    }
    for (const [name, err] of Object.entries(errors)) expect(err, `${name} gradient, relative error`).toBeLessThanOrEqual(1e-4);
    // Every parameter really received a signal (a zero gradient would agree trivially).
    for (const name of Object.keys(params)) expect(Math.max(...Array.from(await grads[name].data()).map(Math.abs))).toBeGreaterThan(1e-6);
    ourLoss.dispose();
    dispose();
  });
});
