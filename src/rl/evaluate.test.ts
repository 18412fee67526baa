// The evaluation's cut-off share (issue 15): the share of sampled completions that did not stop within
// the answer budget, which the pretraining recipe requires to be small on a base checkpoint's RL arms.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../engine';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { parseCheckpoint } from '../model/checkpoint';
import { createParams, disposeParams } from '../model/params';
import { getTask } from '../tasks/registry';
import { evaluateArm } from './evaluate';

beforeAll(() => setBackend(new CpuBackend()));

describe('evaluateArm cut-off share', () => {
  it('counts the completions the budget cut off: nearly all with no room for EOS, nearly none with the task budget', async () => {
    const addition = getTask('addition');
    const checkpoint = parseCheckpoint(new Uint8Array(readFileSync('public/checkpoints/addition.safetensors')));
    const params = createParams(checkpoint.config, checkpoint.values);
    const options = { prompts: 16, samplesPerPrompt: 4, temperature: 1, seed: 11 };
    // d2 answers have two or three digits: one token of budget leaves no room for the answer's EOS.
    const starved = await evaluateArm(checkpoint.config, params, addition, 'd2', { ...options, maxNewTokens: 1 });
    const full = await evaluateArm(checkpoint.config, params, addition, 'd2', options);
    disposeParams(params);
    expect(starved.cutOff).toBeGreaterThan(0.9);
    expect(starved.meanAtN).toBe(0);
    expect(full.cutOff).toBeLessThan(0.05);
    // A cut-off completion is never correct, so correct + cut off never exceed all samples.
    expect(full.meanAtN + full.cutOff!).toBeLessThanOrEqual(1);
  });
});
