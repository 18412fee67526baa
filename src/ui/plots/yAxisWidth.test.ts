import { describe, expect, it } from 'vitest';
import { getNiceTickValues } from 'recharts';
import { formatTick } from './chartTheme';
import { estimateLabelWidth, valueExtent, yAxisWidth, yTickLabels } from './yAxisWidth';

const rows = (values: (number | null)[]) => values.map((v, x) => ({ x: x * 1000, a: v }));
const measure = (label: string) => estimateLabelWidth(label, 11);

describe('the y axis width worked out before drawing', () => {
  it('takes the extent of lines and bands, skipping gaps and the x column', () => {
    expect(valueExtent([{ x: 99, a: 0.2, b: null, band: [0.1, 0.7] }, { x: -5, a: 0.3, b: Number.NaN }])).toEqual([0.1, 0.7]);
    expect(valueExtent([{ x: 1, a: null }])).toBeNull();
    expect(yTickLabels([{ x: 1, a: null }], 'free', false)).toEqual([]);
  });

  it("lists every tick recharts draws for an 'auto' domain, with its minus sign", () => {
    const loss = rows([-0.0123, -0.0163, -0.0223]);
    const labels = yTickLabels(loss, 'free', false);
    for (const tick of getNiceTickValues([-0.0223, -0.0123], 5, true)) expect(labels).toContain(formatTick(tick));
    expect(labels).toContain('-0.0123');
    expect(labels.every((l) => l.startsWith('-'))).toBe(true);
  });

  it("a probability's axis runs 0 to 1, so its labels are 0 … 1", () => {
    const labels = yTickLabels(rows([0.6, 0.9]), 'probability', false);
    expect(labels).toContain('0');
    expect(labels).toContain('1');
  });

  it('a log axis includes the powers of ten it can tick at', () => {
    const labels = yTickLabels(rows([0.002, 0.3]), 'free', true);
    expect(labels).toEqual(expect.arrayContaining(['0.001', '0.01', '0.1', '1']));
  });

  it('fits the widest label, tick line and margin; negative labels get a wider axis', () => {
    const narrow = yAxisWidth(yTickLabels(rows([0.2, 0.5]), 'free', false), measure);
    const negative = yAxisWidth(yTickLabels(rows([-0.0123, -0.0223]), 'free', false), measure);
    expect(negative).toBeGreaterThan(narrow);
    expect(negative).toBeGreaterThanOrEqual(Math.ceil(measure('-0.0123')) + 8);
    expect(yAxisWidth(['0'], measure)).toBe(24); // never narrower than a minimal axis
    expect(yAxisWidth([], measure)).toBe(24);
  });
});
