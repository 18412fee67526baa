// The curriculum and the difficulty filter in the schema and in links: a curriculum link round-trips
// carrying only what differs, every kind of src/curriculum has a schema variant, and hostile links
// (unknown kinds, other kinds' parameters, out-of-range numbers, reserved keys, weights for arms that
// do not exist, an upside-down band) still load a valid config, with notes.
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { CURRICULUM_KINDS, CURRICULUM_PARAMS, createCurriculum } from '../curriculum/curriculum';
import { curriculumSchema, defaultCurriculum, defaultExperiment, experimentSchema, type ExperimentConfig } from './schema';
import { decodeExperiment, encodeExperiment } from './urlCodec';

const link = (payload: unknown) => `#v=1&x=${compressToEncodedURIComponent(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
const payloadOf = (hash: string): unknown => JSON.parse(decompressFromEncodedURIComponent(/[#&]x=([^&]*)/.exec(hash)![1]));

describe('curriculum in the schema', () => {
  it('defaults to uniform with the filter off', () => {
    const c = defaultExperiment();
    expect(c.curriculum).toEqual({ kind: 'uniform' });
    expect(c.filter).toEqual({ enabled: false, lo: 0.2, hi: 0.8, mode: 'inclusive', budget: 3, maxRounds: 3 });
    expect(encodeExperiment(c)).toBe('#v=1');
  });

  it('has one variant per curriculum kind, whose defaults build a curriculum', () => {
    const kinds = (curriculumSchema.options as unknown as { shape: { kind: { value: string } } }[]).map((o) => o.shape.kind.value);
    expect(kinds.sort()).toEqual([...CURRICULUM_KINDS].sort());
    for (const kind of CURRICULUM_KINDS) {
      const settings = defaultCurriculum(kind);
      if (settings.kind === 'mixture') settings.weights = { d1: 1 };
      expect(createCurriculum(settings, ['d1', 'd2']).kind).toBe(kind);
    }
    expect(defaultCurriculum('dump')).toEqual({ kind: 'dump', window: CURRICULUM_PARAMS.dump.window.default, temperature: CURRICULUM_PARAMS.dump.temperature.default });
  });

  it('refuses out-of-range parameters, unknown kinds and an upside-down band', () => {
    expect(experimentSchema.safeParse({ curriculum: { kind: 'sec', alpha: 0 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ curriculum: { kind: 'bandit-magic' } }).success).toBe(false);
    expect(experimentSchema.safeParse({ curriculum: { kind: 'dump', window: 2.5 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ filter: { lo: 0.9, hi: 0.1 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ filter: { budget: 0.5 } }).success).toBe(false);
  });
});

describe('curriculum links', () => {
  it('round-trip SEC with the filter on, carrying only what differs', () => {
    const c: ExperimentConfig = { ...defaultExperiment(), task: { id: 'sorting', arms: [] } };
    c.curriculum = { kind: 'sec', alpha: 0.5, tau: 1, update: 'drawn' };
    c.filter = { ...c.filter, enabled: true, mode: 'strict' };
    const hash = encodeExperiment(c);
    expect(payloadOf(hash)).toEqual({ task: { id: 'sorting' }, curriculum: { kind: 'sec', alpha: 0.5, tau: 1, update: 'drawn' }, filter: { enabled: true, mode: 'strict' } });
    expect(decodeExperiment(hash)).toEqual({ config: c, notes: [] });
  });

  it('a SEC link from before the update rule existed keeps its behaviour: every arm updated', () => {
    const c: ExperimentConfig = { ...defaultExperiment(), task: { id: 'sorting', arms: [] } };
    c.curriculum = { kind: 'sec', alpha: 0.5, tau: 1, update: 'all' };
    const payload = payloadOf(encodeExperiment(c)) as { curriculum: Record<string, unknown> };
    delete payload.curriculum.update;
    const decoded = decodeExperiment(link(payload)).config;
    expect(decoded.curriculum).toEqual({ kind: 'sec', alpha: 0.5, tau: 1, update: 'all' });
  });

  it('round-trip a mixture, and a change of kind back to uniform', () => {
    const c = { ...defaultExperiment(), task: { id: 'reversal', arms: [] } };
    c.curriculum = { kind: 'mixture', weights: { len3: 3, len8: 1, len12: 0 } };
    expect(decodeExperiment(encodeExperiment(c))).toEqual({ config: c, notes: [] });
    c.curriculum = { kind: 'uniform' };
    expect(decodeExperiment(encodeExperiment(c))).toEqual({ config: c, notes: [] });
  });

  it('a link that gives only a kind gets that kind\'s defaults', () => {
    const { config, notes } = decodeExperiment(link({ curriculum: { kind: 'dump' } }));
    expect(config.curriculum).toEqual(defaultCurriculum('dump'));
    expect(notes).toEqual([]);
  });

  it('a hostile curriculum link loads a valid config and says what it dropped', () => {
    const hostile = {
      task: { id: 'sorting' },
      curriculum: { kind: 'sec', alpha: 7, tau: -3, update: 'sometimes', window: 300, __proto__: { polluted: 1 }, junk: '<script>' },
      filter: { enabled: 'yes', lo: 0.9, hi: 0.3, mode: 'lenient', budget: 1e9, maxRounds: 2.6, extra: 1 },
    };
    // JSON.stringify drops a literal __proto__ key: write it into the text by hand.
    const json = JSON.stringify(hostile).replace('"junk"', '"__proto__":{"polluted":1},"junk"');
    const { config, notes } = decodeExperiment(link(json));
    expect(experimentSchema.safeParse(config).success).toBe(true);
    // τ has an open lower bound (0 excluded): the schema's minimum is a small positive number.
    expect(config.curriculum).toEqual({ kind: 'sec', alpha: 1, tau: 0.001, update: 'all' });
    expect(config.filter).toEqual({ enabled: false, lo: 0.3, hi: 0.9, mode: 'inclusive', budget: 16, maxRounds: 3 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const text = notes.join('\n');
    expect(text).toMatch(/curriculum\.alpha: 7 is above the maximum 1; clamped to 1/);
    expect(text).toMatch(/curriculum\.tau: -3 is below the minimum/);
    expect(text).toMatch(/Ignored the unknown setting "window" in curriculum/);
    expect(text).toMatch(/reserved key "__proto__" in curriculum/);
    expect(text).toMatch(/curriculum\.update/);
    expect(text).toMatch(/filter\.mode/);
    expect(text).toMatch(/swapped/);
    expect(text).not.toContain('<script>');
  });

  it('an unknown kind keeps the preset\'s curriculum; bad weights and unknown arms are dropped', () => {
    const unknownKind = decodeExperiment(link({ curriculum: { kind: 'constructor', alpha: 0.5 } }));
    expect(unknownKind.config.curriculum).toEqual({ kind: 'uniform' });
    expect(unknownKind.notes.join('\n')).toMatch(/curriculum\.kind: .* is not one of the choices/);

    const notAnObject = decodeExperiment(link({ curriculum: ['sec'] }));
    expect(notAnObject.config.curriculum).toEqual({ kind: 'uniform' });
    expect(notAnObject.notes).toHaveLength(1);

    const weights = decodeExperiment(link({ task: { id: 'sorting' }, curriculum: { kind: 'mixture', weights: { len3: 2, len99: 1, len5: -4, len8: 'a lot', len12: 1e9, ['x'.repeat(40)]: 1 } } }));
    expect(weights.config.curriculum).toEqual({ kind: 'mixture', weights: { len3: 2, len5: 0, len12: 1000 } });
    const text = weights.notes.join('\n');
    expect(text).toMatch(/"len99" is not an arm of the task "sorting"; dropped/);
    expect(text).toMatch(/curriculum\.weights\.len8: expected a number/);
    expect(text).toMatch(/not a valid name/);
  });
});
