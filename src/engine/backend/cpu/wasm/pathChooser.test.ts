// The timed choice between the matmul pool and one thread, on a fake clock: each path "takes" the time
// the test gives it, so the decisions are exact, not timings of this machine.
import { describe, expect, it } from 'vitest';
import { TimedPathChooser } from './pathChooser';

/** A chooser on a fake clock and two paths whose durations the test sets; `log` records the path run. */
function setup(trials = 3, recheckEvery = 10) {
  let clock = 0;
  const chooser = new TimedPathChooser(() => clock, trials, recheckEvery);
  const ms = { pool: 1, single: 1 };
  const log: string[] = [];
  let poolCanSplit = true;
  const pool = () => {
    log.push('pool');
    if (!poolCanSplit) return null;
    clock += ms.pool;
    return 'pool result';
  };
  const single = () => {
    log.push('single');
    clock += ms.single;
    return 'single result';
  };
  return { chooser, ms, log, pool, single, cannotSplit: () => void (poolCanSplit = false) };
}

describe('TimedPathChooser', () => {
  it('times both paths alternately (a warm-up and `trials` each), then keeps the faster', () => {
    const { chooser, ms, log, pool, single } = setup(3);
    ms.pool = 6;
    ms.single = 10;
    for (let i = 0; i < 8; i++) chooser.run('k', pool, single);
    expect(log).toEqual(['pool', 'single', 'pool', 'single', 'pool', 'single', 'pool', 'single']);
    expect(chooser.choiceFor('k')).toBe('pool');
    log.length = 0;
    for (let i = 0; i < 5; i++) expect(chooser.run('k', pool, single)).toBe('pool result');
    expect(log).toEqual(Array(5).fill('pool'));
  });

  it('keeps one thread when the pool is not faster by the margin, and ignores the warm-up call', () => {
    const { chooser, ms, log, pool, single } = setup(3);
    ms.pool = 100; // the pool's first call (its workers starting) is slow ...
    ms.single = 10;
    chooser.run('k', pool, single);
    ms.pool = 9.8; // ... then it is 0.98× one thread: not enough (margin 0.95)
    for (let i = 0; i < 7; i++) chooser.run('k', pool, single);
    expect(chooser.choiceFor('k')).toBe('single');
    log.length = 0;
    for (let i = 0; i < 3; i++) expect(chooser.run('k', pool, single)).toBe('single result');
    expect(log).toEqual(['single', 'single', 'single']);
  });

  it('decides per shape, and times again after recheckEvery calls (a change of load is followed)', () => {
    const { chooser, ms, pool, single } = setup(1, 5);
    ms.pool = 5;
    ms.single = 10;
    for (let i = 0; i < 4; i++) chooser.run('a', pool, single);
    expect(chooser.choiceFor('a')).toBe('pool');
    expect(chooser.choiceFor('b')).toBeNull();
    ms.pool = 20; // the machine got busy: the worker is not scheduled in time
    for (let i = 0; i < 4; i++) chooser.run('a', pool, single);
    expect(chooser.choiceFor('a')).toBe('pool'); // not yet re-timed
    chooser.run('a', pool, single); // the 5th call since the choice starts timing again
    expect(chooser.choiceFor('a')).toBeNull();
    for (let i = 0; i < 3; i++) chooser.run('a', pool, single);
    expect(chooser.choiceFor('a')).toBe('single');
  });

  it('a shape the pool cannot split goes to one thread (until the next re-check)', () => {
    const { chooser, log, pool, single, cannotSplit } = setup(3);
    cannotSplit();
    expect(chooser.run('k', pool, single)).toBe('single result');
    expect(chooser.choiceFor('k')).toBe('single');
    log.length = 0;
    chooser.run('k', pool, single);
    expect(log).toEqual(['single']);
  });
});
