// Seeded generators of experiment links for the codec's fuzz tests: valid random configs (which must
// survive a round trip exactly) and hostile links (random JSON, mutated and cut links, random text)
// which must load as a valid config without throwing. Test support only; nothing in the app imports it.
import { compressToEncodedURIComponent } from 'lz-string';
import { z } from 'zod';
import { createRng, type Rng } from '../tasks/random';
import { getTask } from '../tasks/registry';
import { PRESETS } from './presets';
import { SCHEMA_VERSION, experimentSchema, type ExperimentConfig } from './schema';
import { encodeExperiment } from './urlCodec';

const NASTY_STRINGS = ['', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '../../etc/passwd', '__proto__', 'constructor', 'NaN', 'Infinity', '-Infinity', '1e999', '\u0000\u202e', 'ünïcødé 🤖', 'toString'];
const KEYS = ['version', 'preset', 'seed', 'task', 'id', 'arms', 'model', 'init', 'algorithm', 'lr', 'clipHigh', 'dualClip', 'estimator', 'reward', 'code', 'kind', 'run', 'steps', 'curriculum', 'weights', 'alpha', 'window', 'filter', 'lo', 'hi', 'budget', '__proto__', 'constructor', 'prototype', 'polluted', 'junk'];

function randomString(rng: Rng, maxLength: number): string {
  if (rng.nextFloat() < 0.3) return rng.pick(NASTY_STRINGS).slice(0, maxLength);
  const n = rng.nextInt(0, Math.min(maxLength, 24));
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.nextFloat() < 0.9 ? rng.nextInt(32, 126) : rng.nextInt(0, 0xffff));
  return s;
}

/** A random valid value of `schema`. */
function validValue(schema: z.ZodType, rng: Rng): unknown {
  if (schema instanceof z.ZodDefault) return validValue(schema.unwrap() as z.ZodType, rng);
  if (schema instanceof z.ZodDiscriminatedUnion) return validValue(rng.pick(schema.options as unknown as z.ZodType[]), rng);
  if (schema instanceof z.ZodRecord) return {}; // mixture weights: filled with the task's arms below
  if (schema instanceof z.ZodObject) {
    const out: Record<string, unknown> = {};
    for (const [key, s] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const value = validValue(s, rng);
      if (value !== undefined) out[key] = value; // an optional field left out
    }
    return out;
  }
  if (schema instanceof z.ZodOptional) return rng.nextFloat() < 0.3 ? undefined : validValue(schema.unwrap() as z.ZodType, rng);
  if (schema instanceof z.ZodNullable) return rng.nextFloat() < 0.3 ? null : validValue(schema.unwrap() as z.ZodType, rng);
  if (schema instanceof z.ZodNumber) {
    const lo = schema.minValue ?? -1e6;
    const hi = schema.maxValue ?? 1e6;
    if (schema.isInt) return rng.nextFloat() < 0.2 ? rng.pick([lo, hi]) : rng.nextInt(lo, Math.min(hi, lo + 1000));
    return rng.nextFloat() < 0.2 ? rng.pick([lo, hi]) : lo + rng.nextFloat() * (hi - lo);
  }
  if (schema instanceof z.ZodBoolean) return rng.nextFloat() < 0.5;
  if (schema instanceof z.ZodEnum) return rng.pick(schema.options as unknown[]);
  if (schema instanceof z.ZodString) return randomString(rng, schema.maxLength ?? 64);
  if (schema instanceof z.ZodLiteral) return [...schema.values][0];
  if (schema instanceof z.ZodArray) return [];
  throw new Error('linkFuzz: a schema kind the generator does not know');
}

/** A random, fully valid experiment (known preset or none, arms of its task, any in-range values). */
export function randomExperiment(rng: Rng): ExperimentConfig {
  const config = validValue(experimentSchema, rng) as ExperimentConfig;
  config.version = SCHEMA_VERSION;
  config.preset = rng.nextFloat() < 0.5 ? '' : rng.pick(PRESETS).id;
  const arms = getTask(config.task.id).arms.map((a) => a.id);
  config.task.arms = arms.filter(() => rng.nextFloat() < 0.3);
  if (config.curriculum.kind === 'mixture') config.curriculum.weights = Object.fromEntries(arms.filter(() => rng.nextFloat() < 0.7).map((a) => [a, rng.nextInt(0, 10)]));
  if (config.filter.lo > config.filter.hi) config.filter = { ...config.filter, lo: config.filter.hi, hi: config.filter.lo };
  return experimentSchema.parse(config);
}

/** Random JSON, nested up to `depth`, using the schema's own keys, reserved keys and junk. */
function randomJson(rng: Rng, depth: number): unknown {
  const r = rng.nextFloat();
  if (depth <= 0 || r < 0.35) {
    return rng.pick<unknown>([null, true, false, 0, -1, 1e308, -1e-308, rng.nextFloat() * 1e4 - 5e3, rng.nextInt(-1e9, 1e9), randomString(rng, 40), 'addition', 'grpo', 'k3', 'token-mean', 'base', 'random', 'code']);
  }
  if (r < 0.5) return Array.from({ length: rng.nextInt(0, 5) }, () => randomJson(rng, depth - 1));
  const out: Record<string, unknown> = {};
  for (let i = rng.nextInt(0, 6); i > 0; i--) Object.defineProperty(out, rng.nextFloat() < 0.8 ? rng.pick(KEYS) : randomString(rng, 12), { value: randomJson(rng, depth - 1), enumerable: true, writable: true, configurable: true });
  return out;
}

function mutate(link: string, rng: Rng): string {
  let s = link;
  for (let i = rng.nextInt(1, 4); i > 0; i--) {
    const at = rng.nextInt(0, Math.max(0, s.length - 1));
    const op = rng.nextInt(0, 3);
    const ch = rng.nextFloat() < 0.8 ? 'ABCxyz019+-$=&#% '.charAt(rng.nextInt(0, 16)) : String.fromCharCode(rng.nextInt(0, 0xffff));
    if (op === 0) s = s.slice(0, at) + ch + s.slice(at + 1);
    else if (op === 1) s = s.slice(0, at) + ch + s.slice(at);
    else if (op === 2) s = s.slice(0, at) + s.slice(at + 1);
    else s = s.slice(0, at);
  }
  return s;
}

export interface FuzzLink {
  kind: 'valid' | 'json' | 'mutated' | 'text' | 'deep';
  hash: string;
  /** For 'valid' links: the config the link must decode to exactly. */
  expected?: ExperimentConfig;
}

/** `count` links from a seeded stream: the same seed gives the same links. */
export function* fuzzLinks(count: number, seed: number): Generator<FuzzLink> {
  const rng = createRng(seed);
  for (let i = 0; i < count; i++) {
    const r = rng.nextFloat();
    if (r < 0.25) {
      const expected = randomExperiment(rng);
      yield { kind: 'valid', hash: encodeExperiment(expected), expected };
    } else if (r < 0.55) {
      const version = rng.nextFloat() < 0.8 ? SCHEMA_VERSION : rng.nextInt(0, SCHEMA_VERSION + 2);
      yield { kind: 'json', hash: `#v=${version}&x=${compressToEncodedURIComponent(JSON.stringify(randomJson(rng, 5)))}` };
    } else if (r < 0.85) {
      yield { kind: 'mutated', hash: mutate(encodeExperiment(randomExperiment(rng)), rng) };
    } else if (r < 0.95) {
      yield { kind: 'text', hash: rng.nextFloat() < 0.5 ? `#v=1&x=${randomString(rng, 200)}` : randomString(rng, 200) };
    } else {
      const depth = rng.nextInt(100, 5000);
      yield { kind: 'deep', hash: `#v=1&x=${compressToEncodedURIComponent('{"algorithm":' + '['.repeat(depth) + ']'.repeat(depth) + '}')}` };
    }
  }
}
