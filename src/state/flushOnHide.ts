// The last steps survive a reload or a closed tab: metrics reach the runs store as they arrive, but its
// IndexedDB writes are batched a few times a second (and the step counter is shown once per frame), so
// without this the last fraction of a second of a run was lost whenever the page went away.
//
// Both visibilitychange → hidden (mobile browsers often send nothing after it) and pagehide (sent after
// it on a reload or close) write at once: no reads first and an explicit commit, because no later turn
// of the event loop may come. Only runs this tab holds the write lock of are written that way.
import { useRunsStore } from './runsStore';
import { flushSessionEvents } from './sessionStore';

let installed = false;

export function installFlushOnHide(): void {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  const flush = () => {
    flushSessionEvents();
    void useRunsStore.getState().flushPersistence(true);
  };
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
  window.addEventListener('pagehide', flush);
}
