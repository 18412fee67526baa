// The messages between the host (RewardSandbox) and the sandbox worker, and the outcome the host returns.
// One request per batch; the worker answers each request once, or never (a timeout).

/** What user reward code is called with, once per completion. */
export interface RewardInput {
  prompt: string;
  completion: string;
  answer: string;
  /** Task id, e.g. 'addition'. */
  task: string;
  /** Arm id, e.g. 'd2'. */
  arm: string;
}

/**
 * compile  the code does not parse, uses a forbidden construct, or defines no `reward` function
 * throw    reward() (or the code's top level) threw
 * timeout  the batch ran past its deadline; the worker was terminated and will be respawned
 * invalid  reward() returned something other than a finite number or {reward, components?}
 * crash    the sandbox itself failed (could not start, died, sent a malformed reply)
 */
export type RewardErrorKind = 'compile' | 'throw' | 'timeout' | 'invalid' | 'crash';

export interface RewardError {
  kind: RewardErrorKind;
  /** A sentence for the user, e.g. `reward() returned NaN for sample 3 (completion "12")`. */
  message: string;
  /** The failing sample, when one is known (not for compile errors, crashes or timeouts). */
  sampleIndex?: number;
  sample?: RewardInput;
}

export type RewardOutcome =
  | { ok: true; rewards: number[]; components: Record<string, number>[] }
  | { ok: false; error: RewardError };

export interface EvaluateRequest {
  type: 'evaluate';
  id: number;
  code: string;
  samples: RewardInput[];
}

/** The errors the worker itself reports (timeouts and crashes are the host's to detect). */
export type WorkerErrorKind = 'compile' | 'throw' | 'invalid';

export type SandboxReply =
  /** Hardening is done: user code may be sent. */
  | { type: 'ready' }
  /** Hardening failed: the worker refuses to run user code. */
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; rewards: Float64Array; components: Record<string, number>[] }
  /** `detail` completes a sentence: "returned NaN", "threw RangeError: …"; sampleIndex null = not in a sample. */
  | { type: 'failure'; id: number; kind: WorkerErrorKind; detail: string; sampleIndex: number | null };
