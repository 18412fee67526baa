// The session's one failure policy: what a failed step, warm-up step, loop iteration or evaluation
// leads to. A lost device is checked first, by the session (it must wait for the device's signal);
// everything else is decided here from the error alone. A failure of one replica of a multi-seed run
// (ReplicaError) acts on the whole run, with the replica's seed named in the message.
import { NonFiniteStepError } from '../rl/trainer';
import { PhaseStepError, PhaseStopError } from './phases/phase';
import type { ErrorDetailMap, ErrorKind } from './protocol';
import { ReplicaError } from './replicaSet';
import { RewardFailedError } from './sessionRewards';

export type FailureAction =
  /** Pause the run with its state kept; resume retries. */
  | { kind: 'pause'; error: { [K in ErrorKind]: { kind: K; message: string; detail: ErrorDetailMap[K] } }[ErrorKind]; status?: string }
  /** The run cannot go on with these settings: stop it, with the remedy. */
  | { kind: 'stop'; message: string }
  /** A command's job failed (not the run's loop): report it, change nothing. */
  | { kind: 'report'; message: string; stack?: string };

/** The error a phase wrapped (in a replica), or the error itself. */
export function rootCause(error: unknown): unknown {
  const inner = error instanceof ReplicaError ? error.cause : error;
  return inner instanceof PhaseStepError ? inner.cause : inner;
}

/** `step`: the phase's step when it failed; `during`: the failure interrupted the run's loop. */
export function failureAction(error: unknown, step: number, during: boolean): FailureAction {
  if (!(error instanceof ReplicaError)) return phaseFailureAction(error, step, during);
  const action = phaseFailureAction(error.cause, step, during);
  const prefix = error.prefix;
  if (action.kind === 'pause') return { ...action, error: { ...action.error, message: prefix + action.error.message } as typeof action.error };
  return { ...action, message: prefix + action.message };
}

function phaseFailureAction(error: unknown, step: number, during: boolean): FailureAction {
  const cause = rootCause(error);
  if (cause instanceof NonFiniteStepError) {
    const s = cause.metrics.step;
    return {
      kind: 'pause',
      error: {
        kind: 'nonfinite',
        message: `Step ${s} produced a non-finite ${cause.quantities.join(', ')}: its update was undone (the weights and optimizer state are ${s === 0 ? 'the initial ones' : `those after step ${s - 1}`}) and the run is paused. Lower the learning rate, then resume.`,
        detail: { quantities: cause.quantities, metrics: cause.metrics },
      },
    };
  }
  if (cause instanceof RewardFailedError) {
    return {
      kind: 'pause',
      error: { kind: 'reward', message: cause.message, detail: { sample: cause.sample, sampleIndex: cause.sampleIndex, rewardError: cause.rewardError } },
      status: 'The reward failed: fix it and resume to retry the step.',
    };
  }
  if (error instanceof PhaseStopError) return { kind: 'stop', message: error.message };
  const stack = (cause as Error)?.stack;
  const message = error instanceof PhaseStepError ? `${error.message}. ${error.retryHint}` : `Step ${step} failed: ${(cause as Error)?.message ?? String(cause)}`;
  if (!during) return { kind: 'report', message, ...(stack ? { stack } : {}) };
  return { kind: 'pause', error: { kind: 'internal', message, detail: stack ? { stack } : {} } };
}
