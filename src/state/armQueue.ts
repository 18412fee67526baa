// "Run all arms" of a gallery card: its arms (one preset each) run one after another on the device —
// one run at a time, as the worker trains one — each labelled by what sets it apart from the others,
// all overlaid in the plots as they finish. The queue moves on when an arm finishes its steps; anything
// else ends it, and says so: the reader stopping the arm (or "Stop" on the queue), an arm failing,
// another run replacing it, or its cost being declined. `queueEvent` is that decision, free of stores.
import { create } from 'zustand';
import type { ExperimentConfig } from '../experiment/schema';
import { useSessionStore, type SessionStoreState } from './sessionStore';

export interface QueuedArm {
  label: string;
  config: ExperimentConfig;
}

export interface ArmQueue {
  title: string;
  arms: QueuedArm[];
  /** The arm asked for or running now (0-based). */
  index: number;
  /** The current arm's run; null until it starts (the cost dialog may still be asking). */
  runId: string | null;
  /** The active run before the current arm was asked for: a new active run is the arm's. */
  before: string | null;
  /** The first run id of each arm started so far. */
  runIds: string[];
}

export type SessionView = Pick<SessionStoreState, 'activeRunId' | 'state' | 'step' | 'pendingCost'>;

export type QueueEvent = { kind: 'none' } | { kind: 'started'; runId: string } | { kind: 'finished' } | { kind: 'ended'; why: string };

/** What a change of the session (prev → now) means for the queue. */
export function queueEvent(q: ArmQueue, prev: SessionView, now: SessionView): QueueEvent {
  const which = `arm ${q.index + 1} of ${q.arms.length}`;
  if (q.runId === null) {
    if (now.activeRunId !== null && now.activeRunId !== q.before) return { kind: 'started', runId: now.activeRunId };
    if (prev.pendingCost && !now.pendingCost) return { kind: 'ended', why: `Arm ${q.index + 1} of ${q.arms.length} was not started (its cost was declined).` };
    return { kind: 'none' };
  }
  if (now.activeRunId !== q.runId) return { kind: 'ended', why: `Another run replaced ${which}.` };
  if (now.state === 'error' && prev.state !== 'error') return { kind: 'ended', why: `Arm ${q.index + 1} of ${q.arms.length} failed.` };
  if (now.state === 'stopped' && prev.state !== 'stopped') {
    if (now.step >= q.arms[q.index].config.run.steps) return { kind: 'finished' };
    return { kind: 'ended', why: `Stopped at ${which} (step ${now.step}); the rest did not run.` };
  }
  return { kind: 'none' };
}

export interface ArmQueueState {
  queue: ArmQueue | null;
  /** How the last queue ended, in words (shown until the next queue starts). */
  outcome: string | null;
  /** Runs every arm in turn. Returns the first arm's config problems instead when it does not load. */
  runAll(title: string, arms: QueuedArm[]): string[] | null;
  /** Ends the queue: the running arm stops, the rest never start. */
  stop(): void;
}

export const useArmQueue = create<ArmQueueState>()((set, get) => {
  function end(outcome: string): void {
    set({ queue: null, outcome });
  }

  function startArm(q: ArmQueue, index: number): string[] | null {
    const arm = q.arms[index];
    set({ queue: { ...q, index, runId: null, before: useSessionStore.getState().activeRunId } });
    // The cost dialog asks once, for the first arm: the others are the same size.
    const problems = useSessionStore.getState().loadAndRun(arm.config, { label: arm.label, confirmed: index > 0 });
    if (problems) end(`Arm ${index + 1} of ${q.arms.length} (${arm.label}) did not load: ${problems.join('; ')}`);
    return problems;
  }

  useSessionStore.subscribe((now, prev) => {
    const q = get().queue;
    if (!q) return;
    const event = queueEvent(q, prev, now);
    if (event.kind === 'started') set({ queue: { ...q, runId: event.runId, runIds: [...q.runIds, event.runId] } });
    else if (event.kind === 'ended') end(event.why);
    else if (event.kind === 'finished') {
      if (q.index + 1 >= q.arms.length) end(`All ${q.arms.length} arms of “${q.title}” finished.`);
      // The next arm starts after this change has reached every subscriber.
      else queueMicrotask(() => void (get().queue === q && startArm(q, q.index + 1)));
    }
  });

  return {
    queue: null,
    outcome: null,
    runAll(title, arms) {
      if (arms.length === 0) return ['The card has no arms to run.'];
      set({ outcome: null });
      return startArm({ title, arms, index: 0, runId: null, before: null, runIds: [] }, 0);
    },
    stop() {
      const q = get().queue;
      if (!q) return;
      end(`Stopped at arm ${q.index + 1} of ${q.arms.length}; the rest did not run.`);
      useSessionStore.getState().stop();
    },
  };
});
