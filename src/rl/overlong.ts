// DAPO's soft overlong punishment (Yu et al. 2025, "DAPO", eq. 13): a length-aware penalty that leaves
// completions alone until they enter the last L_cache tokens before L_max, then ramps linearly to −1.
//
//   R_length(y) = 0                              |y| ≤ L_max − L_cache
//               = ((L_max − L_cache) − |y|) / L_cache   L_max − L_cache < |y| ≤ L_max
//               = −1                             |y| > L_max
//
// It is added to the verifier reward, so a correct but rambling answer is worth less than a crisp one,
// without the cliff of a hard truncation penalty.

export interface OverlongParams {
  /** L_max: the length (completion tokens) at which the punishment reaches −1. */
  maxLength: number;
  /** L_cache: the width of the ramp below L_max. 0 = a hard cut (0 up to L_max, −1 beyond). */
  cacheLength: number;
}

/** Why the parameters are unusable, or null when they are fine. */
export function overlongParamsProblem(params: OverlongParams): string | null {
  const { maxLength, cacheLength } = params;
  if (!Number.isFinite(maxLength) || maxLength <= 0) return `overlong maxLength (L_max) must be a positive number, got ${maxLength}`;
  if (!Number.isFinite(cacheLength) || cacheLength < 0) return `overlong cacheLength (L_cache) must be ≥ 0, got ${cacheLength}`;
  if (cacheLength > maxLength) return `overlong cacheLength (L_cache = ${cacheLength}) must not exceed maxLength (L_max = ${maxLength})`;
  return null;
}

/** The DAPO soft overlong punishment for a completion of `length` tokens: in [−1, 0]. */
export function dapoOverlongPenalty(length: number, params: OverlongParams): number {
  const problem = overlongParamsProblem(params);
  if (problem) throw new Error(problem);
  const { maxLength, cacheLength } = params;
  const start = maxLength - cacheLength;
  if (length <= start) return 0;
  if (length > maxLength) return -1;
  // cacheLength > 0 here: with 0, start = maxLength and one of the branches above returned.
  return (start - length) / cacheLength;
}

/** Defaults when a spec weights `overlong` but gives no parameters: L_max = the task's longest answer, L_cache = a quarter of it. */
export function defaultOverlongParams(maxCompletionLength: number): OverlongParams {
  const maxLength = Math.max(1, maxCompletionLength);
  return { maxLength, cacheLength: Math.max(1, Math.floor(maxLength / 4)) };
}
