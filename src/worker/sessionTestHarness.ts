// Test helper: a TrainingSession on the CPU backend whose events are collected, with `of(type)` (all
// events of a type so far) and `next(type, test)` (the next matching event from now on). Shared by the
// session tests; `sessions` collects every session made so the test file can dispose them afterEach.
import type { GptConfig } from '../model/config';
import { cpuBackend } from './backendSelection';
import type { EventOf, TrainingEvent, TrainingEventType } from './protocol';
import { TrainingSession, type TrainingSessionOptions } from './trainingSession';

export function sessionHarness(sessions: TrainingSession[], randomModelConfig: GptConfig, options: Partial<TrainingSessionOptions> = {}) {
  const events: TrainingEvent[] = [];
  const waiters: { test: (e: TrainingEvent) => boolean; resolve: (e: TrainingEvent) => void }[] = [];
  const session = new TrainingSession({
    createBackend: async () => cpuBackend(),
    randomModelConfig,
    ...options,
    emit: (e) => {
      events.push(e);
      for (const w of waiters.splice(0)) {
        if (w.test(e)) w.resolve(e);
        else waiters.push(w);
      }
    },
  });
  sessions.push(session);
  const of = <K extends TrainingEventType>(type: K) => events.filter((e) => e.type === type) as EventOf<K>[];
  /** The next event of a type (after now) that passes the test. */
  const next = <K extends TrainingEventType>(type: K, test: (e: EventOf<K>) => boolean = () => true) =>
    new Promise<EventOf<K>>((resolve) => waiters.push({ test: (e) => e.type === type && test(e as EventOf<K>), resolve: resolve as (e: TrainingEvent) => void }));
  return { session, events, of, next };
}
