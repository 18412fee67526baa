import { describe, expect, it } from 'vitest';
import { algorithmSchema } from '../../experiment/schema';
import { BASIC_ALGORITHM_FIELDS, initialConfigView } from './configView';

describe('initialConfigView', () => {
  it("opens in Advanced (today's page) on a first visit", () => {
    expect(initialConfigView('', null)).toBe('advanced');
  });
  it('keeps the remembered choice', () => {
    expect(initialConfigView('', 'basic')).toBe('basic');
  });
  it("lets a link's option win over the remembered choice", () => {
    expect(initialConfigView('?view=basic', 'advanced')).toBe('basic');
    expect(initialConfigView('?mode=projector&view=advanced', 'basic')).toBe('advanced');
  });
  it('ignores values it does not know', () => {
    expect(initialConfigView('?view=expert', 'nonsense')).toBe('advanced');
  });
});

describe('BASIC_ALGORITHM_FIELDS', () => {
  it('names fields of the algorithm schema (a renamed field would vanish from Basic)', () => {
    for (const f of BASIC_ALGORITHM_FIELDS) expect(Object.keys(algorithmSchema.shape)).toContain(f);
  });
});
