// Seeded fuzz of the URL codec: valid links round-trip exactly; hostile ones never throw and always
// load a schema-valid config. FUZZ_LINKS=10000 (and FUZZ_SEED) scale it up without code changes.
import { describe, expect, it } from 'vitest';
import { getTask } from '../tasks/registry';
import { fuzzLinks } from './linkFuzz';
import { experimentSchema } from './schema';
import { decodeExperiment } from './urlCodec';

const COUNT = Number(process.env.FUZZ_LINKS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

describe('URL codec fuzz', () => {
  it(`${COUNT} seeded links: never throws, always a valid config, valid links round-trip`, () => {
    const kinds: Record<string, number> = {};
    for (const { kind, hash, expected } of fuzzLinks(COUNT, SEED)) {
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      let decoded: ReturnType<typeof decodeExperiment>;
      try {
        decoded = decodeExperiment(hash);
      } catch (e) {
        throw new Error(`decodeExperiment threw on a ${kind} link ${JSON.stringify(hash.slice(0, 200))}: ${(e as Error).message}`);
      }
      const { config, notes } = decoded;
      const parsed = experimentSchema.safeParse(config);
      if (!parsed.success) throw new Error(`invalid config from a ${kind} link ${JSON.stringify(hash.slice(0, 200))}: ${parsed.error.message}`);
      const arms = new Set(getTask(config.task.id).arms.map((a) => a.id));
      expect(config.task.arms.every((a) => arms.has(a))).toBe(true);
      expect(notes.every((n) => typeof n === 'string')).toBe(true);
      if (expected) {
        expect(config).toEqual(expected);
        expect(notes).toEqual([]);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(kinds).sort()).toEqual(['deep', 'json', 'mutated', 'text', 'valid']);
  });
});
