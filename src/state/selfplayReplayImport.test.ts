// A self-play replay in the runs store: the shipped SPIN recording becomes two stopped self-play runs
// (SPIN, then its SFT control) with every iteration, labelled as one seed; shown again — not copied —
// when asked twice, after being hidden, or after a reload from storage.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSelfplayReplay, type SelfplayReplay } from '../experiment/selfplayReplay';
import { createMemoryRunStorage, type RunStorage } from './runPersistence';
import { createRunsStore } from './runsStore';
import { importSelfplayReplay } from './selfplayReplayImport';

function spinReplay(): SelfplayReplay {
  const read = readSelfplayReplay(readFileSync('docs/selfplay/replays/spin.json', 'utf8'));
  if (!read.ok) throw new Error(read.message);
  return read.replay;
}

const store = (storage: RunStorage = createMemoryRunStorage()) => createRunsStore({ storage, requestFrame: () => {}, schedulePersist: () => {}, now: () => 1000 });

describe('importSelfplayReplay', () => {
  const replay = spinReplay();

  it('adds the loop and its control as stopped self-play runs with every iteration; the loop run is active', () => {
    const s = store();
    const { runIds, created } = importSelfplayReplay(s.getState, replay);
    expect(created).toBe(2);
    const runs = runIds.map((id) => s.getState().runs.find((r) => r.id === id)!);
    expect(runs.map((r) => r.label)).toEqual(['SPIN (recorded, one seed)', 'control: SFT on the same pairs (recorded, one seed)']);
    for (const run of runs) {
      expect(run.status).toBe('stopped');
      expect(run.config.selfplay.loop).toBe('spin');
      expect(run.config.preset).toBe('selfplay-spin');
      expect(run.metrics).toEqual([]);
      expect(run.selfplay?.loop).toBe('spin');
      expect(run.selfplay?.points.map((p) => p.iteration)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    }
    // The chart the self-play lesson looks at has a point at every iteration of SPIN.
    expect(runs[0].selfplay!.points.slice(1).every((p) => Number.isFinite(p.metrics.generated_equals_real))).toBe(true);
    expect(runs[0].selfplay!.points[0].metrics['heldout/accuracy/d2']).toBe(0.6328);
    expect(s.getState().activeRunId).toBe(runIds[0]);
  });

  it('asked again (even after hiding one), shows the same runs instead of copying them', () => {
    const s = store();
    const first = importSelfplayReplay(s.getState, replay);
    s.getState().toggleVisible(first.runIds[1]);
    s.getState().setActiveRun(null);
    const again = importSelfplayReplay(s.getState, replay);
    expect(again).toEqual({ runIds: first.runIds, created: 0 });
    expect(s.getState().runs).toHaveLength(2);
    expect(s.getState().runs.every((r) => r.visible)).toBe(true);
    expect(s.getState().activeRunId).toBe(first.runIds[0]);
  });

  it('survives a reload: the stored runs come back with their points and are found again', async () => {
    const storage = createMemoryRunStorage();
    const before = store(storage);
    const { runIds } = importSelfplayReplay(before.getState, replay);
    await before.getState().flushPersistence();
    const after = store(storage);
    await after.getState().loadPersisted();
    expect(after.getState().runs.map((r) => r.id).sort()).toEqual([...runIds].sort());
    expect(after.getState().runs.find((r) => r.id === runIds[0])?.selfplay?.points).toHaveLength(21);
    expect(importSelfplayReplay(after.getState, replay).created).toBe(0);
    expect(after.getState().runs).toHaveLength(2);
  });
});
