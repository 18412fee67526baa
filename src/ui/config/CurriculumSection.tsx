// The Curriculum section: which sampler chooses each prompt's arm (a kind select, then that kind's
// parameters, generated from its variant in the schema) and online difficulty filtering. Choosing a
// kind starts from that kind's defaults; a mixture starts with equal weights on the task's arms.
import type { z } from 'zod';
import { CURRICULUM_KINDS, type CurriculumKind } from '../../curriculum/curriculum';
import { curriculumSchema, defaultCurriculum, filterSchema } from '../../experiment/schema';
import { useConfigStore } from '../../state/configStore';
import { getTask } from '../../tasks/registry';
import { FieldRow, SchemaField, proposeField } from './Field';
import { fieldInfo } from './fieldInfo';

type Shape = Record<string, z.ZodType>;

export const CURRICULUM_LABELS: Record<CurriculumKind, string> = {
  uniform: 'uniform',
  mixture: 'fixed mixture',
  'fixed-order': 'fixed order',
  'easy-to-hard': 'easy → hard schedule',
  cyclical: 'cyclical',
  dump: 'DUMP (UCB bandit on |A|)',
  sec: 'SEC (Q bandit on |A|)',
  alp: 'absolute learning progress',
};

export const CURRICULUM_ABOUT: Record<CurriculumKind, string> = {
  uniform: 'Every training arm equally likely.',
  mixture: 'Fixed probabilities proportional to the weights below (arms with weight 0 are never drawn).',
  'fixed-order': 'The arms in order, a fixed number of steps each, then the last one for good.',
  'easy-to-hard': 'A target level slides from the easiest arm (step 0) to the hardest (step totalSteps); its probability is split between the two neighbouring arms.',
  cyclical: 'Each arm in turn, easy → hard, a full pass every period steps, repeated.',
  dump: 'DUMP: μ_j = mean |Â| over the arm\'s last `window` samples; UCB_j = μ_j + sqrt(2 ln(N+1)/(n_j+1)); p = softmax(UCB / temperature).',
  sec: 'SEC: Q_c ← (1−α)·Q_c + α·r_c every step (r_c = mean |A| of the arm\'s samples this step, 0 if none drawn); p = softmax(Q / τ).',
  alp: 'Absolute learning progress: |fast EMA − slow EMA| of each arm\'s accuracy; p ∝ ALP, mixed with uniform by ε.',
};

function variantShape(kind: string): Shape {
  const variant = (curriculumSchema.options as unknown as { shape: Shape }[]).find((o) => (o.shape.kind as unknown as { value: string }).value === kind);
  return variant?.shape ?? {};
}

function innerShape(schema: z.ZodType): Shape {
  let t = schema as unknown as { def: { type: string; innerType?: unknown }; shape?: Shape };
  while (t.def.type === 'default' && t.def.innerType) t = t.def.innerType as typeof t;
  return t.shape ?? {};
}

const filterShape = innerShape(filterSchema);

export default function CurriculumSection() {
  const curriculum = useConfigStore((s) => s.config.curriculum);
  const filterOn = useConfigStore((s) => s.config.filter.enabled);
  const taskId = useConfigStore((s) => s.config.task.id);
  const chosenArms = useConfigStore((s) => s.config.task.arms);
  const task = getTask(taskId);
  const shape = variantShape(curriculum.kind);
  const params = Object.keys(shape).filter((k) => k !== 'kind' && k !== 'weights');

  const chooseKind = (kind: CurriculumKind) => {
    const next = defaultCurriculum(kind);
    if (next.kind === 'mixture') {
      // Equal weights on the ticked arms (every arm when none is ticked), 0 on the others.
      next.weights = Object.fromEntries(task.arms.map((a) => [a.id, chosenArms.length === 0 || chosenArms.includes(a.id) ? 1 : 0]));
    }
    proposeField(['curriculum'], next);
  };

  return (
    <>
      <FieldRow path={['curriculum', 'kind']} name="curriculum-kind" label="Curriculum" help="Which arm each prompt of a step is drawn from (RL_REFERENCE.md, Curricula).">
        <select data-testid="config-field-curriculum-kind" aria-label="Curriculum" value={curriculum.kind} onChange={(e) => chooseKind(e.target.value as CurriculumKind)}>
          {CURRICULUM_KINDS.map((k) => (
            <option key={k} value={k}>
              {CURRICULUM_LABELS[k]}
            </option>
          ))}
        </select>
      </FieldRow>
      <p className="muted small" data-testid="curriculum-about">
        {CURRICULUM_ABOUT[curriculum.kind]}
      </p>
      {params.map((k) => (
        <SchemaField key={`${curriculum.kind}.${k}`} path={['curriculum', k]} name={`curriculum-${k}`} schema={shape[k]} />
      ))}
      {curriculum.kind === 'mixture' && (
        <fieldset className="field-group" data-testid="curriculum-weights">
          <legend>Mixture weights</legend>
          {task.arms.filter((arm) => curriculum.kind === 'mixture' && typeof curriculum.weights[arm.id] === 'number').map((arm) => (
            <SchemaField
              key={arm.id}
              path={['curriculum', 'weights', arm.id]}
              name={`curriculum-weight-${arm.id}`}
              schema={(shape.weights as unknown as { def: { innerType: { def: { valueType: z.ZodType } } } }).def.innerType.def.valueType}
              label={`${arm.label} (${arm.id})`}
              help="Relative weight of the arm; arms the run does not train on are ignored. Leave at least one trained arm above 0."
            />
          ))}
        </fieldset>
      )}
      <fieldset className="field-group" data-testid="filter-settings">
        <legend>Online difficulty filtering</legend>
        {Object.keys(filterShape)
          .filter((k) => k === 'enabled' || filterOn)
          .map((k) => (
            <SchemaField key={k} path={['filter', k]} name={`filter-${k}`} schema={filterShape[k]} />
          ))}
        {!filterOn && <p className="muted small">{fieldInfo('filter-enabled').help}</p>}
      </fieldset>
    </>
  );
}
