// Check of issue 15: the same preset gives the same first step in the page's training worker (WebGPU,
// SwiftShader here) as in Node's `npm run train` (CPU backend), whose first step is the fixture that
// scripts/trainScript.test.ts re-derives from the script. Same seed → same prompts, arms, sampled tokens
// and rewards (exactly); losses and the curriculum's probabilities to the backends' rounding.
import { afterEach, describe, expect, it } from 'vitest';
import { presetConfig } from '../experiment/presets';
import fixture from './fixtures/curriculum-dump-first-step.json';
import { firstStepDifferences, firstStepView, type FirstStep } from './firstStepParity';
import { TrainingClient } from './trainingClient';

let client: TrainingClient | null = null;
afterEach(() => {
  client?.terminate();
  client = null;
});

describe('a preset in the page and in Node', () => {
  it('curriculum-dump: the worker on WebGPU reproduces npm run train\'s first step', async () => {
    const c = (client = new TrainingClient());
    const ready = await c.next('ready');
    expect(ready.backend, ready.fallbackReason).toBe('webgpu');
    const config = presetConfig('curriculum-dump');
    config.run = { ...config.run, steps: 1, evalEvery: 0 };
    expect(config.seed).toBe(fixture.seed);
    const first = c.next('metrics', (e) => e.step === 0);
    c.send({ type: 'start', runIds: ['parity'], config });
    const m = await first;
    const differences = firstStepDifferences(firstStepView(m.metrics, m.curriculum), fixture.firstStep as FirstStep, 2e-3);
    expect(differences).toEqual([]);
  });
});
