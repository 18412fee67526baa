// A run goes through phases — an SFT warm-up, RL, a self-play loop — each behind this interface. The
// session (../trainingSession.ts) keeps only what is common: the job chain, the state machine,
// device-loss recovery and one failure policy; a phase does its own unit of work per `advance`.
import type { BuiltRun, PhaseKind } from '../../experiment/runBuilder';
import type { ExperimentConfig } from '../../experiment/schema';
import type { TrainingEvent } from '../protocol';

/** What a phase may do to the outside world. */
export interface PhaseContext {
  readonly runId: string;
  readonly run: BuiltRun;
  emit(event: TrainingEvent, transfer?: Transferable[]): void;
  log(message: string): void;
}

/** After an advance: more of this phase, on to the next phase, or the run is finished (with why). */
export type PhaseOutcome = { kind: 'continue' } | { kind: 'next' } | { kind: 'finished'; message: string };

export const CONTINUE: PhaseOutcome = { kind: 'continue' };

export interface Phase {
  readonly kind: PhaseKind;
  /** What status events report as `step`: RL steps done, self-play iterations done (0 in a warm-up). */
  readonly step: number;
  /** The arms this phase trains on (runInfo). */
  readonly arms: string[];
  /** Work before the first advance (e.g. saving the step-0 state a lost device resumes from). */
  begin?(): Promise<void>;
  /** One unit of work: an RL step with the evaluations due, one warm-up step, one loop iteration.
   *  Throws on failure; the session's failure policy decides what follows. */
  advance(): Promise<PhaseOutcome>;
  /** A held-out evaluation now (the `evaluate` command). */
  evaluateNow(requestId?: number): Promise<void>;
  /** A live config change already validated by the session: fields the phase cannot take are refused
   *  with a reason (null: all taken). */
  refuseLiveChange?(): string | null;
  applyConfig?(config: ExperimentConfig): void;
  /** The phase keeps a host copy of its state and can carry on from it on a new device. */
  readonly resumable: boolean;
  /** The step a resume would continue from (resumable phases). */
  readonly resumeStep?: number;
  /** Rebuilds the phase's device state from its host copy on the current (new) backend. */
  recover?(): void;
  /** The run was stopped: free what a stopped run never needs again (the weights stay, for snapshots). */
  stopped?(): void;
  dispose(): void;
}

/** A failure that ends the run (not a pause to retry): the phase cannot go on with these settings. */
export class PhaseStopError extends Error {
  override name = 'PhaseStopError';
}

/** Wraps a failure with what was being done ("SFT warm-up step 3"), keeping the cause for the policy. */
export class PhaseStepError extends Error {
  override name = 'PhaseStepError';
  constructor(
    readonly what: string,
    override readonly cause: unknown,
    readonly retryHint = 'The run is paused; resume to retry.',
  ) {
    super(`${what} failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}
