import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../experiment/schema';
import type { RunRecord } from './runRecord';
import { groupRuns, seedsSuffix } from './runGroups';

function record(id: string, replica?: RunRecord['replica']): RunRecord {
  const config = { ...defaultExperiment(), seed: 7 };
  return { id, label: id, color: '#fff', config, createdAt: 0, visible: true, status: 'stopped', error: null, metrics: [], evaluations: [], samples: [], curriculum: null, selfplay: null, replica };
}

describe('groupRuns', () => {
  it('gathers replicas by group in seed order and keeps single runs as groups of one', () => {
    const runs = [
      record('solo'),
      record('b1', { groupId: 'g', seed: 8, index: 1, count: 2 }),
      record('b0', { groupId: 'g', seed: 7, index: 0, count: 2 }),
    ];
    const groups = groupRuns(runs);
    expect(groups.map((g) => g.id)).toEqual(['solo', 'g']);
    expect(groups[0].seeds).toEqual([7]);
    expect(groups[1].replicas.map((r) => r.id)).toEqual(['b0', 'b1']);
    expect(groups[1].seeds).toEqual([7, 8]);
    expect(seedsSuffix(groups[0])).toBe('');
    expect(seedsSuffix(groups[1])).toBe(' ×2 seeds');
  });
});
