// The model on the CPU backend: parameter layout, the forward pass's padding invariance, SFT learning,
// and checkpoints (round trip, corrupt files).
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { noGrad, setBackend, tensor, tidy } from '../engine';
import { encodeCompletion, encodePrompt, VOCAB_SIZE, PAD_ID, EOS_ID } from '../tasks/tokenizer';
import { getTask } from '../tasks/registry';
import { createRng } from '../tasks/random';
import { packBatch } from './batch';
import { parseCheckpoint, serializeCheckpoint } from './checkpoint';
import { defaultGptConfig, parameterCount, type GptConfig } from './config';
import { gptForward } from './forward';
import { disposeParams, initGptParams, initialValues, readParams } from './params';
import { SftTrainer } from './sft';
import { EOS, PAD } from './special';

const small: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 24, dModel: 32, nHeads: 2, nLayers: 2, mlpRatio: 4 };

beforeAll(() => setBackend(new CpuBackend()));

describe('GPT model', () => {
  it('agrees with the tokenizer and stays in the 0.1-0.5 M parameter range', () => {
    expect(defaultGptConfig.vocabSize).toBe(VOCAB_SIZE);
    expect(PAD).toBe(PAD_ID);
    expect(EOS).toBe(EOS_ID);
    const n = parameterCount(defaultGptConfig);
    expect(n).toBeGreaterThan(100_000);
    expect(n).toBeLessThan(500_000);
  });

  it('same seed gives the same weights, another seed others', () => {
    const a = initialValues(small, 1).get('h0.attn.wq')!;
    expect(Array.from(initialValues(small, 1).get('h0.attn.wq')!)).toEqual(Array.from(a));
    expect(Array.from(initialValues(small, 2).get('h0.attn.wq')!)).not.toEqual(Array.from(a));
  });

  it("a row's logits do not depend on the padding around it", async () => {
    const params = initGptParams(small, 3);
    const prompt = encodePrompt('12+7=');
    const logitsFor = async (width: number) =>
      noGrad(() =>
        tidy(() => {
          const p = packBatch([prompt, encodePrompt('3+4=')], [[], []], width, 0);
          return gptForward(small, params, {
            ids: tensor(p.ids, [2, p.T], 'i32'),
            positions: tensor(p.positions, [2, p.T], 'i32'),
            keyMask: tensor(p.keyMask, [2, p.T]),
          });
        }),
      ).data();
    const tight = await logitsFor(prompt.length);
    const padded = await logitsFor(prompt.length + 4);
    // Row 0's last position is the last column in both layouts.
    const V = small.vocabSize;
    const last = (data: ArrayLike<number>, T: number) => Array.from(data).slice((T - 1) * V, T * V);
    const a = last(tight, prompt.length);
    const b = last(padded, prompt.length + 4);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-5));
    disposeParams(params);
  });

  it('SFT lowers the loss on one-digit addition', async () => {
    const params = initGptParams(small, 4);
    const trainer = new SftTrainer(small, params, { lr: 1e-2 });
    const task = getTask('addition');
    const rng = createRng(5);
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const examples = Array.from({ length: 16 }, () => {
        const p = task.generate('d1', rng);
        return { prompt: encodePrompt(p.prompt), completion: encodeCompletion(p.answer) };
      });
      losses.push((await trainer.step(examples)).loss);
    }
    const early = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const late = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(late).toBeLessThan(early * 0.6);
    trainer.dispose();
    disposeParams(params);
  });

  it('checkpoints round-trip and reject corrupt files clearly', async () => {
    const params = initGptParams(small, 6);
    const values = await readParams(params);
    const bytes = serializeCheckpoint({ config: small, values, metadata: { task: 'addition' } });
    const back = parseCheckpoint(bytes);
    expect(back.config).toEqual(small);
    expect(back.metadata.task).toBe('addition');
    expect(Array.from(back.values.get('h1.mlp.w2')!)).toEqual(Array.from(values.get('h1.mlp.w2')!));
    expect(() => parseCheckpoint(bytes.slice(0, bytes.length - 9))).toThrow(/Not a readable checkpoint/);
    expect(() => parseCheckpoint(bytes.slice(0, 5))).toThrow(/shorter than the 8-byte/);
    const absurd = bytes.slice();
    new DataView(absurd.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => parseCheckpoint(absurd)).toThrow(/header length/);
    const wrongMagic = new TextEncoder().encode('PK\u0003\u0004 this is a zip file, not a checkpoint');
    expect(() => parseCheckpoint(wrongMagic)).toThrow(/Not a readable checkpoint/);
    // A file whose config says a different width than its tensors have.
    const tampered = serializeCheckpoint({ config: small, values, metadata: {} });
    const headerLength = Number(new DataView(tampered.buffer).getBigUint64(0, true));
    const header = new TextDecoder().decode(tampered.subarray(8, 8 + headerLength));
    expect(header).toContain('\\"dModel\\":32');
    tampered.set(new TextEncoder().encode(header.replace('\\"dModel\\":32', '\\"dModel\\":16')), 8); // same length
    expect(() => parseCheckpoint(tampered)).toThrow(/does not match its model config.*\[/);
    disposeParams(params);
  });
});
