// The shared pieces: config merging, the small statistics, and the multi-part policy-gradient step
// (it updates on a signal and skips a batch without one).
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { disposeParams, readParams } from '../model/params';
import { BOS_ID, EOS_ID, encode } from '../tasks/tokenizer';
import { SELFPLAY_ADAMW, distinctRatio, lengthHistogram, operandDigits, policyGradientStep, type PgPart } from './common';
import { withDefaults } from './config';
import { tinyModel } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

describe('helpers', () => {
  it('withDefaults merges nested objects one level deep and keeps arrays whole', () => {
    const d = { a: 1, eval: { arms: ['d1', 'd2'], prompts: 32 }, list: [1, 2] };
    expect(withDefaults(d, { eval: { prompts: 4 }, list: [3] })).toEqual({ a: 1, eval: { arms: ['d1', 'd2'], prompts: 4 }, list: [3] });
    expect(withDefaults(d, { eval: { arms: ['d3'] } }).eval.arms).toEqual(['d3']);
    expect(withDefaults(d)).toEqual(d);
  });

  it('distinct ratio, length histogram, operand digits', () => {
    expect(distinctRatio(['1', '1', '2', '3'])).toBe(0.75);
    expect(distinctRatio([])).toBe(1);
    expect(lengthHistogram([0, 2, 2, 9], 3)).toEqual([1, 0, 2, 1]);
    expect(operandDigits('12+345=')).toEqual([2, 3]);
    expect(operandDigits('rev abc=')).toEqual([]);
  });
});

describe('policyGradientStep', () => {
  const rows = (answers: string[]) => answers.map((a) => ({ prompt: [BOS_ID, ...encode('1+2=')], completion: [...encode(a), EOS_ID] }));

  it('updates the weights when a part has reward spread, skips the step when none has', async () => {
    const { config, params } = tinyModel(4);
    const optimizer = new AdamW([...params.values()], { ...SELFPLAY_ADAMW, lr: 1e-2 });
    const before = await readParams(params);
    const flat: PgPart[] = [
      { rows: rows(['3', '4']), rewards: [1, 1], groupSize: 2 },
      { rows: rows(['5', '6', '7']), rewards: [-1, -1, -1], groupSize: 3 },
    ];
    const skipped = await policyGradientStep(config, params, optimizer, flat, { lr: 1e-2, temperature: 1 });
    expect(skipped.skipped).toBe(true);
    expect(Array.from((await readParams(params)).get('tok_emb')!)).toEqual(Array.from(before.get('tok_emb')!));

    const signal: PgPart[] = [flat[0], { rows: rows(['3', '6', '7']), rewards: [1, 0, 0], groupSize: 3, weight: 0.5 }];
    const stepped = await policyGradientStep(config, params, optimizer, signal, { lr: 1e-2, temperature: 1 });
    expect(stepped.skipped).toBe(false);
    expect(stepped.gradNorm).toBeGreaterThan(0);
    expect(Number.isFinite(stepped.loss)).toBe(true);
    expect(Array.from((await readParams(params)).get('tok_emb')!)).not.toEqual(Array.from(before.get('tok_emb')!));
    optimizer.dispose();
    disposeParams(params);
  });
});
