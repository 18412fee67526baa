// The fixed ruler (issue 16, item 6): the session evaluates at run.evalSeed and run.evalTemperature, not
// at the training seed and algorithm.temperature, so two training seeds are scored on the same held-out
// prompts at the same temperature. evaluateArm is wrapped to record what each evaluation asked for
// (its seed, temperature and the prompts task.evalSet draws from that seed); the real one still runs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { sessionHarness } from './sessionTestHarness';
import type { TrainingSession } from './trainingSession';

const calls = vi.hoisted(() => [] as { runSeed: number; seed: number; temperature: number; arm: string; prompts: string[] }[]);
const currentRunSeed = vi.hoisted(() => ({ value: -1 }));

vi.mock('../rl/evaluate', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../rl/evaluate')>();
  return {
    ...actual,
    evaluateArm: async (...args: Parameters<typeof actual.evaluateArm>) => {
      const [, , task, arm, o] = args;
      calls.push({ runSeed: currentRunSeed.value, seed: o.seed, temperature: o.temperature, arm, prompts: task.evalSet(arm, o.prompts, o.seed).map((p) => p.prompt) });
      return actual.evaluateArm(...args);
    },
  };
});

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };

function config(seed: number, run: Partial<ExperimentConfig['run']> = {}): ExperimentConfig {
  return experimentSchema.parse({
    seed,
    task: { id: 'addition', arms: ['d1'] },
    model: { init: 'random' },
    // A run sampling at T = 1.3: its evaluation must still be at the ruler's temperature.
    algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3, temperature: 1.3 },
    run: { steps: 1, evalEvery: 1, evalPrompts: 6, evalSamples: 1, ...run },
  });
}

let sessions: TrainingSession[] = [];
afterEach(async () => {
  for (const s of sessions) await s.dispose();
  sessions = [];
});

async function evaluationsOf(seed: number, run: Partial<ExperimentConfig['run']> = {}) {
  calls.length = 0;
  currentRunSeed.value = seed;
  const { session, next } = sessionHarness(sessions, tiny);
  await session.init();
  const last = next('evaluation', (e) => e.step === 1);
  await session.handle({ type: 'start', runIds: [`seed-${seed}`], config: config(seed, run) });
  await last;
  return calls.splice(0);
}

describe('the evaluation ruler', () => {
  it('defaults to seed 0x5eed and temperature 1, apart from the training seed and temperature', () => {
    const run = experimentSchema.parse({}).run;
    expect(run.evalSeed).toBe(0x5eed);
    expect(run.evalTemperature).toBe(1);
    expect(experimentSchema.safeParse({ run: { evalTemperature: 0 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ run: { evalTemperature: 3.5 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ run: { evalSeed: 1.5 } }).success).toBe(false);
  });

  it('scores two training seeds on the same prompts at temperature 1 although the run samples at 1.3', async () => {
    const a = await evaluationsOf(1);
    const b = await evaluationsOf(2);
    // Two evaluations (before training and after the one step), one arm each.
    expect(a.length).toBe(2);
    expect(b.length).toBe(2);
    for (const call of [...a, ...b]) expect([call.seed, call.temperature]).toEqual([0x5eed, 1]);
    expect(a[0].prompts.length).toBe(6);
    expect(b.map((c) => c.prompts)).toEqual(a.map((c) => c.prompts));
  }, 120_000);

  it("follows the run's evalSeed and evalTemperature when set (another seed draws other prompts)", async () => {
    const base = await evaluationsOf(1);
    const other = await evaluationsOf(1, { evalSeed: 777, evalTemperature: 0.7 });
    for (const call of other) expect([call.seed, call.temperature]).toEqual([777, 0.7]);
    expect(other[0].prompts).not.toEqual(base[0].prompts);
  }, 120_000);
});
