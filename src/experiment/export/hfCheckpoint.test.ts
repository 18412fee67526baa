// The exported Hugging Face checkpoint is a faithful GPT-2: a numpy GPT-2 forward pass that reads only
// the exported files (python/gpt2_numpy.py) gives the lab's logits within 1e-4. Needs python3 + numpy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { noGrad, setBackend, tensor, tidy } from '../../engine';
import { CpuBackend } from '../../engine/backend/cpu/cpuBackend';
import { parseCheckpoint } from '../../model/checkpoint';
import type { GptConfig } from '../../model/config';
import { gptForward } from '../../model/forward';
import { createParams, disposeParams, initialValues } from '../../model/params';
import { encodePrompt, VOCAB_SIZE } from '../../tasks/tokenizer';
import { hfCheckpointFiles } from './hfCheckpoint';
import gpt2Numpy from './python/gpt2_numpy.py?raw';
import { requirePythonWithNumpy, runPython, writeToTempDir } from './testing/python';

beforeAll(() => {
  requirePythonWithNumpy();
  setBackend(new CpuBackend());
});

async function labLogits(config: GptConfig, values: Map<string, Float32Array>, prompt: string): Promise<number[][]> {
  const ids = encodePrompt(prompt);
  const T = ids.length;
  const params = createParams(config, values);
  const data = await noGrad(() =>
    tidy(() =>
      gptForward(config, params, {
        ids: tensor(Int32Array.from(ids), [1, T], 'i32'),
        positions: tensor(Int32Array.from(ids.map((_, i) => i)), [1, T], 'i32'),
        keyMask: tensor(new Float32Array(T).fill(1), [1, T]),
      }),
    ),
  ).data();
  disposeParams(params);
  const V = config.vocabSize;
  return Array.from({ length: T }, (_, t) => Array.from(data.slice(t * V, (t + 1) * V)));
}

async function maxLogitDifference(config: GptConfig, values: Map<string, Float32Array>, prompts: string[]): Promise<number> {
  const files = hfCheckpointFiles(config, values, { source: 'test' }, 'model/');
  files.set('gpt2_numpy.py', gpt2Numpy);
  const dir = writeToTempDir(files);
  const lines = runPython(['gpt2_numpy.py', 'model', ...prompts], { cwd: dir }).trim().split('\n');
  expect(lines).toHaveLength(prompts.length);
  let worst = 0;
  for (const [i, line] of lines.entries()) {
    const row = JSON.parse(line) as { ids: number[]; logits: number[][] };
    expect(row.ids).toEqual(encodePrompt(prompts[i]));
    const lab = await labLogits(config, values, prompts[i]);
    expect(row.logits.length).toBe(lab.length);
    row.logits.forEach((r, t) => r.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - lab[t][k])))));
  }
  return worst;
}

describe('the policy as a GPT-2 checkpoint', () => {
  it('the shipped addition policy: numpy GPT-2 from the exported files matches the lab\'s logits within 1e-4', async () => {
    const checkpoint = parseCheckpoint(new Uint8Array(readFileSync(join(process.cwd(), 'public/checkpoints/addition.safetensors'))));
    const worst = await maxLogitDifference(checkpoint.config, checkpoint.values, ['12+47=', '0+0=', '9999+1=', '']);
    expect(worst).toBeLessThan(1e-4);
  });

  it('another shape (2 heads, MLP ×3, 2 layers) from a random init also matches', async () => {
    const config: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 32, dModel: 24, nHeads: 2, nLayers: 2, mlpRatio: 3 };
    // A larger init than the default so the check is not dominated by near-zero activations.
    const values = initialValues(config, 11);
    for (const [name, v] of values) if (!name.endsWith('.g') && !/\.b\d?$/.test(name)) values.set(name, v.map((x) => x * 20));
    const worst = await maxLogitDifference(config, values, ['sort 3142=', 'rev abc=', 'a=3;b=a*2;b+1=']);
    expect(worst).toBeLessThan(1e-4);
  });

  it('a wrong layout is caught: swapping q and k in c_attn breaks the match', async () => {
    const checkpoint = parseCheckpoint(new Uint8Array(readFileSync(join(process.cwd(), 'public/checkpoints/addition.safetensors'))));
    const values = new Map(checkpoint.values);
    values.set('h0.attn.wq', checkpoint.values.get('h0.attn.wk')!);
    values.set('h0.attn.wk', checkpoint.values.get('h0.attn.wq')!);
    const files = hfCheckpointFiles(checkpoint.config, values, {}, 'model/');
    files.set('gpt2_numpy.py', gpt2Numpy);
    const dir = writeToTempDir(files);
    const row = JSON.parse(runPython(['gpt2_numpy.py', 'model', '12+47='], { cwd: dir })) as { logits: number[][] };
    const lab = await labLogits(checkpoint.config, checkpoint.values, '12+47=');
    const worst = Math.max(...row.logits.flatMap((r, t) => r.map((v, k) => Math.abs(v - lab[t][k]))));
    expect(worst).toBeGreaterThan(1e-3);
  });
});
