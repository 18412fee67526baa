// Pure checks of what user reward code returns, shared by the sandbox worker (on the user's values) and
// the host (on the worker's reply, which it re-checks rather than trusts). In the worker, user code may
// have replaced built-ins (Number.isFinite, String.prototype.slice, Object.keys …) before these run, so
// every built-in used here is captured when this module loads — before any user code — and numbers are
// tested with operators only. User values are read inside try: a getter or Proxy trap may throw.
import type { RewardError, RewardErrorKind, RewardInput, RewardOutcome, SandboxReply } from './protocol';

const objectKeys = Object.keys;
const defineProperty = Reflect.defineProperty;
const reflectApply = Reflect.apply;
const isArray = Array.isArray;
const jsonStringify = JSON.stringify;
const stringSlice = String.prototype.slice;
const regExpTest = RegExp.prototype.test;
const setHas = Set.prototype.has;
const SetConstructor = Set;

/** More components than this is a mistake (each becomes a metrics series). */
export const MAX_COMPONENTS = 32;
export const MAX_COMPONENT_NAME_LENGTH = 64;
const MAX_DETAIL_LENGTH = 300;
/** The largest reward (and component) magnitude accepted: beyond it, group statistics and the loss
 *  overflow or lose all precision (1e308 − mean is ±Infinity), and a step fails far from the cause. */
export const MAX_ABS_REWARD = 1e6;
/** A component name is an identifier (it names a metric series and a CSV column). */
const COMPONENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names an object already answers to (toString, constructor, __proto__ …): as keys of a plain object
 *  they read as functions or prototypes, and sums over them turn into strings. Refused outright. */
const RESERVED_NAMES = new SetConstructor<string>([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype']);

export type ValueCheck = { ok: true; reward: number; components: Record<string, number> } | { ok: false; detail: string };

/** A number that is neither NaN nor ±Infinity (x − x is NaN for those). */
export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && x - x === 0;
}

function truncate(s: string, n = MAX_DETAIL_LENGTH): string {
  return s.length <= n ? s : `${reflectApply(stringSlice, s, [0, n]) as string}…`;
}

/** Sets an own property without consulting prototypes (no setter planted on Object.prototype can run). */
function put(target: object, key: string | number, value: unknown): void {
  defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A short description of any value, for messages. Never throws. */
export function describeValue(x: unknown): string {
  try {
    switch (typeof x) {
      case 'number':
        return x !== x ? 'NaN' : `${x}`;
      case 'string':
        return `a string (${truncate(jsonStringify(x), 60)})`;
      case 'undefined':
        return 'undefined (no return value?)';
      case 'boolean':
        return `a boolean (${x})`;
      case 'bigint':
        return `a bigint (${x}n) — convert it with Number()`;
      case 'symbol':
        return 'a symbol';
      case 'function':
        return 'a function';
    }
    if (x === null) return 'null';
    if (isArray(x)) return 'an array';
    return 'an object';
  } catch {
    return 'a value that cannot be described';
  }
}

/** What was thrown, as text: "RangeError: Maximum call stack size exceeded", "5", "{}". Never throws. */
export function describeThrown(e: unknown): string {
  try {
    if (typeof e === 'object' && e !== null) {
      let name: unknown;
      let message: unknown;
      try {
        name = (e as { name?: unknown }).name;
        message = (e as { message?: unknown }).message;
      } catch {
        return 'an object whose properties cannot be read';
      }
      if (typeof message === 'string') return truncate(`${typeof name === 'string' && name ? name : 'Error'}: ${message}`);
      try {
        const json = jsonStringify(e);
        if (typeof json === 'string') return truncate(json);
      } catch {
        // cyclic or hostile: fall through
      }
      return 'a non-Error object';
    }
    if (typeof e === 'string') return truncate(jsonStringify(e));
    if (typeof e === 'symbol') return 'a symbol';
    if (typeof e === 'bigint') return `${e}n`;
    return `${e as number | boolean | undefined}`;
  } catch {
    return 'a value that cannot be described';
  }
}

function withinRange(x: number): boolean {
  return x <= MAX_ABS_REWARD && x >= -MAX_ABS_REWARD;
}

function tooLarge(what: string): string {
  return `${what}, which is too large: rewards and components must lie within ±${MAX_ABS_REWARD} (scale it down; larger values overflow the advantages and the loss)`;
}

/** Why a component name is refused (a phrase completing "returned …"), or null for a good name. */
export function componentNameProblem(name: string): string | null {
  if (!reflectApply(regExpTest, COMPONENT_NAME, [name])) {
    return `a component named ${truncate(jsonStringify(name), 40)}: names are identifiers (letters, digits and _, not starting with a digit)`;
  }
  if (reflectApply(setHas, RESERVED_NAMES, [name])) {
    return `a component named "${name}", a name every JavaScript object already has: choose another (e.g. "${name}_score")`;
  }
  return null;
}

/**
 * Checks one return value of reward(): a finite number, or an object with a finite numeric `reward` and
 * optional `components` of finite numbers. `detail` completes "reward() … for sample i".
 */
export function checkRewardValue(value: unknown): ValueCheck {
  if (typeof value === 'number') {
    if (!isFiniteNumber(value)) return { ok: false, detail: `returned ${describeValue(value)}` };
    if (!withinRange(value)) return { ok: false, detail: tooLarge(`returned ${describeValue(value)}`) };
    return { ok: true, reward: value, components: {} };
  }
  if (typeof value !== 'object' || value === null || isArray(value)) return { ok: false, detail: `returned ${describeValue(value)}` };

  let reward: unknown;
  let components: unknown;
  let then: unknown;
  try {
    then = (value as { then?: unknown }).then;
  } catch {
    // a throwing `then` is not a promise; the `reward` read below decides
  }
  if (typeof then === 'function') return { ok: false, detail: 'returned a Promise — reward() must be synchronous and return a number' };
  try {
    reward = (value as { reward?: unknown }).reward;
  } catch (e) {
    return { ok: false, detail: `returned an object whose .reward could not be read (${describeThrown(e)})` };
  }
  if (reward === undefined) return { ok: false, detail: 'returned an object without a .reward number' };
  if (!isFiniteNumber(reward)) return { ok: false, detail: `returned {reward: ${describeValue(reward)}}` };
  if (!withinRange(reward)) return { ok: false, detail: tooLarge(`returned {reward: ${describeValue(reward)}}`) };
  try {
    components = (value as { components?: unknown }).components;
  } catch (e) {
    return { ok: false, detail: `returned an object whose .components could not be read (${describeThrown(e)})` };
  }
  const out: Record<string, number> = {};
  if (components === undefined || components === null) return { ok: true, reward, components: out };
  if (typeof components !== 'object' || isArray(components)) {
    return { ok: false, detail: `returned components that are ${describeValue(components)}, not an object of numbers` };
  }
  let keys: string[];
  try {
    keys = objectKeys(components);
  } catch (e) {
    return { ok: false, detail: `returned components whose names could not be listed (${describeThrown(e)})` };
  }
  if (keys.length > MAX_COMPONENTS) return { ok: false, detail: `returned ${keys.length} components (at most ${MAX_COMPONENTS})` };
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key.length === 0 || key.length > MAX_COMPONENT_NAME_LENGTH) {
      return { ok: false, detail: `returned a component name of ${key.length} characters (1 to ${MAX_COMPONENT_NAME_LENGTH})` };
    }
    const nameProblem = componentNameProblem(key);
    if (nameProblem) return { ok: false, detail: `returned ${nameProblem}` };
    let v: unknown;
    try {
      v = (components as Record<string, unknown>)[key];
    } catch (e) {
      return { ok: false, detail: `returned components.${truncate(key, 40)} that could not be read (${describeThrown(e)})` };
    }
    if (!isFiniteNumber(v)) return { ok: false, detail: `returned components.${truncate(key, 40)} = ${describeValue(v)}` };
    if (!withinRange(v)) return { ok: false, detail: tooLarge(`returned components.${truncate(key, 40)} = ${describeValue(v)}`) };
    put(out, key, v);
  }
  return { ok: true, reward, components: out };
}

/** A completion quoted for a message: JSON-escaped, cut at 40 characters. */
export function quoteCompletion(completion: string): string {
  return truncate(JSON.stringify(completion), 42);
}

/** The sentence the user sees for a failure the worker reported. */
export function formatRewardError(kind: RewardErrorKind, detail: string, sampleIndex: number | null, sample?: RewardInput): string {
  const where = sampleIndex === null ? '' : ` sample ${sampleIndex}${sample ? ` (completion ${quoteCompletion(sample.completion)})` : ''}`;
  switch (kind) {
    case 'compile':
      return `reward code does not compile: ${detail}`;
    case 'throw':
      return sampleIndex === null ? `reward code threw while loading: ${detail}` : `reward() threw on${where}: ${detail}`;
    case 'invalid':
      return `reward() ${detail}${where ? ` for${where}` : ''}`;
    default:
      return detail;
  }
}

export function failure(kind: RewardErrorKind, message: string, sampleIndex?: number, sample?: RewardInput): RewardOutcome {
  const error: RewardError = { kind, message };
  if (sampleIndex !== undefined) {
    error.sampleIndex = sampleIndex;
    if (sample) error.sample = sample;
  }
  return { ok: false, error };
}

const WORKER_KINDS: readonly string[] = ['compile', 'throw', 'invalid'];

/**
 * Turns the worker's reply to request `id` into an outcome, re-checking every value (the host trusts
 * nothing from the worker's realm). Returns null for a message that is not a reply to `id` (ignored);
 * a malformed reply to `id` is a 'crash' (the host then discards the worker).
 */
export function parseSandboxReply(data: unknown, id: number, samples: readonly RewardInput[]): RewardOutcome | null {
  if (typeof data !== 'object' || data === null) return null;
  const reply = data as Partial<Record<string, unknown>>;
  if (reply.id !== id || (reply.type !== 'result' && reply.type !== 'failure')) return null;
  const malformed = (why: string) => failure('crash', `the reward sandbox sent a malformed reply (${why}); it will be restarted`);

  if (reply.type === 'failure') {
    const { kind, detail, sampleIndex } = reply as Partial<Extract<SandboxReply, { type: 'failure' }>>;
    if (typeof kind !== 'string' || !WORKER_KINDS.includes(kind)) return malformed('unknown error kind');
    if (typeof detail !== 'string') return malformed('no error detail');
    if (sampleIndex === null || sampleIndex === undefined) return failure(kind as RewardErrorKind, formatRewardError(kind as RewardErrorKind, truncate(detail, 1000), null));
    if (!Number.isInteger(sampleIndex) || sampleIndex < 0 || sampleIndex >= samples.length) return malformed('sample index out of range');
    const sample = samples[sampleIndex];
    return failure(kind as RewardErrorKind, formatRewardError(kind as RewardErrorKind, truncate(detail, 1000), sampleIndex, sample), sampleIndex, sample);
  }

  const { rewards, components } = reply as Partial<Extract<SandboxReply, { type: 'result' }>>;
  if (!(rewards instanceof Float64Array) || rewards.length !== samples.length) return malformed('wrong number of rewards');
  if (!Array.isArray(components) || components.length !== samples.length) return malformed('wrong number of component sets');
  const outRewards: number[] = [];
  const outComponents: Record<string, number>[] = [];
  for (let i = 0; i < samples.length; i++) {
    const check = checkRewardValue({ reward: rewards[i], components: components[i] });
    if (!check.ok) return malformed(`sample ${i}: ${check.detail}`);
    outRewards.push(check.reward);
    outComponents.push(check.components);
  }
  return { ok: true, rewards: outRewards, components: outComponents };
}
