// "Compare with…": a run's twin, its config with one setting changed. The settings offered are every
// algorithm setting with a plain value (a number, a switch or a choice) and the seed; the value is typed
// as text and read by the kind of the run's own value, then the whole config is validated by the schema,
// so a twin can never start from a config a link could not carry.
import { experimentSchema, type ExperimentConfig } from './schema';

/** Schema paths a twin may change, in the order of the config: the algorithm's plain settings, the seed. */
export function twinFields(config: ExperimentConfig): string[] {
  const plain = (v: unknown) => typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || v === null;
  const algorithm = Object.entries(config.algorithm as Record<string, unknown>).filter(([, v]) => plain(v)).map(([k]) => `algorithm.${k}`);
  return [...algorithm, 'seed'];
}

/** The value at a dotted path of the config. */
export function fieldValue(config: ExperimentConfig, path: string): unknown {
  let v: unknown = config;
  for (const key of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** Text as a value of the kind `current` has: a number, on/off, or the text itself (a choice). */
function parseAs(current: unknown, raw: string): { value: unknown } | { problem: string } {
  const text = raw.trim();
  if (typeof current === 'boolean') {
    if (/^(on|true|yes|1)$/i.test(text)) return { value: true };
    if (/^(off|false|no|0)$/i.test(text)) return { value: false };
    return { problem: `"${raw}" is not on or off.` };
  }
  if (typeof current === 'number' || current === null) {
    if (current === null && /^(off|none|null)$/i.test(text)) return { value: null };
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) return current === null ? { value: text } : { problem: `"${raw}" is not a number.` };
    return { value: n };
  }
  return { value: text };
}

/** The twin of `config` with `path` set to the value `raw` reads as; or why it cannot be. */
export function twinConfig(config: ExperimentConfig, path: string, raw: string): { config: ExperimentConfig } | { problems: string[] } {
  if (!twinFields(config).includes(path)) return { problems: [`${path} cannot be changed here.`] };
  const current = fieldValue(config, path);
  const parsed = parseAs(current, raw);
  if ('problem' in parsed) return { problems: [parsed.problem] };
  if (JSON.stringify(parsed.value) === JSON.stringify(current)) return { problems: [`${path} is already ${String(current)}: the twin would be the same run.`] };
  const next = structuredClone(config) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let target = next;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1]] = parsed.value;
  const result = experimentSchema.safeParse(next);
  if (!result.success) return { problems: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  return { config: result.data };
}
