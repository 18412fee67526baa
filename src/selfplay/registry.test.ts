import { describe, expect, it } from 'vitest';
import { SELFPLAY_LOOPS, selfplaySchema } from '../experiment/schema';
import { SELFPLAY_LOOP_IDS, SELFPLAY_REGISTRY, isSelfplayLoopId } from './registry';

describe('the self-play registry', () => {
  it('is what the experiment schema offers, besides none', () => {
    expect(SELFPLAY_LOOPS).toEqual(['none', ...SELFPLAY_LOOP_IDS]);
    expect(isSelfplayLoopId('spin')).toBe(true);
    expect(isSelfplayLoopId('none')).toBe(false);
    expect(isSelfplayLoopId('toString')).toBe(false);
  });

  it("gives each loop's knobs to the schema with the descriptor's defaults", () => {
    const defaults = selfplaySchema.parse({}) as unknown as Record<string, Record<string, unknown>>;
    for (const id of SELFPLAY_LOOP_IDS) {
      const entry = SELFPLAY_REGISTRY[id];
      expect(entry.id).toBe(id);
      const knobs = defaults[entry.configKey];
      expect(Object.keys(knobs), id).toEqual(Object.keys(entry.params));
      for (const [key, param] of Object.entries(entry.params)) {
        expect(knobs[key], `${id}.${key}`).toBe(param.default);
        if (param.kind === 'number') {
          expect(param.default).toBeGreaterThanOrEqual(param.min);
          expect(param.default).toBeLessThanOrEqual(param.max);
        }
        expect(param.label.length, `${id}.${key} has a label`).toBeGreaterThan(0);
        expect(param.help.length, `${id}.${key} has help`).toBeGreaterThan(0);
      }
    }
  });

  it("refuses a knob outside its descriptor's range", () => {
    const parsed = selfplaySchema.safeParse({ spin: { beta: SELFPLAY_REGISTRY.spin.params.beta.max * 2 } });
    expect(parsed.success).toBe(false);
    expect(selfplaySchema.safeParse({ spin: { loss: 'nope' } }).success).toBe(false);
  });
});
