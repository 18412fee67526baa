// Host side of the reward sandbox: runs user-written reward code over a batch in a dedicated worker
// (rewardSandbox.worker.ts, whose header states the security model) and always answers with an outcome —
// it never throws for anything the user code does. One batch at a time (calls queue); a watchdog
// terminates the worker when a batch runs past its deadline, and the next call spawns a fresh one.
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

export class RewardSandbox {
  private worker: Worker | null = null;
  /** The code the current worker has compiled (or will compile next): other code gets a fresh worker. */
  private workerCode: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private disposed = false;
  private spawned = 0;

  constructor(private readonly options: RewardSandboxOptions = {}) {}

  /** Workers started so far (a timeout or new code costs one); for tests and diagnostics. */
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
  }

  private async evaluateNow(code: string, samples: readonly RewardInput[], options: EvaluateOptions): Promise<RewardOutcome> {
    try {
      if (this.disposed) return failure('crash', 'the reward sandbox has been disposed');
      if (typeof code !== 'string') return failure('compile', 'reward code does not compile: the code is not text');
      if (code.length > MAX_REWARD_CODE_LENGTH) {
        return failure('compile', `reward code does not compile: it is ${code.length} characters long (at most ${MAX_REWARD_CODE_LENGTH})`);
      }
      const timeoutMs = options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_REWARD_TIMEOUT_MS;
      // Fresh realm for new code: nothing one piece of code did to its globals can reach the next.
      if (this.worker && this.workerCode !== code) this.kill();
      if (!this.worker) {
        const started = await this.spawn();
        if (started) return started;
      }
      this.workerCode = code;
      const input = samples.map(({ prompt, completion, answer, task, arm }) => ({ prompt, completion, answer, task, arm }));
      return await this.call(this.worker!, { type: 'evaluate', id: this.nextId++, code, samples: input }, samples, timeoutMs);
    } catch (e) {
      this.kill();
      return failure('crash', `the reward sandbox failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Starts a worker and waits until it has hardened itself; returns a failure outcome if it cannot. */
  private spawn(): Promise<RewardOutcome | null> {
    const worker = (this.options.createWorker ?? defaultWorker)();
    this.spawned++;
    this.worker = worker;
    this.workerCode = null;
    // Errors user code leaves behind (e.g. a throw in a queued microtask) must not surface on the page.
    worker.addEventListener('error', (event) => event.preventDefault());
    const timeoutMs = this.options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    return new Promise((resolve) => {
      const done = (outcome: RewardOutcome | null) => {
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if (outcome) this.kill();
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
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
    });
  }

  private call(worker: Worker, request: EvaluateRequest, samples: readonly RewardInput[], timeoutMs: number): Promise<RewardOutcome> {
    return new Promise((resolve) => {
      const done = (outcome: RewardOutcome) => {
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        worker.removeEventListener('messageerror', onMessageError);
        if (!outcome.ok && (outcome.error.kind === 'timeout' || outcome.error.kind === 'crash')) this.kill(worker);
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
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.addEventListener('messageerror', onMessageError);
      try {
        worker.postMessage(request);
      } catch (e) {
        done(failure('crash', `the reward sandbox could not be sent the batch: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  /** Terminates the worker (the given one, or the current); the next call spawns a fresh one. */
  private kill(worker: Worker | null = this.worker): void {
    worker?.terminate();
    if (worker === this.worker) {
      this.worker = null;
      this.workerCode = null;
    }
  }
}
