// Links live for years; the schema changes. Each entry of MIGRATIONS turns a payload of version n into
// one of version n + 1, and a link is walked up the chain to SCHEMA_VERSION before it is restored.
// Migrations only move and rename: they never validate (restore does that afterwards, with notes),
// and they read the old payload defensively, since it is untrusted data of unknown shape.
//
// To change the schema: bump SCHEMA_VERSION to n + 1, add MIGRATIONS[n] here, and add a test with a
// link of version n.
import { RESERVED_KEYS, isPlainObject } from './layer';
import type { Notes } from './notes';
import { SCHEMA_VERSION } from './schema';

export type Payload = Record<string, unknown>;
export type Migration = (old: Payload, notes: Notes) => Payload;

/** An own property of a plain object, or undefined (never reads through the prototype). */
function own(obj: unknown, key: string): unknown {
  return isPlainObject(obj) && !RESERVED_KEYS.has(key) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Drops undefined fields and empty objects, so "absent" stays absent after a migration. */
function compact(obj: Payload): Payload {
  const out: Payload = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    if (isPlainObject(value)) {
      const inner = compact(value);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = value;
  }
  return out;
}

/** TRL's `loss_type` names, as version 0 stored them, and the verl names the schema uses. */
const V0_LOSS_TYPES: Record<string, string> = {
  grpo: 'seq-mean-token-mean',
  dr_grpo: 'seq-mean-token-sum-norm',
  dapo: 'token-mean',
  bnpo: 'token-mean',
};

/**
 * Version 0, the first sketch of the lab (never published; it exists to prove this mechanism): one
 * flat object — `{ preset, seed, task: 'addition', G, B, lr, beta, clip, loss: 'grpo' | 'dr_grpo' |
 * 'dapo' | 'bnpo', steps }` — with G/B for samples per prompt and prompts per step, `beta` the KL
 * coefficient, one symmetric `clip`, and TRL's `loss_type` names.
 */
function v0ToV1(old: Payload, notes: Notes): Payload {
  const loss = own(old, 'loss');
  const clip = own(old, 'clip');
  const known = new Set(['preset', 'seed', 'task', 'G', 'B', 'lr', 'beta', 'clip', 'loss', 'steps']);
  const unknown = Object.keys(old).filter((k) => !known.has(k)).length;
  if (unknown > 0) notes.add(`Ignored ${unknown} setting${unknown === 1 ? '' : 's'} that version 0 links did not have.`);
  return compact({
    preset: own(old, 'preset'),
    seed: own(old, 'seed'),
    task: { id: own(old, 'task') },
    algorithm: {
      samplesPerPrompt: own(old, 'G'),
      promptsPerStep: own(old, 'B'),
      lr: own(old, 'lr'),
      klCoef: own(old, 'beta'),
      clipLow: clip,
      clipHigh: clip,
      aggregation: typeof loss === 'string' && Object.hasOwn(V0_LOSS_TYPES, loss) ? V0_LOSS_TYPES[loss] : loss,
    },
    run: { steps: own(old, 'steps') },
  });
}

export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  0: v0ToV1,
};

/** The payload of a link of `version`, brought up to SCHEMA_VERSION; null when it cannot be (a note
 *  says why, and the caller falls back to the defaults). */
export function migrate(version: number, payload: Payload, notes: Notes): Payload | null {
  if (version > SCHEMA_VERSION) {
    notes.add(`This link was made by a newer version of RLVR Lab (format ${version}; this page reads up to ${SCHEMA_VERSION}). Reload the page to get the latest version; for now the defaults are loaded.`);
    return null;
  }
  let current = payload;
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = Object.hasOwn(MIGRATIONS, v) ? MIGRATIONS[v] : undefined;
    if (!step) {
      notes.add(`Links of format ${version} can no longer be read; the defaults are loaded.`);
      return null;
    }
    try {
      current = step(current, notes);
    } catch {
      notes.add(`This link (format ${version}) could not be upgraded; the defaults are loaded.`);
      return null;
    }
  }
  if (version < SCHEMA_VERSION) notes.add(`This link was made by an older version of RLVR Lab (format ${version}); its settings were carried over to format ${SCHEMA_VERSION}.`);
  return current;
}
