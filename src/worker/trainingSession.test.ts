// The training session driven by commands on the CPU backend, with a tiny random policy (no fetch):
// the loop steps and reports, pause / stepOnce / stop do what they say, live config changes apply or
// are refused, a failing reward pauses the run and resume retries, broken checkpoints stop the start.
import { afterEach, describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import { initialValues } from '../model/params';
import type { GptConfig } from '../model/config';
import { verifierReward, type RewardFunction } from '../rl/rollout';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { cpuBackend } from './backendSelection';
import { fetchCheckpointLoader } from './checkpointLoader';
import type { RewardInput, RewardOutcome } from '../rewards/sandbox/protocol';
import { sessionHarness } from './sessionTestHarness';
import { TrainingSession, type TrainingSessionOptions } from './trainingSession';

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };

function config(overrides: Partial<ExperimentConfig['algorithm']> = {}, run: Partial<ExperimentConfig['run']> = {}): ExperimentConfig {
  return experimentSchema.parse({
    task: { id: 'addition', arms: [] },
    model: { init: 'random' },
    algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3, ...overrides },
    run: { steps: 1000, evalEvery: 0, evalPrompts: 1, evalSamples: 1, ...run },
  });
}

let sessions: TrainingSession[] = [];
afterEach(async () => {
  for (const s of sessions) await s.dispose();
  sessions = [];
});

function harness(options: Partial<TrainingSessionOptions> = {}) {
  return sessionHarness(sessions, tiny, options);
}

describe('TrainingSession', () => {
  it('reports the backend, runs, pauses, steps once, stops', async () => {
    const { session, of, next } = harness();
    await session.init();
    expect(of('ready')[0]).toMatchObject({ backend: 'cpu' });
    expect(of('status')[0]).toMatchObject({ state: 'idle' });

    const third = next('metrics', (e) => e.step === 2);
    await session.handle({ type: 'start', runIds: ['r1'], config: config() });
    expect(of('runInfo')[0]).toMatchObject({ runId: 'r1', task: 'addition', init: 'random' });
    expect(of('runInfo')[0].arms.length).toBeGreaterThan(0); // a random policy trains on every arm
    await third;
    const steps = of('metrics').map((e) => e.step);
    expect(steps.slice(0, 3)).toEqual([0, 1, 2]);
    expect(of('samples').length).toBeGreaterThanOrEqual(3);
    expect(of('metrics')[0].runId).toBe('r1');

    await session.handle({ type: 'pause' });
    expect(of('status').at(-1)).toMatchObject({ state: 'paused' });
    const count = of('metrics').length;
    await new Promise((r) => setTimeout(r, 100));
    expect(of('metrics').length).toBe(count); // no step after `status paused`
    expect(session.step).toBe(count);

    await session.handle({ type: 'stepOnce' });
    expect(of('metrics').length).toBe(count + 1);
    expect(of('metrics').at(-1)!.step).toBe(count);
    expect(session.currentState).toBe('paused');

    await session.handle({ type: 'resume' });
    await next('metrics');
    await session.handle({ type: 'stop' });
    expect(of('status').at(-1)).toMatchObject({ state: 'stopped' });
    const final = of('metrics').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(of('metrics').length).toBe(final);
    expect(of('error')).toEqual([]);
  });

  it('applies live config changes and refuses the others', async () => {
    const { session, of, next } = harness();
    await session.init();
    await session.handle({ type: 'start', runIds: ['r2'], config: config({ lr: 1e-3 }), paused: true });
    await session.handle({ type: 'stepOnce' });
    expect(of('metrics')[0].metrics.learning_rate).toBeCloseTo(1e-3);

    await session.handle({ type: 'updateConfig', patch: { algorithm: { lr: 0.02, samplesPerPrompt: 4, promptsPerStep: 2 } } });
    const answer = of('configUpdated')[0];
    expect(answer.applied).toEqual(['algorithm.lr']);
    expect(answer.refused.map((r) => r.field)).toEqual(['algorithm.samplesPerPrompt']); // promptsPerStep is unchanged
    expect(answer.refused[0].reason).toMatch(/restart/);

    await session.handle({ type: 'updateConfig', patch: { algorithm: { lr: 5 } } }); // out of range
    expect(of('configUpdated')[1].refused[0].field).toBe('algorithm.lr');

    const after = next('metrics');
    await session.handle({ type: 'stepOnce' });
    const m = (await after).metrics;
    expect(m.learning_rate).toBeCloseTo(0.02);
    expect(m.num_tokens).toBeLessThanOrEqual(2 * 2 * 3); // still G = 2
  });

  it('a rejecting reward pauses the run with the error; resume retries the step once fixed', async () => {
    let broken = false;
    const reward = (_: ExperimentConfig, task: Parameters<typeof verifierReward>[0]): RewardFunction => {
      const verifier = verifierReward(task);
      return async (samples) => {
        if (broken) throw new Error('reward() threw TypeError: x is undefined');
        return verifier(samples);
      };
    };
    const { session, of, next } = harness({ reward });
    await session.init();
    await session.handle({ type: 'start', runIds: ['r3'], config: config() });
    await next('metrics', (e) => e.step === 1);
    broken = true;
    const error = await next('error');
    expect(error.kind).toBe('reward');
    expect(error.runId).toBe('r3');
    expect(error.message).toMatch(/x is undefined/);
    await new Promise((r) => setTimeout(r, 0));
    expect(session.currentState).toBe('paused');
    expect(of('status').at(-1)).toMatchObject({ state: 'paused' });
    const stepAtFailure = session.step;
    const seen = of('metrics').length;
    expect(of('metrics').at(-1)!.step).toBe(stepAtFailure - 1); // the failed step was not counted

    broken = false;
    const retried = next('metrics');
    await session.handle({ type: 'resume' });
    expect((await retried).step).toBe(stepAtFailure);
    expect(of('metrics').length).toBeGreaterThan(seen);
    await session.handle({ type: 'stop' });
  });

  it('a non-finite reward is a reward error naming the sample', async () => {
    const reward = (): RewardFunction => async (samples) => ({ rewards: samples.map((_, i) => (i === 1 ? NaN : 0)), components: samples.map(() => ({})) });
    const { session, next } = harness({ reward });
    await session.init();
    const error = next('error');
    await session.handle({ type: 'start', runIds: ['r4'], config: config() });
    const e = await error;
    expect(e.kind).toBe('reward');
    if (e.kind === 'reward') {
      expect(e.detail?.sampleIndex).toBe(1);
      expect(e.detail?.sample?.prompt).toMatch(/\+/);
    }
  });

  it('non-finite loss pauses without counting the step', async () => {
    // A checkpoint whose LayerNorm gain is NaN: every logit, log-prob and the loss are NaN.
    const values = initialValues(tiny, 3);
    values.get('ln_f.g')!.fill(NaN);
    const { session, of, next } = harness({ loadCheckpoint: async () => ({ checkpoint: { config: tiny, values, metadata: {} }, rlArms: ['d1'], url: 'memory' }) });
    await session.init();
    const error = next('error');
    await session.handle({ type: 'start', runIds: ['r5'], config: { ...config(), model: { ...config().model, init: 'base' } } });
    const e = await error;
    expect(e.kind, e.message).toBe('nonfinite');
    await new Promise((r) => setTimeout(r, 0));
    expect(session.currentState).toBe('paused');
    expect(session.step).toBe(0);
    expect(of('metrics')).toEqual([]);
    if (e.kind === 'nonfinite') expect(e.detail?.quantities).toContain('loss');
    await session.handle({ type: 'stepOnce' }); // still broken: paused again, still step 0
    expect(session.step).toBe(0);
  });

  it('evaluates at step 0 and every evalEvery steps, and on demand; snapshots are checkpoints', async () => {
    const { session, of, next } = harness();
    await session.init();
    const second = next('evaluation', (e) => e.step === 2);
    await session.handle({ type: 'start', runIds: ['r6'], config: config({}, { evalEvery: 2, steps: 3 }) });
    await second;
    await next('status', (e) => e.state === 'stopped');
    expect(of('evaluation').map((e) => e.step)).toEqual([0, 2, 3]); // 3: the final step
    expect(of('evaluation')[0].results[0].passAtK['1']).toBeGreaterThanOrEqual(0);
    expect(of('status').at(-1)!.message).toMatch(/Finished/);

    await session.handle({ type: 'evaluate', requestId: 7 });
    expect(of('evaluation').at(-1)).toMatchObject({ requestId: 7, step: 3 });
    await session.handle({ type: 'snapshot', requestId: 9 });
    const snap = of('snapshot')[0];
    expect(snap).toMatchObject({ runId: 'r6', step: 3, requestId: 9 });
    const { parseCheckpoint } = await import('../model/checkpoint');
    const restored = parseCheckpoint(snap.bytes);
    expect(restored.config).toEqual(tiny);
    expect(restored.metadata.step).toBe('3');
  });

  it('a lost device: the run resumes on a new backend from the last completed step, no metric lost or resent', async () => {
    let loseDevice: (reason: string) => void = () => {};
    let backends = 0;
    const { session, of, next } = harness({
      createBackend: async () => {
        backends++;
        return { ...cpuBackend(), lost: new Promise<string>((resolve) => (loseDevice = resolve)) };
      },
    });
    await session.init();
    await session.handle({ type: 'start', runIds: ['lost'], config: config() });
    await next('metrics', (e) => e.step === 1);
    const error = next('error');
    const resumed = next('status', (e) => /Resumed/.test(e.message ?? ''));
    loseDevice('The GPU device was lost (unknown): test.');
    const e = await error;
    expect(e).toMatchObject({ kind: 'device-lost', runId: 'lost' });
    await resumed;
    expect(backends).toBe(2);
    expect(of('ready').length).toBe(2);
    const after = of('metrics').length;
    await next('metrics', (m) => m.step === after + 2);
    expect(session.currentState).toBe('running');
    const steps = of('metrics').map((m) => m.step);
    expect(steps).toEqual(steps.map((_, i) => i)); // consecutive from 0, none twice
    if (e.kind === 'device-lost') expect(e.detail?.resumeStep).toBeLessThanOrEqual(after);
    await session.handle({ type: 'stop' });

    // A loss after the run stopped recovers too; a new start then works as usual.
    session.loseDeviceForTesting();
    await session.handle({ type: 'start', runIds: ['again'], config: config(), paused: true });
    expect(backends).toBe(3);
    expect(session.currentState).toBe('paused');
  });

  it('a lost device while paused: resumes with the same weights and optimizer state', async () => {
    const { session, of, next } = harness({ hostStateEvery: 1 });
    await session.init();
    await session.handle({ type: 'start', runIds: ['p'], config: config(), paused: true });
    for (let i = 0; i < 2; i++) await session.handle({ type: 'stepOnce' });
    await session.handle({ type: 'snapshot', requestId: 1 });
    const resumed = next('status', (e) => /Resumed/.test(e.message ?? ''));
    session.loseDeviceForTesting();
    await resumed;
    expect(session.currentState).toBe('paused');
    expect(session.step).toBe(2);
    await session.handle({ type: 'snapshot', requestId: 2 });
    const [before, after] = of('snapshot');
    expect(after.step).toBe(2);
    expect(after.bytes).toEqual(before.bytes);
    await session.handle({ type: 'stepOnce' });
    expect(of('metrics').map((m) => m.step)).toEqual([0, 1, 2]);
  });

  it('a weighted reward trains on the built-in terms and still reports correctness', async () => {
    const { session, next } = harness();
    await session.init();
    const first = next('metrics');
    const weighted = { ...config(), reward: { ...config().reward, kind: 'weighted' as const, weights: { correctness: 0, format: 1, partial: 0, lengthPenalty: -0.2, coin: 0 } } };
    await session.handle({ type: 'start', runIds: ['weighted'], config: weighted });
    const { metrics } = await first;
    // reward = format + 0.2 · tokens (EOS included): the components say so sample by sample, on average too.
    expect(metrics.rewards.correctness).toBeGreaterThanOrEqual(0);
    expect(metrics.rewards.lengthPenalty).toBeLessThan(0);
    expect(metrics.reward).toBeCloseTo((metrics.rewards.format ?? 0) - 0.2 * metrics.rewards.lengthPenalty, 9);
    await session.handle({ type: 'stop' });
  });

  it('user reward code runs through the sandbox host; a fix applies live and resume retries', async () => {
    const runner = {
      calls: 0,
      async evaluate(code: string, samples: RewardInput[]): Promise<RewardOutcome> {
        this.calls++;
        if (code.includes('oops')) return { ok: false, error: { kind: 'throw', message: 'reward() threw ReferenceError: oops is not defined for sample 0', sampleIndex: 0, sample: samples[0] } };
        return { ok: true, rewards: samples.map((s) => s.completion.length % 2), components: samples.map(() => ({})) };
      },
    };
    const { session, of, next } = harness({ createCodeRewardRunner: () => runner });
    await session.init();
    const failed = next('error');
    await session.handle({ type: 'start', runIds: ['code'], config: { ...config(), reward: { ...config().reward, kind: 'code', code: 'function reward() { return oops; }' } } });
    const e = await failed;
    expect(e).toMatchObject({ kind: 'reward', detail: { sampleIndex: 0, rewardError: 'throw' } });
    await new Promise((r) => setTimeout(r, 0));
    expect(session.currentState).toBe('paused');

    await session.handle({ type: 'updateConfig', patch: { reward: { code: 'function reward({completion}) { return completion.length % 2; }' } } });
    expect(of('configUpdated')[0].applied).toEqual(['reward.code']);
    const retried = next('metrics');
    await session.handle({ type: 'resume' });
    expect((await retried).step).toBe(0);
    expect(runner.calls).toBeGreaterThanOrEqual(2);
  });

  it('an sft start warms up with sftProgress (rising steps), then evaluates at RL step 0 and trains', async () => {
    const { session, of, next, events } = harness();
    await session.init();
    const second = next('metrics', (e) => e.step === 1);
    const start = { ...config({}, { evalEvery: 10 }), model: { init: 'sft' as const, sftSteps: 4, sftLr: 5e-3, sftBatch: 4 } };
    await session.handle({ type: 'start', runIds: ['sft'], config: start });
    expect(of('runInfo')[0]).toMatchObject({ runId: 'sft', init: 'sft' });
    expect(of('runInfo')[0].arms.length).toBeGreaterThan(1); // no arms ticked: every arm
    await second;
    const progress = of('sftProgress');
    expect(progress.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(progress.every((e) => e.runId === 'sft' && e.total === 4 && Number.isFinite(e.loss))).toBe(true);
    // Order: every warm-up step, then the step-0 evaluation of the warmed-up policy, then RL metrics.
    const lastWarmup = events.indexOf(progress.at(-1)!);
    const firstEval = events.findIndex((e) => e.type === 'evaluation');
    const firstMetrics = events.findIndex((e) => e.type === 'metrics');
    expect(lastWarmup).toBeLessThan(firstEval);
    expect(firstEval).toBeLessThan(firstMetrics);
    expect(of('evaluation')[0].step).toBe(0);
    expect(of('metrics').map((e) => e.step).slice(0, 2)).toEqual([0, 1]);
    expect(of('log').some((e) => /SFT warm-up done/.test(e.message))).toBe(true);
    expect(of('error')).toEqual([]);
  });

  it('pause, stepOnce and stop act between SFT warm-up steps; the same seed warms up the same way', async () => {
    const { session, of, next } = harness();
    await session.init();
    const start = { ...config(), model: { init: 'sft' as const, sftSteps: 200, sftLr: 5e-3, sftBatch: 4 } };
    const second = next('sftProgress', (e) => e.step === 2);
    await session.handle({ type: 'start', runIds: ['w1'], config: start });
    await second;
    await session.handle({ type: 'pause' });
    expect(of('status').at(-1)).toMatchObject({ state: 'paused', step: 0 });
    const count = of('sftProgress').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(of('sftProgress').length).toBe(count); // nothing after `status paused`
    await session.handle({ type: 'stepOnce' });
    expect(of('sftProgress').map((e) => e.step)).toEqual(Array.from({ length: count + 1 }, (_, i) => i + 1));
    await session.handle({ type: 'evaluate' }); // not during the warm-up
    expect(of('evaluation')).toEqual([]);
    await session.handle({ type: 'resume' });
    await next('sftProgress');
    await session.handle({ type: 'stop' });
    expect(of('status').at(-1)).toMatchObject({ state: 'stopped' });
    const stoppedAt = of('sftProgress').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(of('sftProgress').length).toBe(stoppedAt);
    expect(of('metrics')).toEqual([]);

    // A second run of the same experiment: the same losses, step for step.
    const first = of('sftProgress').filter((e) => e.runId === 'w1').slice(0, 3);
    const again = next('sftProgress', (e) => e.runId === 'w2' && e.step === 3);
    await session.handle({ type: 'start', runIds: ['w2'], config: start });
    await again;
    await session.handle({ type: 'stop' });
    expect(of('sftProgress').filter((e) => e.runId === 'w2').slice(0, 3).map((e) => e.loss)).toEqual(first.map((e) => e.loss));
    expect(of('error')).toEqual([]);
  });

  it('a missing or corrupt checkpoint is a checkpoint error and the run does not start', async () => {
    const files: Record<string, Uint8Array | null> = {
      'http://x/checkpoints/manifest.json': new TextEncoder().encode(JSON.stringify({ addition: { file: 'addition.safetensors', rlArms: ['d1'] } })),
      'http://x/checkpoints/addition.safetensors': new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]),
    };
    const fakeFetch = (async (url: string) => {
      const body = files[url];
      return body ? new Response(body as BodyInit) : new Response(null, { status: 404 });
    }) as unknown as typeof fetch;
    const { session, of } = harness({ loadCheckpoint: fetchCheckpointLoader('http://x/checkpoints/', fakeFetch) });
    await session.init();
    await session.handle({ type: 'start', runIds: ['r7'], config: { ...config(), model: { ...config().model, init: 'base' } } });
    expect(of('error')[0]).toMatchObject({ kind: 'checkpoint', runId: 'r7' });
    expect(of('error')[0].message).toMatch(/damaged/);
    expect(session.currentState).toBe('error');
    expect(of('metrics')).toEqual([]);

    await session.handle({ type: 'start', runIds: ['r8'], config: { ...config(), task: { id: 'sorting', arms: [] }, model: { ...config().model, init: 'base' } } });
    expect(of('error')[1].message).toMatch(/no base checkpoint for the task "sorting"/);

    await session.handle({ type: 'start', runIds: ['r9'], config: { ...config(), task: { id: 'addition', arms: ['nope'] } } });
    expect(of('error')[2]).toMatchObject({ kind: 'config' });
  });
});
