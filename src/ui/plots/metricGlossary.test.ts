import { describe, expect, it } from 'vitest';
import { METRIC_GLOSSARY } from './metricGlossary';
import { STEP_METRICS, FRAC_FILTERED } from './metricDefs';

describe('METRIC_GLOSSARY', () => {
  it('has an entry, with a formula and a source, for every RL step chart and both pass@k charts', () => {
    for (const id of [...STEP_METRICS.map((d) => d.id), FRAC_FILTERED.id, 'pass_at_k', 'pass_at_k_curve']) {
      const entry = METRIC_GLOSSARY[id];
      expect(entry, id).toBeDefined();
      for (const field of ['term', 'meaning', 'formula', 'source'] as const) expect(entry[field].length, `${id}.${field}`).toBeGreaterThan(3);
    }
  });
});
