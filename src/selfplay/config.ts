// Loop configs are plain data with defaults; callers pass partial configs (nested one level deep:
// `{ eval: { prompts: 8 } }` keeps the other eval fields).
export type PartialConfig<C> = { [K in keyof C]?: C[K] extends readonly unknown[] ? C[K] : C[K] extends object ? Partial<C[K]> : C[K] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export function withDefaults<C extends object>(defaults: C, partial: PartialConfig<C> = {}): C {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue;
    const base = (defaults as Record<string, unknown>)[key];
    out[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return out as C;
}
