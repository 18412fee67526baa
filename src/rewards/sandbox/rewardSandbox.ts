// Host side of the reward sandbox: runs user-written reward code over a batch in a dedicated worker
// (rewardSandbox.worker.ts, whose header states the security model) and always answers with an outcome —
// it never throws for anything the user code does. One batch at a time (calls queue); a watchdog
// terminates the worker when a batch runs past its deadline.
//
// Memory bound: every batch gets a fresh worker, terminated when the batch ends. Reward code that keeps
// data between calls (a growing cache, a leak) therefore holds at most one batch's worth, and it is freed
// with the worker; reusing a worker let such code grow until the renderer ran out of memory and the page,
// the training worker and the run died together. Within one batch the time limit bounds what can be
// allocated (SECURITY.md has the figures). Starting a worker costs tens of milliseconds (about 76 ms
// median on a loaded 2-core machine, against under 1 ms for a reused one), so the next batch's worker is
// started as soon as a batch ends — a spare that loads while the trainer generates and steps — and the
// per-batch bound costs the training loop next to nothing. Any N > 1 would let N batches' worth pile up.
//
// The worker is spoken to over a private MessageChannel port handed over in the first message, so
// nothing user code does inside the worker can post to this side.
import type { EvaluateRequest, RewardInput, RewardOutcome, SandboxReply } from './protocol';
import { failure, parseSandboxReply } from './validate';
import { DEFAULT_REWARD_TIMEOUT_MS } from '../spec';

export interface RewardSandboxOptions {
  /** Makes the worker; tests may substitute one. Default: the module worker next to this file. */
  createWorker?: () => Worker;
  /** How long a fresh worker may take to load and harden itself (not counted in a batch's timeout). */
  startupTimeoutMs?: number;
}

export interface EvaluateOptions {
  /** Budget of the whole batch (compiling included), in ms; default DEFAULT_REWARD_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Longer code than this is refused before it reaches the worker. */
export const MAX_REWARD_CODE_LENGTH = 100_000;
const DEFAULT_STARTUP_TIMEOUT_MS = 15_000;

function defaultWorker(): Worker {
  return new Worker(new URL('./rewardSandbox.worker.ts', import.meta.url), { type: 'module', name: 'reward-sandbox' });
}

interface SandboxConnection {
  worker: Worker;
  /** The host's end of the private channel: every reply arrives here. */
  port: MessagePort;
}

export class RewardSandbox {
  private connection: SandboxConnection | null = null;
  /** The next batch's worker, started when the previous batch ended; `ready` as spawn() resolves. */
  private spare: { connection: SandboxConnection; ready: Promise<RewardOutcome | null> } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private disposed = false;
  private spawned = 0;

  constructor(private readonly options: RewardSandboxOptions = {}) {}

  /** Workers started so far (one per batch, the spare for the next included); for tests and diagnostics. */
  get workersStarted(): number {
    return this.spawned;
  }

  /** Runs `reward()` of `code` on every sample, in one message to the worker. Never rejects. */
  evaluate(code: string, samples: readonly RewardInput[], options: EvaluateOptions = {}): Promise<RewardOutcome> {
    const run = this.queue.then(() => this.evaluateNow(code, samples, options));
    this.queue = run;
    return run;
  }

  /** Stops the worker; later calls answer with a 'crash' outcome. */
  dispose(): void {
    this.disposed = true;
    this.kill();
    if (this.spare) this.kill(this.spare.connection);
    this.spare = null;
  }

  private async evaluateNow(code: string, samples: readonly RewardInput[], options: EvaluateOptions): Promise<RewardOutcome> {
    try {
      if (this.disposed) return failure('crash', 'the reward sandbox has been disposed');
      if (typeof code !== 'string') return failure('compile', 'reward code does not compile: the code is not text');
      if (code.length > MAX_REWARD_CODE_LENGTH) {
        return failure('compile', `reward code does not compile: it is ${code.length} characters long (at most ${MAX_REWARD_CODE_LENGTH})`);
      }
      const timeoutMs = options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_REWARD_TIMEOUT_MS;
      // A fresh realm per batch: nothing one batch's code did to its globals or its heap reaches the next.
      this.kill();
      const next = this.spare ?? this.spawn();
      this.spare = null;
      this.connection = next.connection;
      const started = await next.ready;
      if (started) return started;
      const connection = next.connection;
      const input = samples.map(({ prompt, completion, answer, task, arm }) => ({ prompt, completion, answer, task, arm }));
      try {
        return await this.call(connection, { type: 'evaluate', id: this.nextId++, code, samples: input }, samples, timeoutMs);
      } finally {
        this.kill(connection);
        if (!this.disposed) this.spare = this.spawn();
      }
    } catch (e) {
      this.kill();
      return failure('crash', `the reward sandbox failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Starts a worker, hands it the private port and waits until it has hardened itself; returns a
   *  failure outcome if it cannot. */
  private spawn(): { connection: SandboxConnection; ready: Promise<RewardOutcome | null> } {
    const worker = (this.options.createWorker ?? defaultWorker)();
    const channel = new MessageChannel();
    const connection: SandboxConnection = { worker, port: channel.port1 };
    this.spawned++;
    // Errors user code leaves behind (e.g. a throw in a queued microtask) must not surface on the page.
    worker.addEventListener('error', (event) => event.preventDefault());
    const timeoutMs = this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    const ready = new Promise<RewardOutcome | null>((resolve) => {
      const done = (outcome: RewardOutcome | null) => {
        clearTimeout(timer);
        connection.port.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if (outcome) this.kill(connection);
        resolve(outcome);
      };
      const onMessage = (event: MessageEvent<SandboxReply>) => {
        const data = event.data;
        if (data?.type === 'ready') done(null);
        else if (data?.type === 'fatal') done(failure('crash', String(data.message)));
      };
      const onError = (event: ErrorEvent) => {
        event.preventDefault();
        done(failure('crash', `the reward sandbox could not start${event.message ? `: ${event.message}` : ''}`));
      };
      const timer = setTimeout(() => done(failure('crash', `the reward sandbox did not start within ${timeoutMs} ms`)), timeoutMs);
      connection.port.addEventListener('message', onMessage);
      connection.port.start();
      worker.addEventListener('error', onError);
      worker.postMessage({ type: 'connect' }, [channel.port2]);
    });
    return { connection, ready };
  }

  private call(connection: SandboxConnection, request: EvaluateRequest, samples: readonly RewardInput[], timeoutMs: number): Promise<RewardOutcome> {
    const { worker, port } = connection;
    return new Promise((resolve) => {
      const done = (outcome: RewardOutcome) => {
        clearTimeout(timer);
        port.removeEventListener('message', onMessage);
        port.removeEventListener('messageerror', onMessageError);
        worker.removeEventListener('error', onError);
        resolve(outcome);
      };
      const onMessage = (event: MessageEvent) => {
        const outcome = parseSandboxReply(event.data, request.id, samples);
        if (outcome) done(outcome);
      };
      const onError = (event: ErrorEvent) => {
        event.preventDefault();
        done(failure('crash', `the reward sandbox died${event.message ? `: ${event.message}` : ''}; it will be restarted`));
      };
      const onMessageError = () => done(failure('crash', 'the reward sandbox sent a reply that could not be read; it will be restarted'));
      const timer = setTimeout(() => {
        done(
          failure(
            'timeout',
            `reward code did not finish within ${timeoutMs} ms on a batch of ${samples.length} sample${samples.length === 1 ? '' : 's'} ` +
              '(an endless loop, or far too much work?); the sandbox was stopped and will restart for the next batch',
          ),
        );
      }, timeoutMs);
      port.addEventListener('message', onMessage);
      port.addEventListener('messageerror', onMessageError);
      worker.addEventListener('error', onError);
      try {
        port.postMessage(request);
      } catch (e) {
        done(failure('crash', `the reward sandbox could not be sent the batch: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  /** Terminates a worker (the given one, or the current) and closes its port. */
  private kill(connection: SandboxConnection | null = this.connection): void {
    if (!connection) return;
    connection.worker.terminate();
    connection.port.close();
    if (connection === this.connection) this.connection = null;
  }
}
