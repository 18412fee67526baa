// The Runs panel's row actions on a multi-seed run reach every replica, and only them.
import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../../experiment/schema';
import { groupRuns } from '../../state/runGroups';
import { useRunsStore } from '../../state/runsStore';
import { deleteGroup, renameGroup, setGroupVisible } from './groupActions';

describe('group actions', () => {
  it('show/hide, rename and delete act on every seed of the group, and on nothing else', () => {
    const store = useRunsStore.getState();
    const other = store.createRun(experimentSchema.parse({ seed: 1 }), 'other');
    const ids = store.createRunGroup(experimentSchema.parse({ seed: 5, seeds: 3 }), 'three');
    const group = () => groupRuns(useRunsStore.getState().runs).find((g) => g.id !== other)!;
    const record = (id: string) => useRunsStore.getState().runs.find((r) => r.id === id);
    store.toggleVisible(ids[1]); // out of step: hidden while the others show

    setGroupVisible(useRunsStore.getState(), group(), false);
    expect(ids.map((id) => record(id)?.visible)).toEqual([false, false, false]);
    setGroupVisible(useRunsStore.getState(), group(), true);
    expect(ids.map((id) => record(id)?.visible)).toEqual([true, true, true]);

    renameGroup(useRunsStore.getState(), group(), '  renamed ');
    expect(ids.map((id) => record(id)?.label)).toEqual(['renamed', 'renamed', 'renamed']);
    expect(group().label).toBe('renamed');

    deleteGroup(useRunsStore.getState(), group());
    expect(ids.map(record)).toEqual([undefined, undefined, undefined]);
    expect(record(other)).toMatchObject({ label: 'other', visible: true });
  });
});
