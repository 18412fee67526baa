// A loop's metrics as one flat record of numbers: what the lab's self-play charts draw. The worker
// flattens each live iteration with it, and the recorded runs (docs/selfplay) are flattened with it into
// their instant replays, so a replay and a live run of the same loop have the same keys and overlay.

/** Keys of a loop's metrics that are not plotted: the iteration index (the event carries it). */
const SKIPPED_KEYS = new Set(['iteration', 'generation']);

/**
 * Nested numeric metrics as one flat record: `{ difficulty: { solver_accuracy: 0.5 } }` →
 * `{ 'difficulty/solver_accuracy': 0.5 }`. Strings, booleans, nulls, arrays (examples, histograms) and
 * non-finite numbers are left out: the record holds exactly what a chart can draw.
 */
export function flattenMetrics(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (typeof value === 'number') {
    if (prefix && Number.isFinite(value)) out[prefix] = value;
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (!prefix && SKIPPED_KEYS.has(key)) continue;
      flattenMetrics(v, prefix ? `${prefix}/${key}` : key, out);
    }
  }
  return out;
}
