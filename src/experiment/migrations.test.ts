import { compressToEncodedURIComponent } from 'lz-string';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from './migrations';
import { Notes } from './notes';
import { presetConfig } from './presets';
import { SCHEMA_VERSION, defaultExperiment } from './schema';
import { decodeExperiment } from './urlCodec';

const link = (payload: unknown, version: number) => `#v=${version}&x=${compressToEncodedURIComponent(JSON.stringify(payload))}`;

describe('migrations', () => {
  it('has a migration from every older version', () => {
    for (let v = 0; v < SCHEMA_VERSION; v++) expect(MIGRATIONS[v]).toBeTypeOf('function');
  });

  it('upgrades a version-0 link (flat shape, TRL loss names) to the current shape', () => {
    const r = decodeExperiment(link({ preset: 'rloo', seed: 11, task: 'sorting', G: 4, B: 8, lr: 0.002, beta: 0.04, clip: 0.25, loss: 'dr_grpo', steps: 50 }, 0));
    const expected = presetConfig('rloo');
    expected.seed = 11;
    expected.task.id = 'sorting';
    Object.assign(expected.algorithm, { samplesPerPrompt: 4, promptsPerStep: 8, lr: 0.002, klCoef: 0.04, clipLow: 0.25, clipHigh: 0.25, aggregation: 'seq-mean-token-sum-norm' });
    expected.run.steps = 50;
    expect(r.config).toEqual(expected);
    expect(r.notes).toEqual(['This link was made by an older version of RLVR Lab (format 0); its settings were carried over to format 1.']);
  });

  it('then validates what the old link carried like any other', () => {
    const r = decodeExperiment(link({ G: 1000, loss: 'ppo', extra: 1, __proto__x: 2 }, 0));
    expect(r.config.algorithm.samplesPerPrompt).toBe(64);
    expect(r.config.algorithm.aggregation).toBe(defaultExperiment().algorithm.aggregation);
    expect(r.notes).toHaveLength(4);
    expect(r.notes[0]).toMatch(/Ignored 2 settings that version 0 links did not have/);
  });

  it('reads a version-0 payload of the wrong shape without throwing', () => {
    for (const junk of [{ task: { id: 'addition' } }, { G: 'many' }, { clip: [1, 2] }, {}]) {
      const notes = new Notes();
      expect(() => migrate(0, junk, notes)).not.toThrow();
      expect(decodeExperiment(link(junk, 0)).config.version).toBe(SCHEMA_VERSION);
    }
  });

  it('refuses a future version with a clear note, leaving the caller to load the defaults', () => {
    const notes = new Notes();
    expect(migrate(SCHEMA_VERSION + 1, { seed: 3 }, notes)).toBeNull();
    expect(notes.toArray()[0]).toMatch(/newer version of RLVR Lab.*Reload the page/);
  });

  it('leaves a current-version payload alone', () => {
    const notes = new Notes();
    expect(migrate(SCHEMA_VERSION, { seed: 3 }, notes)).toEqual({ seed: 3 });
    expect(notes.count).toBe(0);
  });
});
