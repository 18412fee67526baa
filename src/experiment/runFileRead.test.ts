// Run files as the lab's Import reads them: the real Node-recorded fixture, and every kind of bad file
// with the message that says what is wrong.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRunFile } from './runFileRead';

const text = readFileSync('e2e/fixtures/seeds3-default.json', 'utf8');
const seeds = () => JSON.parse(text);
const single = () => ({ ...seeds().replicas[0].record });

function message(value: unknown): string {
  const r = readRunFile(typeof value === 'string' ? value : JSON.stringify(value));
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.message;
}

describe('readRunFile', () => {
  it('reads a Node-recorded rlvr-lab-seeds/1 file and one of its replicas as rlvr-lab-run/1', () => {
    const set = readRunFile(text);
    expect(set.ok && set.value.kind).toBe('seeds');
    if (set.ok && set.value.kind === 'seeds') {
      expect(set.value.file.seeds).toEqual([1, 2, 3]);
      expect(set.value.file.replicas[2].record.steps).toHaveLength(6);
      expect(set.value.file.aggregate?.reward).toHaveLength(6);
    }
    const one = readRunFile(JSON.stringify(single()));
    expect(one.ok && one.value.kind).toBe('run');
  });

  it('says a file that is not JSON, or cut short, is so', () => {
    expect(message('hello, not json')).toMatch(/not JSON/);
    expect(message(text.slice(0, text.length / 2))).toMatch(/ends too early \(truncated\?\)/);
    expect(message('')).toMatch(/ends too early/);
  });

  it('says JSON that is not a run file, or of another format, is not one this lab reads', () => {
    expect(message([1, 2])).toMatch(/not a run file: a run file is an object with a "format" field/);
    expect(message({ steps: [] })).toMatch(/no "format" field \(expected rlvr-lab-run\/1 or rlvr-lab-seeds\/1\)/);
    expect(message({ ...seeds(), format: 'rlvr-lab-run/9' })).toMatch(/its format is "rlvr-lab-run\/9"/);
  });

  it('names the field of a bad config', () => {
    const bad = seeds();
    bad.replicas[1].record.config.algorithm.lr = 'fast';
    expect(message(bad)).toMatch(/replicas\[1\]\.record\.config\.algorithm\.lr: .*expected number/);
    const outOfRange = single();
    outOfRange.config = { ...outOfRange.config, seeds: 99 };
    expect(message(outOfRange)).toMatch(/config\.seeds: /);
  });

  it('refuses a NaN (written as null) or a string where a number must be, saying where', () => {
    const nan = seeds();
    nan.replicas[0].record.steps[3].reward = null;
    expect(message(nan)).toMatch(/replicas\[0\]\.record\.steps\[3\]\.reward: .*received null \(a NaN or infinite value is written as null in JSON\)/);
    const evalNan = single();
    evalNan.evaluations[1].arms[0].passAtK['1'] = 'NaN';
    expect(message(evalNan)).toMatch(/evaluations\[1\]\.arms\[0\]\.passAtK\.1: /);
    const missing = single();
    delete missing.steps[0].entropy;
    expect(message(missing)).toMatch(/steps\[0\]\.entropy/);
  });

  it('refuses a multi-seed file whose seeds do not add up', () => {
    const repeated = seeds();
    repeated.replicas[1].seed = 1;
    expect(message(repeated)).toMatch(/seed 1 appears in more than one replica/);
    const list = seeds();
    list.seeds = [1, 2, 4];
    expect(message(list)).toMatch(/seed list \(1, 2, 4\) does not match its replicas' seeds \(1, 2, 3\)/);
    const trained = seeds();
    trained.replicas[2].record.config.seed = 7;
    expect(message(trained)).toMatch(/replica of seed 3 was trained with seed 7/);
    expect(message({ ...seeds(), replicas: [] })).toMatch(/replicas: /);
  });
});
