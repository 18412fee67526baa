// A run's twin: exactly one setting changed, read by the kind of the run's value, the rest validated.
import { describe, expect, it } from 'vitest';
import { presetConfig } from './presets';
import { diff } from './layer';
import { twinConfig, twinFields } from './twin';

const base = presetConfig('default');

describe('twinConfig', () => {
  it('offers the algorithm\'s plain settings and the seed', () => {
    const fields = twinFields(base);
    expect(fields).toContain('algorithm.lr');
    expect(fields).toContain('algorithm.negativeWeight');
    expect(fields).toContain('seed');
    expect(fields.every((f) => f === 'seed' || f.startsWith('algorithm.'))).toBe(true);
  });

  it('changes the one setting and nothing else', () => {
    const twin = twinConfig(base, 'algorithm.lr', '0.01');
    expect('config' in twin && twin.config.algorithm.lr).toBe(0.01);
    if ('config' in twin) expect(changedLeaves(base, twin.config)).toEqual(['algorithm.lr']);
    const seeded = twinConfig(base, 'seed', ' 7 ');
    if (!('config' in seeded)) throw new Error(seeded.problems.join('; '));
    expect(changedLeaves(base, seeded.config)).toEqual(['seed']);
    expect(seeded.config.seed).toBe(7);
  });

  it('reads a switch as on/off and a choice as its name', () => {
    const booleanField = twinFields(base).find((f) => typeof (base.algorithm as Record<string, unknown>)[f.slice('algorithm.'.length)] === 'boolean');
    expect(booleanField).toBeDefined();
    const current = (base.algorithm as Record<string, unknown>)[booleanField!.slice('algorithm.'.length)] as boolean;
    const flipped = twinConfig(base, booleanField!, current ? 'off' : 'on');
    expect('config' in flipped && fieldOf(flipped.config, booleanField!)).toBe(!current);
    const choice = twinConfig(base, 'algorithm.klEstimator', base.algorithm.klEstimator === 'k1' ? 'k2' : 'k1');
    expect('config' in choice).toBe(true);
  });

  it('refuses what the schema refuses, text for a number, the same value, and other fields', () => {
    expect(twinConfig(base, 'algorithm.lr', 'fast')).toEqual({ problems: ['"fast" is not a number.'] });
    expect('problems' in twinConfig(base, 'algorithm.samplesPerPrompt', '1000')).toBe(true);
    expect('problems' in twinConfig(base, 'algorithm.klEstimator', 'k9')).toBe(true);
    expect(twinConfig(base, 'algorithm.lr', String(base.algorithm.lr))).toEqual({ problems: [`algorithm.lr is already ${base.algorithm.lr}: the twin would be the same run.`] });
    expect('problems' in twinConfig(base, 'task.id', 'sorting')).toBe(true);
  });
});

function fieldOf(config: object, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], config);
}

/** Dotted paths of the leaves where `b` differs from `a`. */
function changedLeaves(a: object, b: object): string[] {
  const out: string[] = [];
  const walk = (v: unknown, prefix: string) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
    else out.push(prefix);
  };
  walk(diff(b, a), '');
  return out;
}
