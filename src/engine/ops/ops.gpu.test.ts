// Check 1 of the engine at the level users see: every differentiable op, forward AND backward, run on
// WebGPU and on the CPU backend with identical inputs and an identical random upstream gradient.
// Agreement: max |gpu - cpu| / max |cpu| <= 1e-4 per output and per input gradient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../backend';
import { CpuBackend } from '../backend/cpu/cpuBackend';
import { WebGpuBackend } from '../backend/webgpu/webgpuBackend';
import { compositeLoss, makeCompositeProblem } from '../testing/compositeLoss';
import * as E from '../index';
import { backward, parameter, setBackend, tensor, tidy, type Tensor } from '../index';
import { mulberry32 } from '../random';

let gpu: WebGpuBackend;
const cpu = new CpuBackend();
beforeAll(async () => {
  gpu = await WebGpuBackend.create();
});
afterAll(() => gpu?.destroy());

const rng = mulberry32;

interface InputSpec {
  shape: number[];
  kind?: 'normal' | 'positive' | 'ids' | 'mask' | 'targets';
  /** For ids/targets: the exclusive upper bound. */
  range?: number;
  grad?: boolean;
}

interface OpCase {
  name: string;
  inputs: InputSpec[];
  fn: (...xs: Tensor[]) => Tensor | Tensor[];
}

function makeData(spec: InputSpec, rand: () => number): Float32Array | Int32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  switch (spec.kind ?? 'normal') {
    case 'positive':
      return Float32Array.from({ length: n }, () => 0.1 + rand() * 3);
    case 'ids':
      return Int32Array.from({ length: n }, () => Math.floor(rand() * (spec.range ?? 2)));
    case 'targets':
      return Int32Array.from({ length: n }, (_, i) => (i % 7 === 3 ? -1 : Math.floor(rand() * (spec.range ?? 2))));
    case 'mask':
      return Float32Array.from({ length: n }, () => (rand() < 0.3 ? 0 : 1));
    default:
      return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 2);
  }
}

interface Run {
  outputs: Float32Array[];
  grads: (Float32Array | null)[];
}

async function runOn(backend: Backend, c: OpCase, data: (Float32Array | Int32Array)[], seeds: Float32Array[]): Promise<Run> {
  setBackend(backend);
  const inputs = c.inputs.map((spec, i) =>
    spec.grad !== false && data[i] instanceof Float32Array
      ? parameter(data[i] as Float32Array, spec.shape)
      : tensor(data[i], spec.shape, data[i] instanceof Int32Array ? 'i32' : 'f32'),
  );
  const outs = tidy(() => {
    const result = c.fn(...inputs);
    const list = Array.isArray(result) ? result : [result];
    const weighted = list.map((o, i) => E.sum(E.mul(o, tensor(seeds[i], o.shape))));
    const loss = weighted.reduce((a, b) => E.add(a, b));
    if (inputs.some((t) => t.requiresGrad)) backward(loss);
    return list;
  });
  const outputs = (await E.readAll(outs)).map((d) => Float32Array.from(d));
  const grads = await Promise.all(inputs.map(async (t) => (t.grad ? Float32Array.from(await t.grad.data()) : null)));
  outs.forEach((o) => o.dispose());
  inputs.forEach((t) => t.dispose());
  return { outputs, grads };
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(b[i]) || !Number.isFinite(a[i])) {
      if (a[i] !== b[i]) return Infinity;
      continue;
    }
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    ref = Math.max(ref, Math.abs(b[i]));
  }
  return diff / Math.max(ref, 1e-6);
}

const awkward = [1, 3, 17, 65, 130];

const cases: OpCase[] = [];
for (const n of awkward) {
  cases.push(
    { name: `add broadcast [${n},3]+[3]`, inputs: [{ shape: [n, 3] }, { shape: [3] }], fn: (a, b) => E.add(a, b) },
    { name: `sub broadcast [${n},1]-[1,5]`, inputs: [{ shape: [n, 1] }, { shape: [1, 5] }], fn: (a, b) => E.sub(a, b) },
    { name: `mul [2,${n}]*[2,${n}]`, inputs: [{ shape: [2, n] }, { shape: [2, n] }], fn: (a, b) => E.mul(a, b) },
    { name: `div [${n}]/[${n}]`, inputs: [{ shape: [n] }, { shape: [n], kind: 'positive' }], fn: (a, b) => E.div(a, b) },
    { name: `maximum/minimum [${n}]`, inputs: [{ shape: [n] }, { shape: [n] }], fn: (a, b) => [E.maximum(a, b), E.minimum(a, b)] },
    { name: `unary family [${n}]`, inputs: [{ shape: [n] }], fn: (x) => [E.neg(x), E.exp(x), E.tanh(x), E.gelu(x), E.square(x), E.relu(x), E.abs(x), E.sigmoid(x), E.affine(x, -0.5, 2), E.clamp(x, -1, 0.5)] },
    { name: `log/sqrt [${n}]`, inputs: [{ shape: [n], kind: 'positive' }], fn: (x) => [E.log(x), E.sqrt(x)] },
    { name: `where [${n}]`, inputs: [{ shape: [n], kind: 'mask', grad: false }, { shape: [n] }, { shape: [n] }], fn: (c, a, b) => E.where(c, a, b) },
    { name: `sum/mean/max axes [3,${n},2]`, inputs: [{ shape: [3, n, 2] }], fn: (x) => [E.sum(x, 1), E.mean(x, 0, true), E.max(x, 1), E.sum(x), E.max(x, -1)] },
    { name: `transpose/slice/concat/broadcastTo [${n},4]`, inputs: [{ shape: [n, 4] }, { shape: [n, 2] }], fn: (a, b) => [E.transpose(a), E.slice(a, [0, 1], [n, 2]), E.concat([a, b], 1), E.broadcastTo(E.reshape(b, [1, n, 2]), [3, n, 2])] },
    { name: `matmul ${n}x${n + 2}·${n + 2}x5`, inputs: [{ shape: [n, n + 2] }, { shape: [n + 2, 5] }], fn: (a, b) => E.matmul(a, b) },
    { name: `matmul transA/transB ${n}`, inputs: [{ shape: [7, n] }, { shape: [9, 7] }], fn: (a, b) => E.matmul(a, b, { transA: true, transB: true }) },
    { name: `batched matmul with shared weight [2,${n},6]·[6,4]`, inputs: [{ shape: [2, n, 6] }, { shape: [6, 4] }], fn: (a, b) => E.matmul(a, b) },
    { name: `batched matmul transB [3,${n},5]·[3,4,5]ᵀ`, inputs: [{ shape: [3, n, 5] }, { shape: [3, 4, 5] }], fn: (a, b) => E.matmul(a, b, { transB: true }) },
    { name: `layerNorm [${n},17]`, inputs: [{ shape: [n, 17] }, { shape: [17] }, { shape: [17] }], fn: (x, g, b) => E.layerNorm(x, g, b) },
    { name: `softmax/logSoftmax [${n},${n + 4}]`, inputs: [{ shape: [n, n + 4] }], fn: (x) => [E.softmax(x), E.logSoftmax(x)] },
    {
      name: `causal + padding softmax [2,2,${n},${n}]`,
      inputs: [{ shape: [2, 2, n, n] }, { shape: [2, n], kind: 'mask', grad: false }],
      fn: (x, m) => {
        const keyMask = E.concat([E.full([2, 1], 1), E.slice(m, [0, 1], [2, n - 1])], 1); // key 0 always visible
        return E.softmax(x, { causal: true, queryLen: n, keyMask, rowsPerBatch: 2 * n });
      },
    },
    { name: `KV-cache causal softmax, 1 query over ${n} keys`, inputs: [{ shape: [4, 1, n] }], fn: (x) => E.softmax(x, { causal: true, queryLen: 1 }) },
    { name: `embedding ${n} ids`, inputs: [{ shape: [13, 6] }, { shape: [n], kind: 'ids', range: 13 }], fn: (t, ids) => E.embedding(t, ids) },
    {
      name: `logProbs + entropy [${n},${n + 9}] T=0.7`,
      inputs: [{ shape: [n, n + 9] }, { shape: [n], kind: 'targets', range: n + 9 }],
      fn: (z, t) => {
        const r = E.logProbs(z, t, 0.7);
        return [r.logp, r.entropy];
      },
    },
    { name: `crossEntropy [${n},11]`, inputs: [{ shape: [n, 11] }, { shape: [n], kind: 'ids', range: 11 }], fn: (z, t) => E.crossEntropy(z, t) },
  );
}

describe('every op on WebGPU matches the CPU backend, forward and backward', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const rand = rng(c.name.length * 7919 + c.name.charCodeAt(3));
      const data = c.inputs.map((spec) => makeData(spec, rand));
      // Upstream gradients: shapes come from a CPU dry run.
      setBackend(cpu);
      const probe = tidy(() => {
        const xs = c.inputs.map((spec, i) => tensor(data[i], spec.shape, data[i] instanceof Int32Array ? 'i32' : 'f32'));
        const r = c.fn(...xs);
        return (Array.isArray(r) ? r : [r]).map((o) => o.size);
      });
      const seeds = probe.map((size) => Float32Array.from({ length: size }, () => rand() * 2 - 1));
      const expected = await runOn(cpu, c, data, seeds);
      const actual = await runOn(gpu, c, data, seeds);
      expected.outputs.forEach((e, i) => expect(relErr(actual.outputs[i], e), `output ${i}`).toBeLessThanOrEqual(1e-4));
      expected.grads.forEach((e, i) => {
        if (!e) return;
        expect(actual.grads[i], `gradient of input ${i}`).not.toBeNull();
        expect(relErr(actual.grads[i]!, e), `gradient of input ${i}`).toBeLessThanOrEqual(1e-4);
      });
    });
  }

  it('the composite GPT-shaped loss and all its gradients', async () => {
    const problem = makeCompositeProblem(11);
    const results: { loss: number; grads: Record<string, Float32Array> }[] = [];
    for (const backend of [cpu, gpu] as Backend[]) {
      setBackend(backend);
      const { params, dispose } = problem.toParameters();
      const loss = tidy(() => {
        const l = compositeLoss(problem, params);
        backward(l);
        return l;
      });
      const grads: Record<string, Float32Array> = {};
      for (const [name, p] of Object.entries(params)) grads[name] = Float32Array.from(await p.grad!.data());
      results.push({ loss: (await loss.data())[0], grads });
      loss.dispose();
      dispose();
    }
    const [c, g] = results;
    expect(Math.abs(g.loss - c.loss) / Math.abs(c.loss)).toBeLessThanOrEqual(1e-4);
    for (const name of Object.keys(c.grads)) expect(relErr(g.grads[name], c.grads[name]), name).toBeLessThanOrEqual(1e-4);
  });

  it('group advantages and AdamW steps', async () => {
    const rand = rng(5);
    const rewards = Float32Array.from({ length: 8 * 6 }, (_, i) => (i < 6 ? 1 : Math.round(rand())));
    const w0 = Float32Array.from({ length: 130 }, () => rand() - 0.5);
    const g0 = Float32Array.from({ length: 130 }, () => rand() - 0.5);
    const out: Float32Array[][] = [];
    for (const backend of [cpu, gpu] as Backend[]) {
      setBackend(backend);
      const adv = ['group', 'batch', 'none'].map((s) => E.groupAdvantages(tensor(rewards), 6, s as 'group'));
      const w = parameter(w0, [130]);
      const opt = new E.AdamW([w], { lr: 0.05, weightDecay: 0.1, maxGradNorm: 0.5 });
      for (let step = 0; step < 5; step++) {
        tidy(() => backward(E.sum(E.mul(w, tensor(g0)))));
        opt.update().gradNormSquared.dispose();
      }
      out.push([...(await E.readAll(adv)), await w.data()].map((d) => Float32Array.from(d)));
      adv.forEach((t) => t.dispose());
      opt.dispose();
      w.dispose();
    }
    out[0].forEach((e, i) => expect(relErr(out[1][i], e), `result ${i}`).toBeLessThanOrEqual(1e-4));
  });
});
