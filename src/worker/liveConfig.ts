// Which config fields a running experiment may change, and applying a patch of them. Everything the
// step reads afresh each time (learning rate, coefficients, clip ranges, λ±, temperature, the user's
// reward code) can change between steps; anything that shapes buffers, data or the model needs a restart.
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import type { ConfigPatch } from './protocol';

export const LIVE_FIELDS: readonly string[] = [
  'algorithm.lr',
  'algorithm.klCoef',
  'algorithm.temperature',
  'algorithm.entropyCoef',
  'algorithm.clipLow',
  'algorithm.clipHigh',
  'algorithm.dualClip',
  'algorithm.positiveWeight',
  'algorithm.negativeWeight',
  // The fix for a failing reward: read per batch by the code reward.
  'reward.code',
];

export interface PatchResult {
  config: ExperimentConfig;
  applied: string[];
  refused: { field: string; reason: string }[];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies the live fields of `patch` one by one (each validated by the schema); refuses the others.
 *  Fields whose value does not change are ignored, so a UI may send the whole config. */
export function applyLivePatch(current: ExperimentConfig, patch: ConfigPatch): PatchResult {
  let config = current;
  const applied: string[] = [];
  const refused: PatchResult['refused'] = [];
  const leaves: [string, string | null, unknown][] = [];
  for (const [key, value] of Object.entries(patch ?? {})) {
    const cur = (current as Record<string, unknown>)[key];
    if (isPlainObject(value) && isPlainObject(cur)) for (const [sub, v] of Object.entries(value)) leaves.push([key, sub, v]);
    else leaves.push([key, null, value]);
  }
  for (const [key, sub, value] of leaves) {
    const field = sub === null ? key : `${key}.${sub}`;
    const section = (config as Record<string, unknown>)[key];
    if (section === undefined || (sub !== null && !(isPlainObject(section) && sub in section))) {
      refused.push({ field, reason: `${field} is not a field of the experiment config.` });
      continue;
    }
    const old = sub === null ? section : (section as Record<string, unknown>)[sub];
    if (sameValue(old, value)) continue;
    if (!LIVE_FIELDS.includes(field) || (field === 'reward.code' && config.reward.kind !== 'code')) {
      refused.push({ field, reason: `Changing ${field} needs a restart: stop the run and start it again.` });
      continue;
    }
    const candidate = sub === null ? { ...config, [key]: value } : { ...config, [key]: { ...(section as object), [sub]: value } };
    const parsed = experimentSchema.safeParse(candidate);
    if (!parsed.success) {
      refused.push({ field, reason: `${field}: ${parsed.error.issues.map((i) => i.message).join('; ')}` });
      continue;
    }
    config = parsed.data;
    applied.push(field);
  }
  return { config, applied, refused };
}
