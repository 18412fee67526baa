// Restoring an experiment from untrusted data (a link's payload, an imported file) by walking the
// schema and the base config (Excalidraw's restore): every known field takes the data's value when it
// is valid, numbers are clamped into range, choices are allow-listed, and everything else keeps the
// base's value, with a note saying why. The walk follows the schema, never the data, so its depth is
// the schema's (three levels) however deeply the data is nested, and only the schema's own keys are
// ever assigned (never `__proto__` or any other key the data brings).
import { z } from 'zod';
import { RESERVED_KEYS, isPlainObject } from './layer';
import { describeName, describeValue, type Notes } from './notes';
import { isPresetId, presetConfig } from './presets';
import { SCHEMA_VERSION, experimentSchema, type ExperimentConfig } from './schema';
import { getTask, hasTask } from '../tasks/registry';

/** Marks an element of a list that could not be read (it is dropped, not replaced). */
const DROP = Symbol('drop');

/** Most entries read from a record (mixture weights: one per arm; tasks have a handful). */
const MAX_RECORD_KEYS = 32;

function copy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function maxItems(schema: z.ZodArray): number {
  for (const check of schema._zod.def.checks ?? []) {
    const def = check._zod.def as { check?: string; maximum?: number };
    if (def.check === 'max_length' && typeof def.maximum === 'number') return def.maximum;
  }
  return Infinity;
}

function formatNumber(n: number): string {
  return String(Number(n.toPrecision(6)));
}

/** `input` read against `schema`, falling back to `base`. `path` names the field in notes. */
function restoreNode(schema: z.ZodType, base: unknown, input: unknown, path: string, notes: Notes): unknown {
  if (schema instanceof z.ZodDefault) return restoreNode(schema.unwrap() as z.ZodType, base, input, path, notes);
  // An optional field (task.trainPool) is read like its inner schema; absent stays absent.
  if (schema instanceof z.ZodOptional) return restoreNode(schema.unwrap() as z.ZodType, base, input, path, notes);
  if (input === undefined) return copy(base);
  const keep = (why: string) => {
    notes.add(`${path}: ${why}; ${base === DROP ? 'dropped it' : 'kept the preset\'s value'}.`);
    return base === DROP ? DROP : copy(base);
  };

  if (schema instanceof z.ZodObject) {
    if (!isPlainObject(input)) return keep(`expected an object, got ${describeValue(input)}`);
    const shape = schema.shape as Record<string, z.ZodType>;
    const baseObj = isPlainObject(base) ? base : {};
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      const value = Object.hasOwn(input, key) ? input[key] : undefined;
      out[key] = restoreNode(shape[key], baseObj[key], value, path ? `${path}.${key}` : key, notes);
    }
    for (const key of Object.keys(input)) {
      if (Object.hasOwn(shape, key)) continue;
      const where = path ? ` in ${path}` : '';
      if (RESERVED_KEYS.has(key)) notes.add(`Ignored the reserved key "${key}"${where} (it could alter how objects behave).`);
      else notes.add(`Ignored the unknown setting ${describeName(key)}${where}.`);
    }
    return out;
  }

  if (schema instanceof z.ZodDiscriminatedUnion) {
    // The variant is the data's `kind` when it is one of the allowed kinds, else the base's. The base
    // of the walk is the base's own value when the kind is unchanged (a link carries only what differs
    // from its preset), else that kind's defaults; then the variant is walked like any object (so
    // another variant's parameters are reported as unknown and dropped).
    if (!isPlainObject(input)) return keep(`expected an object, got ${describeValue(input)}`);
    const key = schema._zod.def.discriminator;
    const variants = schema.options as unknown as z.ZodObject[];
    const kinds = variants.map((v) => (v.shape[key] as z.ZodLiteral).value);
    const baseKind = isPlainObject(base) ? base[key] : undefined;
    const kind = Object.hasOwn(input, key) ? input[key] : baseKind;
    if (!kinds.includes(kind as never)) {
      const what = typeof kind === 'string' ? describeName(kind) : describeValue(kind);
      if (!kinds.includes(baseKind as never)) return keep(`${key} ${what} is not one of the choices (${kinds.join(', ')})`);
      notes.add(`${path}.${key}: ${what} is not one of the choices (${kinds.join(', ')}); kept the preset's curriculum.`);
      return copy(base);
    }
    const variant = variants[kinds.indexOf(kind as never)];
    const variantBase = baseKind === kind ? base : variant.parse({ [key]: kind });
    return restoreNode(variant, variantBase, input, path, notes);
  }

  if (schema instanceof z.ZodRecord) {
    // A record merges over the base key by key (a link carries only the keys that differ); keys are
    // strings within the key schema's length, never reserved ones; values are walked by their schema.
    if (!isPlainObject(input)) return keep(`expected an object, got ${describeValue(input)}`);
    const out: Record<string, unknown> = isPlainObject(base) ? (copy(base) as Record<string, unknown>) : {};
    const keySchema = schema._zod.def.keyType as z.ZodType;
    const valueSchema = schema._zod.def.valueType as z.ZodType;
    const keys = Object.keys(input);
    if (keys.length > MAX_RECORD_KEYS) notes.add(`${path}: ${keys.length} entries, more than the limit of ${MAX_RECORD_KEYS}; read the first ${MAX_RECORD_KEYS}.`);
    for (const k of keys.slice(0, MAX_RECORD_KEYS)) {
      if (RESERVED_KEYS.has(k)) {
        notes.add(`Ignored the reserved key "${k}" in ${path} (it could alter how objects behave).`);
        continue;
      }
      if (!keySchema.safeParse(k).success) {
        notes.add(`${path}: ignored the entry ${describeName(k)} (not a valid name).`);
        continue;
      }
      const value = restoreNode(valueSchema, DROP, input[k], `${path}.${k.length <= 32 ? k : k.slice(0, 32)}`, notes);
      if (value !== DROP) out[k] = value;
    }
    return out;
  }

  if (schema instanceof z.ZodNullable) {
    if (input === null) return null;
    return restoreNode(schema.unwrap() as z.ZodType, base, input, path, notes);
  }

  if (schema instanceof z.ZodNumber) {
    if (typeof input !== 'number') return keep(`expected a number, got ${describeValue(input)}`);
    if (!Number.isFinite(input)) return keep('the number is not finite');
    let v = input;
    const min = schema.minValue ?? -Infinity;
    const max = schema.maxValue ?? Infinity;
    if (schema.isInt && !Number.isInteger(v)) {
      v = Math.round(v);
      notes.add(`${path}: ${formatNumber(input)} is not a whole number; rounded to ${formatNumber(v)}.`);
    }
    if (v < min || v > max) {
      const clamped = Math.min(max, Math.max(min, v));
      notes.add(`${path}: ${formatNumber(v)} is ${v < min ? `below the minimum ${formatNumber(min)}` : `above the maximum ${formatNumber(max)}`}; clamped to ${formatNumber(clamped)}.`);
      v = clamped;
    }
    return v;
  }

  if (schema instanceof z.ZodBoolean) {
    return typeof input === 'boolean' ? input : keep(`expected true or false, got ${describeValue(input)}`);
  }

  if (schema instanceof z.ZodEnum) {
    const options = schema.options as unknown[];
    if (typeof input === 'string' && options.includes(input)) return input;
    return keep(typeof input === 'string' ? `${describeName(input)} is not one of the choices (${options.join(', ')})` : `expected one of ${options.join(', ')}, got ${describeValue(input)}`);
  }

  if (schema instanceof z.ZodString) {
    if (typeof input !== 'string') return keep(`expected a text, got ${describeValue(input)}`);
    const limit = schema.maxLength ?? Infinity;
    if (input.length > limit) return keep(`the text has ${input.length} characters, more than the limit of ${limit}`);
    return input;
  }

  if (schema instanceof z.ZodLiteral) return copy(base); // the version: set by the loader, never read from data

  if (schema instanceof z.ZodArray) {
    if (!Array.isArray(input)) return keep(`expected a list, got ${describeValue(input)}`);
    const limit = maxItems(schema);
    if (input.length > limit) notes.add(`${path}: the list has ${input.length} items, more than the limit of ${limit}; kept the first ${limit}.`);
    const out: unknown[] = [];
    for (let i = 0; i < Math.min(input.length, limit); i++) {
      const item = restoreNode(schema.element as z.ZodType, DROP, input[i], `${path}[${i}]`, notes);
      if (item !== DROP) out.push(item);
    }
    return out;
  }

  // A schema kind this walker does not know: keep the base (a unit test walks the whole schema).
  return keep('this setting cannot be read from a link');
}

/** The task arms must belong to the (restored) task: unknown ones are dropped, duplicates merged. */
function restoreArms(config: ExperimentConfig, notes: Notes): void {
  if (!hasTask(config.task.id)) return;
  const known = new Set(getTask(config.task.id).arms.map((a) => a.id));
  const arms: string[] = [];
  for (const arm of config.task.arms) {
    if (!known.has(arm)) notes.add(`task.arms: ${describeName(arm)} is not an arm of the task "${config.task.id}"; dropped.`);
    else if (!arms.includes(arm)) arms.push(arm);
  }
  config.task.arms = arms;
}

/** Mixture weights must name arms of the task (unknown ones are dropped); the filter band must not be
 *  upside down (its edges are swapped). */
function restoreCurriculum(config: ExperimentConfig, notes: Notes): void {
  const c = config.curriculum;
  if (c.kind === 'mixture' && hasTask(config.task.id)) {
    const known = new Set(getTask(config.task.id).arms.map((a) => a.id));
    const weights: Record<string, number> = {};
    for (const [arm, w] of Object.entries(c.weights)) {
      if (known.has(arm)) weights[arm] = w;
      else notes.add(`curriculum.weights: ${describeName(arm)} is not an arm of the task "${config.task.id}"; dropped.`);
    }
    config.curriculum = { kind: 'mixture', weights };
  }
  const f = config.filter;
  if (f.lo > f.hi) {
    notes.add(`filter: the band's lower edge ${formatNumber(f.lo)} is above its upper edge ${formatNumber(f.hi)}; swapped them.`);
    config.filter = { ...f, lo: f.hi, hi: f.lo };
  }
}

/** A full, schema-valid experiment from untrusted data in the current version's shape. */
export function restoreExperiment(data: unknown, notes: Notes): ExperimentConfig {
  const input = isPlainObject(data) ? data : {};
  if (!isPlainObject(data) && data !== undefined) notes.add(`The experiment should be an object, got ${describeValue(data)}; used the defaults.`);
  let presetId = '';
  if (Object.hasOwn(input, 'preset') && input.preset !== '') {
    if (isPresetId(input.preset)) presetId = input.preset;
    else notes.add(`preset: ${typeof input.preset === 'string' ? describeName(input.preset) : describeValue(input.preset)} is not a known preset; started from the defaults.`);
  }
  const base = presetConfig(presetId);
  const restored = restoreNode(experimentSchema, base, { ...input, preset: presetId }, '', notes) as ExperimentConfig;
  restored.version = SCHEMA_VERSION;
  restored.preset = presetId;
  restoreArms(restored, notes);
  restoreCurriculum(restored, notes);
  // Belt and braces: the walk above should always produce a valid config (the fuzz test checks it).
  const checked = experimentSchema.safeParse(restored);
  if (checked.success) return checked.data;
  notes.add('The settings could not be combined into a valid experiment; used the preset as it is.');
  return base;
}
