// Which curriculum charts the plots panel shows. A plain run (uniform over its arms, no filtering) has
// nothing to draw in them, so they stay away until a visible run has a curriculum — or, with no run
// shown yet, until the config about to run has one (so they are there, empty, when it starts).
import type { ExperimentConfig } from '../../experiment/schema';

export interface CurriculumCharts {
  /** Arm probability, arm score, mean |A| per arm, window accuracy per arm. */
  arms: boolean;
  /** filtering/frac_filtered: also for a uniform curriculum with difficulty filtering on. */
  filtering: boolean;
}

export function curriculumCharts(visibleConfigs: readonly ExperimentConfig[], current: ExperimentConfig): CurriculumCharts {
  const configs = visibleConfigs.length > 0 ? visibleConfigs : [current];
  const arms = configs.some((c) => c.curriculum.kind !== 'uniform');
  return { arms, filtering: arms || configs.some((c) => c.filter.enabled) };
}
