import { describe, expect, it } from 'vitest';
import { CONTROL_GROUPS, MAX_STOP_AT, keepLocked, parseClassroomLink, withClassroomOptions } from './classroomLink';
import { defaultExperiment } from './schema';

describe('classroom link options', () => {
  it('reads hide, lock and stopAt beside the other query parameters', () => {
    expect(parseClassroomLink('?view=basic&hide=model,selfplay&lock=algorithm,seed&stopAt=20')).toEqual({
      hide: ['model', 'selfplay'],
      lock: ['algorithm', 'seed'],
      stopAt: 20,
      notes: [],
    });
    expect(parseClassroomLink('')).toEqual({ hide: [], lock: [], stopAt: null, notes: [] });
    // Without '?', spaces around items, repeats and empty items.
    expect(parseClassroomLink('hide= model ,,model&lock=')).toEqual({ hide: ['model'], lock: [], stopAt: null, notes: [] });
  });

  it('drops unknown groups with a note naming the parameter, and keeps the good ones', () => {
    const parsed = parseClassroomLink('?hide=model,rewards&lock=seed,everything');
    expect(parsed.hide).toEqual(['model']);
    expect(parsed.lock).toEqual(['seed']);
    expect(parsed.notes).toHaveLength(2);
    expect(parsed.notes[0]).toMatch(/"rewards" in hide=/);
    expect(parsed.notes[1]).toMatch(/"everything" in lock=/);
  });

  it('never quotes markup or long values back', () => {
    const parsed = parseClassroomLink(`?hide=${encodeURIComponent('<img src=x onerror=alert(1)>')}&stopAt=${'9'.repeat(40)}`);
    expect(parsed.hide).toEqual([]);
    expect(parsed.stopAt).toBeNull();
    expect(parsed.notes.join(' ')).not.toMatch(/[<>]/);
    expect(parsed.notes.join(' ')).toMatch(/unusual characters or too long/);
  });

  it('refuses a stopAt that is not a whole step from 1 with a note, and runs on', () => {
    for (const bad of ['0', '-3', '2.5', 'ten', '', String(MAX_STOP_AT + 1), '1e3x']) {
      const parsed = parseClassroomLink(`?stopAt=${bad}`);
      expect(parsed.stopAt, bad).toBeNull();
      expect(parsed.notes, bad).toHaveLength(1);
      expect(parsed.notes[0]).toMatch(/stopAt=.*whole number of steps/);
    }
    expect(parseClassroomLink('?stopAt=1').stopAt).toBe(1);
  });

  it('uses the first of a repeated parameter and says so', () => {
    const parsed = parseClassroomLink('?stopAt=3&stopAt=9&hide=seed&hide=model');
    expect(parsed.stopAt).toBe(3);
    expect(parsed.hide).toEqual(['seed']);
    expect(parsed.notes).toEqual(['The link has hide= 2 times; used the first.', 'The link has stopAt= 2 times; used the first.']);
  });

  it('lets hide win over lock for the same group', () => {
    expect(parseClassroomLink('?hide=seed&lock=seed,model')).toMatchObject({ hide: ['seed'], lock: ['model'] });
  });

  it('never throws on odd input', () => {
    expect(parseClassroomLink(undefined).notes).toEqual([]);
    expect(parseClassroomLink('?hide=' + 'a,'.repeat(5000)).hide).toEqual([]);
    expect(parseClassroomLink('?%E0%A4%A=1&hide=%').hide).toEqual([]);
  });

  it('writes the options into a query, keeping the other parameters, and reads them back', () => {
    const options = { hide: ['curriculum' as const, 'gallery' as const], lock: ['seed' as const, 'curriculum' as const], stopAt: 5 };
    const query = withClassroomOptions('?view=basic&hide=model&lesson=kl', options);
    expect(query).toBe('?view=basic&lesson=kl&hide=curriculum,gallery&lock=seed&stopAt=5');
    expect(parseClassroomLink(query)).toEqual({ hide: ['curriculum', 'gallery'], lock: ['seed'], stopAt: 5, notes: [] });
    expect(withClassroomOptions('?hide=model&stopAt=3', { hide: [], lock: [], stopAt: null })).toBe('');
    for (const g of CONTROL_GROUPS) expect(parseClassroomLink(withClassroomOptions('', { hide: [g], lock: [], stopAt: null })).hide).toEqual([g]);
  });
});

describe('locked values', () => {
  it('keep the current value of every locked group and let the rest change', () => {
    const current = defaultExperiment();
    const next = { ...current, seed: current.seed + 1, algorithm: { ...current.algorithm, lr: current.algorithm.lr * 2 }, reward: { ...current.reward, code: 'x' } };
    const kept = keepLocked(next, current, ['seed', 'editor']);
    expect(kept.seed).toBe(current.seed);
    expect(kept.reward.code).toBe(current.reward.code);
    expect(kept.algorithm.lr).toBe(current.algorithm.lr * 2);
    expect(keepLocked(next, current, ['algorithm']).algorithm).toEqual(current.algorithm);
    expect(keepLocked(next, current, ['run']).seeds).toBe(current.seeds);
    expect(keepLocked(next, current, [])).toBe(next);
  });
});
