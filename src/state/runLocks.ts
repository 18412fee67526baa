// Which tab writes which run, and news of deletions between tabs (see runsStore's header).
//
// Web Locks: a run's lock `rlvr-lab-run:<id>` is taken with ifAvailable (never waited for: a tab that
// cannot write a run simply does not) and held until released or the tab closes — the browser frees a
// closed tab's locks, so a run trained by a tab that was closed becomes writable by the others.
// Without Web Locks (Node, old browsers) this tab is assumed to be the only one.

export interface RunLocks {
  /** Takes the run's write lock if it is free (or already ours); resolves whether this tab holds it. */
  acquire(runId: string): Promise<boolean>;
  /** Whether this tab holds the run's lock now. */
  holds(runId: string): boolean;
  release(runId: string): void;
}

export interface RunsChannel {
  announceDeleted(runId: string): void;
  onDeleted(listener: (runId: string) => void): void;
}

const LOCK_PREFIX = 'rlvr-lab-run:';

/** One tab alone (Node, tests): every lock is granted. */
export function createSingleTabLocks(): RunLocks {
  const held = new Set<string>();
  return {
    acquire: async (runId) => (held.add(runId), true),
    holds: (runId) => held.has(runId),
    release: (runId) => void held.delete(runId),
  };
}

export function createWebRunLocks(manager: LockManager): RunLocks {
  const held = new Map<string, () => void>();
  const asking = new Map<string, Promise<boolean>>();
  return {
    acquire(runId) {
      if (held.has(runId)) return Promise.resolve(true);
      const pending = asking.get(runId);
      if (pending) return pending;
      const request = new Promise<boolean>((resolve) => {
        manager
          .request(`${LOCK_PREFIX}${runId}`, { ifAvailable: true }, (lock) => {
            if (!lock) return resolve(false);
            // Held until release() (or the tab goes away).
            return new Promise<void>((release) => {
              held.set(runId, release);
              resolve(true);
            });
          })
          .catch(() => resolve(false));
      }).finally(() => asking.delete(runId));
      asking.set(runId, request);
      return request;
    },
    holds: (runId) => held.has(runId),
    release(runId) {
      held.get(runId)?.();
      held.delete(runId);
    },
  };
}

export function createDefaultRunLocks(): RunLocks {
  const manager = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  return manager ? createWebRunLocks(manager) : createSingleTabLocks();
}

const CHANNEL_NAME = 'rlvr-lab-runs';

export function createDefaultRunsChannel(): RunsChannel {
  if (typeof BroadcastChannel === 'undefined' || typeof window === 'undefined') return { announceDeleted: () => {}, onDeleted: () => {} };
  const channel = new BroadcastChannel(CHANNEL_NAME);
  return {
    announceDeleted: (runId) => channel.postMessage({ type: 'deleted', runId }),
    onDeleted(listener) {
      channel.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as { type?: unknown; runId?: unknown } | null;
        if (data?.type === 'deleted' && typeof data.runId === 'string') listener(data.runId);
      });
    },
  };
}
