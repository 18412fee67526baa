import { describe, expect, it } from 'vitest';
import { defaultCurriculum, defaultExperiment, type ExperimentConfig } from '../../experiment/schema';
import { curriculumCharts } from './curriculumCharts';

const plain = defaultExperiment();
const withCurriculum: ExperimentConfig = { ...plain, curriculum: defaultCurriculum('sec') };
const withFilter: ExperimentConfig = { ...plain, filter: { ...plain.filter, enabled: true } };

describe('curriculumCharts', () => {
  it('hides every curriculum chart for plain runs, whatever the next config says', () => {
    expect(curriculumCharts([plain, plain], withCurriculum)).toEqual({ arms: false, filtering: false });
  });
  it('shows them all when one visible run has a non-uniform curriculum', () => {
    expect(curriculumCharts([plain, withCurriculum], plain)).toEqual({ arms: true, filtering: true });
  });
  it('shows only frac_filtered for a uniform run with difficulty filtering', () => {
    expect(curriculumCharts([withFilter], plain)).toEqual({ arms: false, filtering: true });
  });
  it('with no run shown, follows the config about to run', () => {
    expect(curriculumCharts([], withCurriculum)).toEqual({ arms: true, filtering: true });
    expect(curriculumCharts([], plain)).toEqual({ arms: false, filtering: false });
  });
});
