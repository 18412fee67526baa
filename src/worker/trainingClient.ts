// The main thread's handle on the training worker: typed `send(command)` and `on(type, handler)`.
// The page never touches the GPU; it only sends commands and listens.
import type { EventOf, TrainingCommand, TrainingEvent, TrainingEventType } from './protocol';

type Handler<K extends TrainingEventType> = (event: EventOf<K>) => void;

/** The part of a Worker the client uses (tests may pass a fake). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
  terminate(): void;
}

export function createTrainingWorker(): Worker {
  return new Worker(new URL('./trainingWorker.ts', import.meta.url), { type: 'module', name: 'rlvr-training' });
}

export class TrainingClient {
  private readonly handlers = new Map<TrainingEventType, Set<(event: TrainingEvent) => void>>();
  private readonly anyHandlers = new Set<(event: TrainingEvent) => void>();
  private terminated = false;

  constructor(private readonly worker: WorkerLike = createTrainingWorker()) {
    worker.addEventListener('message', (e: MessageEvent) => this.dispatch(e.data as TrainingEvent));
    // The worker script failed to load or threw at top level: report it like any other error.
    worker.addEventListener('error', (e: ErrorEvent) => {
      this.dispatch({ type: 'error', runId: null, kind: 'internal', message: `The training worker crashed: ${e.message || 'unknown error'}` });
    });
  }

  send(command: TrainingCommand, transfer: Transferable[] = []): void {
    if (this.terminated) throw new Error('The training worker was terminated.');
    this.worker.postMessage(command, transfer);
  }

  /** Subscribes to one event type; returns the unsubscribe function. */
  on<K extends TrainingEventType>(type: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    const h = handler as (event: TrainingEvent) => void;
    set.add(h);
    return () => set.delete(h);
  }

  /** Every event (e.g. for a run record that logs them all). */
  onAny(handler: (event: TrainingEvent) => void): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  /** The next event of a type that satisfies `predicate`. */
  next<K extends TrainingEventType>(type: K, predicate: (event: EventOf<K>) => boolean = () => true): Promise<EventOf<K>> {
    return new Promise((resolve) => {
      const off = this.on(type, (event) => {
        if (!predicate(event)) return;
        off();
        resolve(event);
      });
    });
  }

  terminate(): void {
    this.terminated = true;
    this.worker.terminate();
    this.handlers.clear();
    this.anyHandlers.clear();
  }

  private dispatch(event: TrainingEvent): void {
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') return;
    for (const h of this.handlers.get(event.type) ?? []) h(event);
    for (const h of this.anyHandlers) h(event);
  }
}
