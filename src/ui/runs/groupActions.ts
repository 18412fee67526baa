// What the Runs panel's row buttons do to a run as the user sees it: a multi-seed run's replicas are
// shown, hidden, renamed and deleted together (a single-seed run is a group of one).
import type { RunGroup } from '../../state/runGroups';
import type { RunsState } from '../../state/runRecord';

type Store = Pick<RunsState, 'toggleVisible' | 'deleteRun' | 'setLabel'>;

/** Brings every replica to `visible` (the store toggles one record at a time). */
export function setGroupVisible(store: Store, group: RunGroup, visible: boolean): void {
  for (const r of group.replicas) if (r.visible !== visible) store.toggleVisible(r.id);
}

export function renameGroup(store: Store, group: RunGroup, label: string): void {
  const next = label.trim();
  if (next) for (const r of group.replicas) store.setLabel(r.id, next);
}

export function deleteGroup(store: Store, group: RunGroup): void {
  for (const r of group.replicas) store.deleteRun(r.id);
}
