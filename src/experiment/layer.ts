// Partial configs layered over full ones (presets over the defaults) and the inverse: the part of a
// config that differs from a base (what a link carries). Plain JSON data only: objects are merged key by
// key, everything else (numbers, strings, arrays, null) is replaced whole.

export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Keys that must never be assigned from data: assigning them can change an object's prototype. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** `base` with `partial` laid over it (neither is modified). Keys only `partial` has are added. */
export function layer<T>(base: T, partial: DeepPartial<T> | undefined): T {
  if (partial === undefined) return clone(base);
  if (!isPlainObject(base) || !isPlainObject(partial)) return clone(partial as T);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(base)) out[key] = clone(base[key]);
  for (const key of Object.keys(partial)) {
    if (RESERVED_KEYS.has(key) || partial[key] === undefined) continue;
    out[key] = key in base ? layer(base[key], partial[key] as DeepPartial<unknown>) : clone(partial[key]);
  }
  return out as T;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return Object.is(a, b) || (a === 0 && b === 0);
}

/** The smallest partial p with layer(base, p) deep-equal to `value`; `undefined` when nothing differs. */
export function diff(value: unknown, base: unknown): unknown {
  if (isPlainObject(value) && isPlainObject(base)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) continue;
      const d = diff(value[key], base[key]);
      if (d !== undefined) out[key] = d;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return sameValue(value, base) ? undefined : clone(value);
}
