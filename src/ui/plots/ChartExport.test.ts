import { describe, expect, it } from 'vitest';
import { decodeExperiment } from '../../experiment/urlCodec';
import { defaultExperiment } from '../../experiment/schema';
import type { RunRecord } from '../../state/runsStore';
import { figureCaption } from './ChartExport';
import type { RunSeries } from './series';

const config = { ...defaultExperiment(), seeds: 3, algorithm: { ...defaultExperiment().algorithm, lr: 3e-3, klCoef: 0.05, positiveWeight: 0, clipHigh: 0.28, ppoEpochs: 2 } };
const run = { id: 'a', config } as RunRecord;
const line = (over: Partial<RunSeries>): RunSeries => ({ runId: 'g', runLabel: 'lr=3e-3 ×3 seeds', color: '#fff', line: 'v', lineLabel: 'v', dash: '', points: [], members: ['a', 'b', 'c'], ...over });

describe('figureCaption', () => {
  it('gives each run in the legend once: every config change (not cut at four) and a link that decodes to its config', () => {
    const lines = figureCaption([line({}), line({ line: 'w' }), line({ runId: 'a', thin: true, members: undefined })], [run], 'https://lab/');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^lr=3e-3 ×3 seeds: /);
    for (const part of ['lr=', 'KL β=', 'λ+=0', 'ε_high=', 'PPO epochs=2', 'seeds=3']) expect(lines[0]).toContain(part);
    expect(lines[1].startsWith('https://lab/#v=')).toBe(true);
    expect(decodeExperiment(lines[1].slice('https://lab/'.length)).config).toEqual(config);
  });
});
