import { describe, expect, it } from 'vitest';
import { getTask } from '../tasks/registry';
import { presetConfig } from './presets';
import { defaultExperiment, experimentSchema } from './schema';
import { selfplayArms, toSelfplayLoopConfig } from './toSelfplayConfig';
import { decodeExperiment, encodeExperiment } from './urlCodec';

const addition = getTask('addition');

describe('self-play in the experiment config', () => {
  it('is off by default, and its defaults stay out of links', () => {
    expect(defaultExperiment().selfplay.loop).toBe('none');
    expect(encodeExperiment(defaultExperiment())).toBe('#v=1');
    expect(() => toSelfplayLoopConfig(defaultExperiment(), addition)).toThrow(/no self-play loop/);
  });

  it('round-trips a self-play experiment through a link carrying only what differs', () => {
    const config = experimentSchema.parse({ selfplay: { loop: 'spin', spin: { beta: 0.5, loss: 'hinge' } } });
    const hash = encodeExperiment(config);
    const decoded = decodeExperiment(hash);
    expect(decoded.notes).toEqual([]);
    expect(decoded.config).toEqual(config);
    // Out-of-range values from a link are clamped.
    const wild = decodeExperiment(encodeExperiment({ ...config, selfplay: { ...config.selfplay, spin: { ...config.selfplay.spin, beta: 1e9 } } }));
    expect(wild.config.selfplay.spin.beta).toBe(10);
  });

  it('passes the seed, task, arms, eval size and knobs to each loop', () => {
    const e = experimentSchema.parse({
      seed: 7,
      run: { evalPrompts: 5 },
      selfplay: { loop: 'propose-solve', evalEvery: 3, proposeSolve: { proposals: 6, solverSamples: 3, extremeReward: -0.5, warmupSteps: 10, references: 2 } },
    });
    expect(toSelfplayLoopConfig(e, addition)).toEqual({
      loop: 'propose-solve',
      config: {
        seed: 7,
        task: 'addition',
        proposals: 6,
        solverSamples: 3,
        extremeReward: -0.5,
        references: 2,
        warmup: { steps: 10, arms: ['d1', 'd2'] },
        eval: { arms: ['d1', 'd2', 'd3'], prompts: 5 },
        evalEvery: 3,
      },
    });
    const cs = toSelfplayLoopConfig({ ...presetConfig('selfplay-creator-solver'), task: { id: 'addition', arms: ['d2'] } }, addition);
    expect(cs.loop).toBe('creator-solver');
    if (cs.loop !== 'creator-solver') return;
    expect(cs.config).toMatchObject({ arms: ['d2'], eval: { arms: ['d2'] }, bufferSize: 64, evalEvery: 5 });
    expect(cs.config.rl).toMatchObject({ lr: 5e-4, promptsPerStep: 16, samplesPerPrompt: 8, totalSteps: 100 });
    expect(cs.config.rl).not.toHaveProperty('seed');
    // SPIN: the objective (the SFT control) and the converged-SFT-first cap.
    const sp = toSelfplayLoopConfig(experimentSchema.parse({ selfplay: { loop: 'spin', spin: { objective: 'sft', sftEpochs: 12 } } }), addition);
    expect(sp.config).toMatchObject({ objective: 'sft', sftFirst: { maxEpochs: 12, tolerance: 0.02, minDelta: 0.005, lr: 1e-3 } });
    const sc = toSelfplayLoopConfig(experimentSchema.parse({ selfplay: { loop: 'self-consuming', selfConsuming: { freshFraction: 0.5, curate: true } } }), addition);
    expect(sc.config).toMatchObject({ freshFraction: 0.5, curate: true, prompts: 256, sftSteps: 24, arms: ['d1', 'd2'] });
  });

  it('uses every arm of a task the loop has no default arms for', () => {
    const sorting = getTask('sorting');
    expect(selfplayArms(sorting, [], ['d1', 'd2'])).toEqual(sorting.arms.map((a) => a.id));
    expect(selfplayArms(sorting, ['len5'], ['d1'])).toEqual(['len5']);
    expect(selfplayArms(addition, [], ['d1', 'd2'])).toEqual(['d1', 'd2']);
  });

  it('each self-play preset runs its loop', () => {
    for (const loop of ['propose-solve', 'spin', 'creator-solver', 'self-consuming'] as const) {
      expect(toSelfplayLoopConfig(presetConfig(`selfplay-${loop}`), addition).loop).toBe(loop);
    }
  });
});
