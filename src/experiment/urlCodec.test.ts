import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { PRESETS, presetConfig } from './presets';
import { MAX_SEEDS, SCHEMA_VERSION, defaultExperiment, experimentSchema, type ExperimentConfig } from './schema';
import { LINK_WARN_LENGTH, MAX_HASH_LENGTH, decodeExperiment, encodeExperiment, experimentPayload, linkLength } from './urlCodec';

/** A link whose payload is exactly this JSON text (raw, so keys like __proto__ survive as written). */
function rawLink(json: string, version: number | string = SCHEMA_VERSION): string {
  return `#v=${version}&x=${compressToEncodedURIComponent(json)}`;
}
const link = (payload: unknown, version?: number | string) => rawLink(JSON.stringify(payload), version);

function payloadOf(hash: string): unknown {
  const x = /[#&]x=([^&]*)/.exec(hash)?.[1];
  return x === undefined ? {} : JSON.parse(decompressFromEncodedURIComponent(x));
}

function modified(): ExperimentConfig {
  const c = defaultExperiment();
  c.seed = 42;
  c.task = { id: 'reversal', arms: ['len8'] };
  c.algorithm.lr = 3e-3;
  c.algorithm.estimator = 'rloo';
  c.algorithm.dualClip = 3;
  c.run.steps = 120;
  return c;
}

describe('encodeExperiment / decodeExperiment', () => {
  it('encodes the defaults as a tiny link that decodes to the defaults, with no notes', () => {
    const hash = encodeExperiment(defaultExperiment());
    expect(hash).toBe(`#v=${SCHEMA_VERSION}`);
    expect(decodeExperiment(hash)).toEqual({ config: defaultExperiment(), notes: [] });
    expect(decodeExperiment('')).toEqual({ config: defaultExperiment(), notes: [] });
    expect(decodeExperiment('#')).toEqual({ config: defaultExperiment(), notes: [] });
  });

  it('round-trips a modified config, carrying only what differs', () => {
    const c = modified();
    const hash = encodeExperiment(c);
    expect(hash).toMatch(/^#v=1&x=[A-Za-z0-9+\-$]+$/);
    expect(payloadOf(hash)).toEqual({
      seed: 42,
      task: { id: 'reversal', arms: ['len8'] },
      algorithm: { estimator: 'rloo', dualClip: 3, lr: 3e-3 },
      run: { steps: 120 },
    });
    expect(decodeExperiment(hash)).toEqual({ config: c, notes: [] });
    // Also from a whole URL, and with spaces where some tool decoded '+'.
    expect(decodeExperiment(`https://example.org/lab/${hash}`).config).toEqual(c);
    expect(decodeExperiment(hash.replace(/\+/g, ' ')).config).toEqual(c);
  });

  it('an SFT warm-up carries only its changed fields; an old link without them gets the defaults', () => {
    const c = defaultExperiment();
    c.model = { ...c.model, init: 'sft', sftSteps: 20 };
    const hash = encodeExperiment(c);
    expect(payloadOf(hash)).toEqual({ model: { init: 'sft', sftSteps: 20 } });
    expect(decodeExperiment(hash)).toEqual({ config: c, notes: [] });
    const old = decodeExperiment(link({ model: { init: 'random' } }));
    expect(old.notes).toEqual([]);
    expect(old.config.model).toEqual({ ...defaultExperiment().model, init: 'random' });
    const clamped = decodeExperiment(link({ model: { init: 'sft', sftLr: 5, sftBatch: 0, sftSteps: 2.6 } }));
    expect(clamped.config.model).toEqual({ init: 'sft', sftLr: 0.1, sftBatch: 1, sftSteps: 3 });
    expect(clamped.notes.length).toBe(3);
  });

  it('round-trips every preset, carrying just the preset id', () => {
    for (const preset of PRESETS) {
      const c = presetConfig(preset.id);
      const hash = encodeExperiment(c);
      expect(payloadOf(hash)).toEqual({ preset: preset.id });
      expect(decodeExperiment(hash)).toEqual({ config: c, notes: [] });
      expect(hash.length).toBeLessThan(80); // the preset id, compressed (the longest ids are ~23 characters)
    }
  });

  it('encodes a change on top of a preset relative to the preset', () => {
    const c = presetConfig('clip-higher');
    c.algorithm.clipHigh = 0.3; // the preset says 0.28
    c.algorithm.ppoEpochs = 2; // same as the preset: not carried
    expect(experimentPayload(c)).toEqual({ preset: 'clip-higher', algorithm: { clipHigh: 0.3 } });
    expect(decodeExperiment(encodeExperiment(c)).config).toEqual(c);
    // Setting a preset's value back to the default must travel too.
    c.algorithm.clipHigh = defaultExperiment().algorithm.clipHigh;
    expect(experimentPayload(c)).toEqual({ preset: 'clip-higher', algorithm: { clipHigh: 0.2 } });
    expect(decodeExperiment(encodeExperiment(c)).config).toEqual(c);
  });

  it('keeps reward code, script tags and all, as plain data', () => {
    const c = defaultExperiment();
    c.reward = { ...c.reward, kind: 'code', code: 'function reward(s) { return "</script><script>alert(1)</script>".length > 0 ? 1 : 0; }' };
    const decoded = decodeExperiment(encodeExperiment(c));
    expect(decoded.config.reward).toEqual(c.reward);
    expect(decoded.notes).toEqual([]);
  });

  it('measures links against a warning length', () => {
    expect(linkLength(defaultExperiment())).toBe(encodeExperiment(defaultExperiment()).length);
    expect(LINK_WARN_LENGTH).toBe(2000);
    const big = defaultExperiment();
    big.reward = { ...big.reward, kind: 'code', code: Array.from({ length: 2000 }, (_, i) => `// line ${i * 7919}`).join('\n') };
    expect(linkLength(big)).toBeGreaterThan(LINK_WARN_LENGTH);
  });
});

describe('decodeExperiment on bad links', () => {
  const defaults = defaultExperiment();
  const expectDefaults = (hash: unknown, note: RegExp) => {
    const r = decodeExperiment(hash);
    expect(r.config).toEqual(defaults);
    expect(r.notes.join('\n')).toMatch(note);
  };

  it('falls back to the defaults, with a note, when the data is cut, damaged or oversized', () => {
    const hash = encodeExperiment(modified());
    expectDefaults(hash.slice(0, hash.length - 9), /cut short|damaged|decompress/);
    expectDefaults(hash.slice(0, 12), /cut short|damaged|decompress/);
    expectDefaults(`${hash.slice(0, 20)}!*~${hash.slice(23)}`, /characters/);
    expectDefaults('#v=1&x=zzzzzzzzzzzzzz', /decompress/); // lz-string itself throws on this one
    expectDefaults(rawLink('{"seed": 4'), /damaged/);
    expectDefaults(link([1, 2, 3]), /not a set of settings/);
    expectDefaults(link('just text'), /not a set of settings/);
    expectDefaults(`#v=1&x=${'A'.repeat(MAX_HASH_LENGTH + 1)}`, /too long/);
    expectDefaults('x'.repeat(10 * MAX_HASH_LENGTH), /too long/);
    expectDefaults(rawLink(JSON.stringify({ reward: { code: 'x'.repeat(300_000) } })), /too large/);
    expectDefaults('#hello', /unknown link parameter "hello"/);
    expectDefaults(undefined, /no link/);
    expectDefaults(42, /no link/);
  });

  it('reads a wrong or missing version as a note, and a future version as defaults', () => {
    expectDefaults(link({ seed: 7 }, 99), /newer version/);
    expectDefaults(link({ seed: 7 }, 'abc'), /version is unreadable/);
    expectDefaults(link({ seed: 7 }, -1), /version is unreadable/);
    const noVersion = decodeExperiment(link({ seed: 7 }).replace('v=1&', ''));
    expect(noVersion.config.seed).toBe(7);
    expect(noVersion.notes.join()).toMatch(/does not say its format version/);
  });

  it('drops unknown keys and unknown parameters with a note', () => {
    const r = decodeExperiment(`${link({ seed: 5, colour: 'red', algorithm: { lr: 0.01, turbo: true } })}&utm_source=chat`);
    expect(r.config.seed).toBe(5);
    expect(r.config.algorithm.lr).toBe(0.01);
    expect(r.config).not.toHaveProperty('colour');
    expect(r.config.algorithm).not.toHaveProperty('turbo');
    expect(r.notes).toEqual([
      'Ignored the unknown link parameter "utm_source".',
      'Ignored the unknown setting "turbo" in algorithm.',
      'Ignored the unknown setting "colour".',
    ]);
  });

  it('never assigns __proto__, constructor or prototype keys (no prototype pollution)', () => {
    const hostile = [
      '{"__proto__": {"polluted": 1}}',
      '{"algorithm": {"__proto__": {"polluted": 1}, "lr": 0.02}}',
      '{"constructor": {"prototype": {"polluted": 1}}}',
      '{"task": {"constructor": {"prototype": {"polluted": 1}}, "prototype": {"polluted": 1}}}',
      '{"preset": "__proto__"}',
      '{"preset": "constructor"}',
    ];
    for (const json of hostile) {
      const r = decodeExperiment(rawLink(json));
      expect(experimentSchema.safeParse(r.config).success).toBe(true);
      expect(r.notes.length).toBeGreaterThan(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(r.config)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(r.config.algorithm)).toBe(Object.prototype);
      expect(Object.hasOwn(r.config, '__proto__')).toBe(false);
    }
    expect(decodeExperiment(rawLink('{"algorithm": {"__proto__": {"polluted": 1}, "lr": 0.02}}')).config.algorithm.lr).toBe(0.02);
    expect(decodeExperiment(rawLink('{"__proto__": {"polluted": 1}}')).notes).toEqual([
      'Ignored the reserved key "__proto__" (it could alter how objects behave).',
    ]);
  });

  it('keeps the preset\'s value for wrong types, NaN/Infinity strings and unknown choices', () => {
    const r = decodeExperiment(
      link({
        seed: '12',
        algorithm: { lr: 'NaN', clipLow: 'Infinity', temperature: null, estimator: 'ppo-magic', klInReward: 'yes', dualClip: '<b>3</b>' },
        task: { id: 'chess', arms: 'd1' },
        model: 'base',
        run: [],
      }),
    );
    expect(r.config).toEqual(defaults);
    expect(r.notes).toHaveLength(11);
    expect(r.notes).toContain('seed: expected a number, got a text of 2 characters; kept the preset\'s value.');
    expect(r.notes).toContain('algorithm.estimator: "ppo-magic" is not one of the choices (grpo, dr-grpo, rloo, reinforce++, reinforce++-baseline, reinforce); kept the preset\'s value.');
    expect(r.notes).toContain('task.id: a key with unusual characters is not one of the choices (addition, multiplication, modular, sorting, reversal, parity, countdown, program); kept the preset\'s value.'.replace('a key with unusual characters', '"chess"'));
    // JSON has no NaN/Infinity literals, but 1e999 parses to Infinity.
    const inf = decodeExperiment(rawLink('{"algorithm": {"lr": 1e999, "clipHigh": -1e999}}'));
    expect(inf.config).toEqual(defaults);
    expect(inf.notes).toEqual([
      'algorithm.clipHigh: the number is not finite; kept the preset\'s value.',
      'algorithm.lr: the number is not finite; kept the preset\'s value.',
    ]);
  });

  it('clamps out-of-range numbers and rounds integers, saying so', () => {
    const r = decodeExperiment(link({ seed: -5, algorithm: { lr: 5, samplesPerPrompt: 8.6, promptsPerStep: 1e9, dualClip: 0.5 }, run: { steps: 0 } }));
    expect(r.config.seed).toBe(0);
    expect(r.config.algorithm.lr).toBe(1);
    expect(r.config.algorithm.samplesPerPrompt).toBe(9);
    expect(r.config.algorithm.promptsPerStep).toBe(256);
    expect(r.config.algorithm.dualClip).toBe(1.01);
    expect(r.config.run.steps).toBe(1);
    expect(r.notes).toEqual([
      'seed: -5 is below the minimum 0; clamped to 0.',
      'algorithm.promptsPerStep: 1000000000 is above the maximum 256; clamped to 256.',
      'algorithm.samplesPerPrompt: 8.6 is not a whole number; rounded to 9.',
      'algorithm.dualClip: 0.5 is below the minimum 1.01; clamped to 1.01.',
      'algorithm.lr: 5 is above the maximum 1; clamped to 1.',
      'run.steps: 0 is below the minimum 1; clamped to 1.',
    ]);
  });

  it('keeps only arms of the chosen task, without duplicates', () => {
    const r = decodeExperiment(link({ task: { id: 'addition', arms: ['d2', 'd2', 'len8', 7, '<script>'] } }));
    expect(r.config.task.arms).toEqual(['d2']);
    expect(r.notes).toEqual([
      'task.arms[3]: expected a text, got 7; dropped it.',
      'task.arms: "len8" is not an arm of the task "addition"; dropped.',
      'task.arms: a key with unusual characters is not an arm of the task "addition"; dropped.',
    ]);
  });

  it('an unknown preset starts from the defaults but keeps the link\'s own changes', () => {
    const r = decodeExperiment(link({ preset: 'from-the-future', seed: 9 }));
    expect(r.config).toEqual({ ...defaults, seed: 9 });
    expect(r.notes).toEqual(['preset: "from-the-future" is not a known preset; started from the defaults.']);
  });

  it('survives deeply nested junk without deep recursion', () => {
    const depth = 100_000;
    const r = decodeExperiment(rawLink(`{"algorithm": {"lr": ${'['.repeat(depth)}${']'.repeat(depth)}}, "seed": 3}`));
    expect(experimentSchema.safeParse(r.config).success).toBe(true);
    expect(r.notes.length).toBeGreaterThan(0);
  });

  it('caps the number of notes', () => {
    const junk = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    const r = decodeExperiment(link(junk));
    expect(r.config).toEqual(defaults);
    expect(r.notes).toHaveLength(21);
    expect(r.notes[20]).toBe('…and 480 more problems like these.');
  });

  it('never quotes link text in notes', () => {
    const r = decodeExperiment(link({ '<img src=x onerror=alert(1)>': 1, algorithm: { estimator: '<script>alert(1)</script>' }, preset: '"><svg onload=alert(1)>' }));
    expect(r.config).toEqual(defaults);
    expect(r.notes).toHaveLength(3);
    for (const note of r.notes) expect(note).not.toMatch(/[<>]/);
  });

it('carries the number of seeds, and clamps more than MAX_SEEDS with a note', () => {
  const config = { ...defaultExperiment(), seeds: 3 };
  expect(decodeExperiment(encodeExperiment(config)).config.seeds).toBe(3);
  expect(decodeExperiment(encodeExperiment(defaultExperiment())).config.seeds).toBe(1);
  const tooMany = decodeExperiment(encodeExperiment({ ...config, seeds: MAX_SEEDS + 1 }));
  expect(tooMany.config.seeds).toBe(MAX_SEEDS);
  expect(tooMany.notes.join(' ')).toMatch(/seeds/);
});
});
