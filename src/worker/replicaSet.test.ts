// A multi-seed run in the training session (issue 16), on the CPU backend with a tiny random policy:
// a start with seeds 3 trains three replicas under their own record ids, in lockstep (never more than
// one step apart in the event stream); pause, stepOnce, stop, evaluate and live changes act on all; a
// failure of one replica pauses them all naming its seed, and resume retries it with nothing lost; a
// lost device resumes them all; SFT warm-ups and self-play loops run per replica; and
// replica k is exactly the single-seed run with seed replicaSeed(config, k).
import { afterEach, describe, expect, it } from 'vitest';
import { experimentSchema, replicaSeed, type ExperimentConfig } from '../experiment/schema';
import { parseCheckpoint } from '../model/checkpoint';
import type { GptConfig } from '../model/config';
import { verifierReward } from '../rl/rollout';
import type { StepMetrics } from '../rl/metrics';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { cpuBackend } from './backendSelection';
import type { EventOf } from './protocol';
import { sessionHarness } from './sessionTestHarness';
import type { TrainingSession, TrainingSessionOptions } from './trainingSession';

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };
const IDS = ['s-a', 's-b', 's-c'];

function config(seeds: number, seed = 11, run: Partial<ExperimentConfig['run']> = {}): ExperimentConfig {
  return experimentSchema.parse({
    seed,
    seeds,
    task: { id: 'addition', arms: [] },
    model: { init: 'random' },
    algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 3 },
    run: { steps: 1000, evalEvery: 0, evalPrompts: 2, evalSamples: 2, ...run },
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

/** Metrics steps per replica id, in arrival order. */
function stepsById(metrics: EventOf<'metrics'>[]): Record<string, number[]> {
  const out: Record<string, number[]> = Object.fromEntries(IDS.map((id) => [id, []]));
  for (const m of metrics) out[m.runId].push(m.step);
  return out;
}

/** The largest gap, at any point of the event stream, between the replicas' counts of steps sent. */
function maxLead(metrics: EventOf<'metrics'>[]): number {
  const count: Record<string, number> = Object.fromEntries(IDS.map((id) => [id, 0]));
  let lead = 0;
  for (const m of metrics) {
    count[m.runId]++;
    lead = Math.max(lead, Math.max(...Object.values(count)) - Math.min(...Object.values(count)));
  }
  return lead;
}

/** Everything a step measured except its wall-clock timings. */
function measured(m: StepMetrics): Omit<StepMetrics, 'step_time' | 'tokens_per_second'> {
  const { step_time: _t, tokens_per_second: _s, ...rest } = m;
  return rest;
}

describe('a multi-seed run in the session', () => {
  it('trains three replicas together under their own ids; pause, stepOnce, evaluate and stop act on all', async () => {
    const { session, of, next } = harness();
    await session.init();
    const sixth = next('metrics', (e) => e.runId === IDS[2] && e.step === 5);
    await session.handle({ type: 'start', runIds: IDS, config: config(3) });
    expect(of('runInfo').map((e) => e.runId)).toEqual(IDS);
    await sixth;
    await session.handle({ type: 'pause' });
    expect(of('status').at(-1)).toMatchObject({ state: 'paused', runId: IDS[0], runIds: IDS });

    // Paused between rounds: every replica has sent the same steps, 0, 1, … in order.
    const byId = stepsById(of('metrics'));
    const n = byId[IDS[0]].length;
    expect(n).toBeGreaterThanOrEqual(6);
    for (const id of IDS) expect(byId[id]).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(maxLead(of('metrics'))).toBeLessThanOrEqual(1);
    expect(session.step).toBe(n);
    // Replicas differ: each trains on its own seed's data and sampling.
    const firsts = IDS.map((id) => of('metrics').find((m) => m.runId === id && m.step === 0)!.metrics);
    expect(new Set(firsts.map((m) => m.entropy)).size).toBe(3);

    await new Promise((r) => setTimeout(r, 50));
    expect(of('metrics').length).toBe(3 * n); // no step after `status paused`

    await session.handle({ type: 'stepOnce' });
    expect(of('metrics').slice(3 * n).map((m) => [m.runId, m.step])).toEqual(IDS.map((id) => [id, n]));
    expect(session.currentState).toBe('paused');

    await session.handle({ type: 'evaluate', requestId: 7 });
    expect(of('evaluation').map((e) => [e.runId, e.step, e.requestId])).toEqual(IDS.map((id) => [id, n + 1, 7]));
    // The ruler is shared: held-out prompts and sampling do not depend on the training seed, so the
    // replicas' evaluations differ only through their policies (here: the same prompts).
    const prompts = of('evaluation').map((e) => e.results.map((r) => r.arm).join());
    expect(new Set(prompts).size).toBe(1);

    await session.handle({ type: 'resume' });
    await next('metrics', (e) => e.runId === IDS[2] && e.step === n + 2);
    await session.handle({ type: 'stop' });
    expect(of('status').at(-1)).toMatchObject({ state: 'stopped', runIds: IDS });
    const final = of('metrics').length;
    expect(final % 3).toBe(0); // stopped between rounds
    await new Promise((r) => setTimeout(r, 50));
    expect(of('metrics').length).toBe(final);
    expect(maxLead(of('metrics'))).toBeLessThanOrEqual(1);
    expect(of('error')).toEqual([]);
  });

  it('replica k is the single-seed run with seed replicaSeed(config, k), exactly (first steps)', async () => {
    const multi = harness();
    await multi.session.init();
    await multi.session.handle({ type: 'start', runIds: IDS, config: config(3), paused: true });
    for (let i = 0; i < 2; i++) await multi.session.handle({ type: 'stepOnce' });
    for (let k = 0; k < 3; k++) {
      const single = harness();
      await single.session.init();
      await single.session.handle({ type: 'start', runIds: ['one'], config: config(1, replicaSeed(config(3), k)), paused: true });
      for (let i = 0; i < 2; i++) await single.session.handle({ type: 'stepOnce' });
      const mine = multi.of('metrics').filter((m) => m.runId === IDS[k]);
      const theirs = single.of('metrics');
      expect(mine.map((m) => m.step)).toEqual([0, 1]);
      for (const i of [0, 1]) expect(measured(mine[i].metrics)).toEqual(measured(theirs[i].metrics));
      expect(mine[0].curriculum).toEqual(theirs[0].curriculum);
    }
  });

  it('a failing reward in one replica pauses all, naming its seed; resume retries it, nothing lost or sent twice', async () => {
    let failSeed: number | null = null;
    const { session, of, next } = harness({
      reward: (c, task) => {
        const verify = verifierReward(task);
        return async (inputs) => {
          if (c.seed === failSeed) throw new Error('the reward broke');
          return verify(inputs);
        };
      },
    });
    await session.init();
    await session.handle({ type: 'start', runIds: IDS, config: config(3, 40), paused: true });
    await session.handle({ type: 'stepOnce' });
    failSeed = 41; // the second replica
    const failed = next('error');
    await session.handle({ type: 'stepOnce' });
    const error = await failed;
    expect(error.runId).toBe(IDS[1]);
    expect(error.message).toMatch(/^Seed 41 \(replica 2 of 3\): /);
    expect(session.currentState).toBe('paused');
    // The first replica did its step 1; the others wait for the retry.
    expect(of('metrics').map((m) => [m.runId, m.step])).toEqual([...IDS.map((id) => [id, 0]), [IDS[0], 1]]);

    failSeed = null;
    await session.handle({ type: 'stepOnce' }); // finishes the round: the second and third replicas' step 1
    await session.handle({ type: 'stepOnce' });
    const byId = stepsById(of('metrics'));
    for (const id of IDS) expect(byId[id]).toEqual([0, 1, 2]);
    expect(maxLead(of('metrics'))).toBeLessThanOrEqual(1);
  });

  it('live changes apply to every replica, each keeping its seed; a snapshot names its replica', async () => {
    const { session, of } = harness();
    await session.init();
    await session.handle({ type: 'start', runIds: IDS, config: config(3, 5), paused: true });
    await session.handle({ type: 'updateConfig', patch: { algorithm: { lr: 2e-3 }, seed: 9 } });
    expect(of('configUpdated')[0].applied).toEqual(['algorithm.lr']);
    expect(of('configUpdated')[0].refused.map((r) => r.field)).toEqual(['seed']);
    for (const [k, id] of IDS.entries()) {
      await session.handle({ type: 'snapshot', runId: id, requestId: k });
      const snap = of('snapshot').at(-1)!;
      expect(snap.runId).toBe(id);
      const experiment = JSON.parse(parseCheckpoint(snap.bytes).metadata.experiment) as ExperimentConfig;
      expect(experiment.algorithm.lr).toBe(2e-3);
      expect(experiment.seed).toBe(5 + k);
    }
  });

  it('an SFT warm-up and a self-play loop run per replica, each with its own phases', async () => {
    const { session, of, next } = harness();
    await session.init();
    const base = config(2, 3, { steps: 2 });
    const sft = { ...base, model: { ...base.model, init: 'sft' as const, sftSteps: 2, sftBatch: 4 } };
    const finished = next('status', (e) => e.state === 'stopped');
    await session.handle({ type: 'start', runIds: IDS.slice(0, 2), config: sft });
    await finished;
    // Each replica warms up (its own seeded init and data), then RL: warm-up rounds, then RL rounds.
    expect(of('sftProgress').map((e) => [e.runId, e.step])).toEqual([[IDS[0], 1], [IDS[1], 1], [IDS[0], 2], [IDS[1], 2]]);
    expect(of('metrics').map((e) => [e.runId, e.step])).toEqual([[IDS[0], 0], [IDS[1], 0], [IDS[0], 1], [IDS[1], 1]]);
    expect(of('sftProgress')[0].loss).not.toBe(of('sftProgress')[1].loss);

    const loop = experimentSchema.parse({ ...base, selfplay: { loop: 'spin', iterations: 2, spin: { datasetSize: 4 } } });
    const done = next('status', (e) => e.state === 'stopped');
    await session.handle({ type: 'start', runIds: ['sp-a', 'sp-b'], config: loop });
    expect((await done).message).toMatch(/self-play iterations.*\(2 seeds\)/);
    const iterations = of('selfplayMetrics').map((e) => [e.runId, e.iteration]);
    expect(iterations).toEqual([['sp-a', 0], ['sp-a', 1], ['sp-b', 0], ['sp-b', 1], ['sp-a', 2], ['sp-b', 2]]);
  });

  it('a lost device while running resumes every replica: steps consecutive per seed, none sent twice, in lockstep', async () => {
    let loseDevice: (reason: string) => void = () => {};
    const { session, of, next } = harness({
      createBackend: async () => ({ ...cpuBackend(), lost: new Promise<string>((resolve) => (loseDevice = resolve)) }),
    });
    await session.init();
    await session.handle({ type: 'start', runIds: IDS, config: config(3) });
    // Lost in the middle of a round: the second replica has sent step 2, the third not yet.
    await next('metrics', (e) => e.runId === IDS[1] && e.step === 2);
    const error = next('error');
    const resumed = next('status', (e) => /Resumed/.test(e.message ?? ''));
    loseDevice('The GPU device was lost (unknown): test.');
    expect(await error).toMatchObject({ kind: 'device-lost', runId: IDS[0] });
    expect((await resumed).runIds).toEqual(IDS);
    await next('metrics', (e) => e.runId === IDS[2] && e.step === 6);
    await session.handle({ type: 'pause' });
    const byId = stepsById(of('metrics'));
    for (const id of IDS) expect(byId[id]).toEqual(byId[id].map((_, i) => i)); // consecutive from 0, none twice
    expect(maxLead(of('metrics'))).toBeLessThanOrEqual(1);
    expect(of('ready').length).toBe(2);
  });

  it('refuses a start whose record ids do not match its seeds', async () => {
    const { session, of } = harness();
    await session.init();
    await session.handle({ type: 'start', runIds: IDS.slice(0, 2), config: config(3) });
    expect(of('error')[0]).toMatchObject({ kind: 'config', runId: IDS[0] });
    expect(of('error')[0].message).toMatch(/2 record ids for 3 seeds/);
    expect(session.currentState).toBe('error');
  });
});
