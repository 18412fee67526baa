// Self-play loops driven through the training session on the CPU backend with a tiny random policy:
// each loop runs its iterations and reports them as selfplayMetrics (finite numbers, flattened keys),
// pause / stepOnce / stop act between iterations, and a failing iteration pauses the run.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { experimentSchema, type ExperimentConfig, type SelfplayLoopKind } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import { VOCAB_SIZE } from '../tasks/tokenizer';
import { flattenMetrics } from '../selfplay/flattenMetrics';
import { SelfplayDriver } from './selfplayDriver';
import { sessionHarness } from './sessionTestHarness';
import { TrainingSession } from './trainingSession';

const tiny: GptConfig = { vocabSize: VOCAB_SIZE, contextLength: 40, dModel: 16, nHeads: 2, nLayers: 1, mlpRatio: 2 };

/** A small self-play experiment: a few proposals / pairs / prompts, 2 held-out prompts per arm. */
function config(loop: Exclude<SelfplayLoopKind, 'none'>, iterations = 2): ExperimentConfig {
  return experimentSchema.parse({
    task: { id: 'addition', arms: [] },
    model: { init: 'random' },
    algorithm: { promptsPerStep: 2, samplesPerPrompt: 2, maxNewTokens: 4 },
    run: { evalPrompts: 2 },
    selfplay: {
      loop,
      iterations,
      proposeSolve: { proposals: 4, solverSamples: 2, warmupSteps: 2 },
      spin: { datasetSize: 4 },
      creatorSolver: { bufferSize: 8 },
      selfConsuming: { prompts: 4, sftSteps: 2 },
    },
  });
}

/** The config with propose/solve's warm-up set to `steps` SFT steps. */
function withWarmup(c: ExperimentConfig, steps: number): ExperimentConfig {
  return { ...c, selfplay: { ...c.selfplay, proposeSolve: { ...c.selfplay.proposeSolve, warmupSteps: steps } } };
}

let sessions: TrainingSession[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sessions) await s.dispose();
  sessions = [];
});

function harness() {
  return sessionHarness(sessions, tiny);
}

/** The metrics each loop's plots read (src/ui/plots/selfplayCharts.ts). */
const KEY_METRICS: Record<Exclude<SelfplayLoopKind, 'none'>, string[]> = {
  'propose-solve': ['validity_rate', 'learnability', 'difficulty/solver_accuracy', 'diversity', 'heldout/mean'],
  spin: ['rewards_real', 'rewards_generated', 'margin', 'discrimination_accuracy', 'heldout/mean'],
  'creator-solver': ['buffer/difficulty', 'informativeness', 'solver_accuracy', 'heldout/mean'],
  'self-consuming': ['heldout/mean', 'diversity', 'mean_length'],
};

describe('self-play runs in the training session', () => {
  it('flattens nested numeric metrics and drops everything else', () => {
    expect(flattenMetrics({ iteration: 3, a: 1, b: { c: 2, d: { e: 3 } }, s: 'x', n: null, f: false, arr: [1, 2], bad: NaN, inf: Infinity })).toEqual({ a: 1, 'b/c': 2, 'b/d/e': 3 });
  });

  for (const loop of Object.keys(KEY_METRICS) as Exclude<SelfplayLoopKind, 'none'>[]) {
    it(`${loop}: 2 iterations, each reported with finite metrics, then the run finishes`, async () => {
      const { session, of, next } = harness();
      await session.init();
      const finished = next('status', (e) => e.state === 'stopped');
      await session.handle({ type: 'start', runIds: [`sp-${loop}`], config: config(loop) });
      const info = of('runInfo')[0];
      expect(info).toMatchObject({ runId: `sp-${loop}`, task: 'addition' });
      expect(info.arms.length).toBeGreaterThan(0);
      const stopped = await finished;
      expect(stopped.message).toMatch(/Finished: 2 self-play iterations/);
      expect(stopped.step).toBe(2);
      expect(of('error')).toEqual([]);
      const reports = of('selfplayMetrics');
      expect(reports.map((e) => e.iteration)).toEqual([0, 1, 2]);
      for (const e of reports) {
        expect(e).toMatchObject({ runId: `sp-${loop}`, loop });
        for (const [key, value] of Object.entries(e.metrics)) expect(Number.isFinite(value), `${key} = ${value}`).toBe(true);
      }
      expect(Object.keys(reports[0].metrics)).toContain('heldout/mean'); // the start's evaluation
      for (const e of reports.slice(1)) for (const key of KEY_METRICS[loop]) expect(e.metrics, key).toHaveProperty([key]);
      expect(of('metrics')).toEqual([]); // no RL steps
      expect(session.step).toBe(2);
    });
  }

  it('pause, stepOnce and stop act between iterations', async () => {
    const { session, of, next } = harness();
    await session.init();
    const second = next('selfplayMetrics', (e) => e.iteration === 2);
    await session.handle({ type: 'start', runIds: ['sp-stop'], config: config('spin', 1000) });
    await second;
    await session.handle({ type: 'pause' });
    expect(of('status').at(-1)).toMatchObject({ state: 'paused' });
    const count = of('selfplayMetrics').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(of('selfplayMetrics').length).toBe(count);

    await session.handle({ type: 'stepOnce' });
    expect(of('selfplayMetrics').length).toBe(count + 1);
    expect(session.step).toBe(of('selfplayMetrics').at(-1)!.iteration);

    await session.handle({ type: 'resume' });
    await next('selfplayMetrics');
    await session.handle({ type: 'stop' });
    expect(of('status').at(-1)).toMatchObject({ state: 'stopped', step: session.step });
    const final = of('selfplayMetrics').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(of('selfplayMetrics').length).toBe(final);
    expect(session.step).toBeLessThan(1000);
    expect(of('error')).toEqual([]);
    // A snapshot of the stopped run still works (the weights stay).
    await session.handle({ type: 'snapshot', requestId: 1 });
    expect(of('snapshot')[0]).toMatchObject({ runId: 'sp-stop', step: session.step });
  });

  it('a failing iteration pauses the run with an internal error; resume retries it', async () => {
    const real = SelfplayDriver.prototype.iterate;
    const spy = vi.spyOn(SelfplayDriver.prototype, 'iterate');
    spy.mockImplementationOnce(function (this: SelfplayDriver) {
      return real.call(this);
    });
    spy.mockImplementationOnce(async () => {
      throw new Error('the loop broke');
    });
    const { session, of, next } = harness();
    await session.init();
    const error = next('error');
    await session.handle({ type: 'start', runIds: ['sp-fail'], config: config('self-consuming', 3) });
    const e = await error;
    expect(e).toMatchObject({ kind: 'internal', runId: 'sp-fail' });
    expect(e.message).toMatch(/Self-play iteration 2 \(self-consuming\) failed: the loop broke/);
    await new Promise((r) => setTimeout(r, 0));
    expect(session.currentState).toBe('paused');
    expect(session.step).toBe(1);
    spy.mockRestore();
    const finished = next('status', (s) => s.state === 'stopped');
    await session.handle({ type: 'resume' });
    await finished;
    expect(of('selfplayMetrics').map((m) => m.iteration)).toEqual([0, 1, 2, 3]);
  });

  it('an sft start warms up first, then the loop runs from the warmed-up policy', async () => {
    const { session, of, next } = harness();
    await session.init();
    const finished = next('status', (e) => e.state === 'stopped');
    const base = config('spin', 1);
    await session.handle({ type: 'start', runIds: ['sp-sft'], config: { ...base, model: { ...base.model, init: 'sft', sftSteps: 2, sftBatch: 4 } } });
    await finished;
    expect(of('error')).toEqual([]);
    expect(of('sftProgress').map((e) => e.step)).toEqual([1, 2]);
    expect(of('selfplayMetrics').map((e) => e.iteration)).toEqual([0, 1]);
    expect(of('log').some((e) => /spin loop starts from the warmed-up policy/.test(e.message))).toBe(true);
  });

  it("propose/solve's seed-problem warm-up reports each step as sftProgress, before iteration 0", async () => {
    const { session, of, next } = harness();
    await session.init();
    const finished = next('status', (e) => e.state === 'stopped');
    await session.handle({ type: 'start', runIds: ['sp-warm'], config: withWarmup(config('propose-solve', 1), 3) });
    await finished;
    expect(of('error')).toEqual([]);
    const progress = of('sftProgress');
    expect(progress.map((e) => [e.runId, e.step, e.total])).toEqual([['sp-warm', 1, 3], ['sp-warm', 2, 3], ['sp-warm', 3, 3]]);
    for (const e of progress) expect(Number.isFinite(e.loss) && e.loss > 0, `loss ${e.loss}`).toBe(true);
    expect(of('selfplayMetrics').map((e) => e.iteration)).toEqual([0, 1]);
    expect(of('log').some((e) => /Propose\/solve warm-up: 3 SFT steps/.test(e.message))).toBe(true);
  });

  it('pause, stepOnce and stop act between the warm-up steps of propose/solve', async () => {
    const { session, of, next } = harness();
    await session.init();
    const second = next('sftProgress', (e) => e.step === 2);
    await session.handle({ type: 'start', runIds: ['sp-warm-pause'], config: withWarmup(config('propose-solve', 1), 50) });
    await second;
    await session.handle({ type: 'pause' });
    const count = of('sftProgress').length;
    expect(count).toBeLessThan(50);
    await new Promise((r) => setTimeout(r, 50));
    expect(of('sftProgress').length).toBe(count);
    await session.handle({ type: 'stepOnce' });
    expect(of('sftProgress').map((e) => e.step).slice(-2)).toEqual([count, count + 1]);
    expect(of('selfplayMetrics')).toEqual([]); // still warming up
    await session.handle({ type: 'stop' });
    expect(of('status').at(-1)).toMatchObject({ state: 'stopped' });
    await new Promise((r) => setTimeout(r, 50));
    expect(of('sftProgress').length).toBe(count + 1);
    expect(of('error')).toEqual([]);
  });

  it('takes no live config changes', async () => {
    const { session, of } = harness();
    await session.init();
    await session.handle({ type: 'start', runIds: ['sp-live'], config: config('spin'), paused: true });
    await session.handle({ type: 'updateConfig', patch: { algorithm: { lr: 1e-3 } } });
    expect(of('configUpdated')[0].applied).toEqual([]);
    expect(of('configUpdated')[0].refused[0].reason).toMatch(/self-play/);
  });
});
