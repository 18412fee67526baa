// The curriculum factory: a config (CurriculumConfig, types.ts) and the run's arms → the sampler it
// names. The samplers live one per file, each with its descriptor (label, description, parameter
// ranges and defaults, params.ts), which the experiment schema and the config panel derive from.
// A curriculum is an ArmSampler (the trainer's interface, src/rl/rollout.ts) that also reports its
// per-arm state for the live views. It counts steps itself: every update() call is one step.
// chooseArms may be called several times per step (dynamic sampling, over-sampling) without advancing
// anything but the per-arm `chosen` counters.
import { AlpCurriculum, alpDescriptor } from './alp';
import { CyclicalCurriculum, cyclicalDescriptor } from './cyclical';
import { DumpCurriculum, dumpDescriptor } from './dump';
import { EasyToHardCurriculum, easyToHardDescriptor } from './easyToHard';
import { FixedOrderCurriculum, fixedOrderDescriptor } from './fixedOrder';
import { MixtureCurriculum, mixtureDescriptor } from './mixture';
import { param, type CurriculumDescriptor } from './params';
import { SEC_UPDATE_RULES, SecCurriculum, secDescriptor } from './sec';
import type { ArmInfo, Curriculum, CurriculumArm, CurriculumConfig, CurriculumKind } from './types';
import { UniformCurriculum, uniformDescriptor } from './uniform';

export * from './types';
export { param, type CurriculumDescriptor, type NumberParam, type ParamRange } from './params';
export { MIXTURE_WEIGHT_MAX } from './mixture';
export { DISPLAY_WINDOW } from './base';
export { SEC_UPDATE_DEFAULT, SEC_UPDATE_RULES, type SecUpdateRule } from './sec';

/** Every kind's descriptor (label, description, parameters), in the panel's order. */
export const CURRICULUM_DESCRIPTORS = {
  uniform: uniformDescriptor,
  mixture: mixtureDescriptor,
  'fixed-order': fixedOrderDescriptor,
  'easy-to-hard': easyToHardDescriptor,
  cyclical: cyclicalDescriptor,
  dump: dumpDescriptor,
  sec: secDescriptor,
  alp: alpDescriptor,
} as const satisfies { [K in CurriculumKind]: CurriculumDescriptor<K> };

/**
 * The numeric parameters of each kind, from the samplers' descriptors: ranges, defaults, labels. The
 * zod schema derives from these; createCurriculum throws a RangeError for a value outside them (the
 * schema clamps links into them first). Mixture weights: each in [0, MIXTURE_WEIGHT_MAX], at least
 * one > 0, keys must be arm ids.
 */
export const CURRICULUM_PARAMS = {
  'fixed-order': fixedOrderDescriptor.params,
  'easy-to-hard': easyToHardDescriptor.params,
  cyclical: cyclicalDescriptor.params,
  dump: dumpDescriptor.params,
  sec: secDescriptor.params,
  alp: alpDescriptor.params,
} as const;

export function normaliseArms(arms: readonly CurriculumArm[]): ArmInfo[] {
  if (arms.length === 0) throw new Error('curriculum: no arms to sample from.');
  const out = arms.map((a, i) => (typeof a === 'string' ? { id: a, level: i + 1 } : { id: a.id, level: a.level ?? i + 1 }));
  const seen = new Set<string>();
  for (const a of out) {
    if (seen.has(a.id)) throw new Error(`curriculum: arm ${JSON.stringify(a.id)} is listed twice.`);
    seen.add(a.id);
  }
  return out;
}

/** Builds the curriculum a config describes over the run's training arms (in the given order). */
export function createCurriculum(config: CurriculumConfig, arms: readonly CurriculumArm[]): Curriculum {
  const list = normaliseArms(arms);
  const P = CURRICULUM_PARAMS;
  switch (config.kind) {
    case 'uniform':
      return new UniformCurriculum(list);
    case 'mixture':
      return new MixtureCurriculum(list, config.weights);
    case 'fixed-order':
      return new FixedOrderCurriculum(list, param('fixed-order', 'stepsPerArm', config.stepsPerArm, P['fixed-order'].stepsPerArm));
    case 'easy-to-hard':
      return new EasyToHardCurriculum(list, param('easy-to-hard', 'totalSteps', config.totalSteps, P['easy-to-hard'].totalSteps));
    case 'cyclical':
      return new CyclicalCurriculum(list, param('cyclical', 'period', config.period, P.cyclical.period));
    case 'dump':
      return new DumpCurriculum(list, {
        window: param('dump', 'window', config.window, P.dump.window),
        temperature: param('dump', 'temperature', config.temperature, P.dump.temperature),
      });
    case 'sec':
      if (config.update !== undefined && !SEC_UPDATE_RULES.includes(config.update)) {
        throw new RangeError(`curriculum sec: update must be one of ${SEC_UPDATE_RULES.join(', ')}, got ${JSON.stringify(config.update)}`);
      }
      return new SecCurriculum(list, {
        alpha: param('sec', 'alpha', config.alpha, P.sec.alpha),
        tau: param('sec', 'tau', config.tau, P.sec.tau),
        update: config.update,
      });
    case 'alp':
      return new AlpCurriculum(list, {
        fastRate: param('alp', 'fastRate', config.fastRate, P.alp.fastRate),
        slowRate: param('alp', 'slowRate', config.slowRate, P.alp.slowRate),
        epsilon: param('alp', 'epsilon', config.epsilon, P.alp.epsilon),
      });
    default: {
      const unknown: never = config;
      throw new Error(`curriculum: unknown kind ${JSON.stringify((unknown as { kind: unknown }).kind)}`);
    }
  }
}
