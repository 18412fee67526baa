// The Curriculum section: which sampler chooses each prompt's arm (a kind select, then that kind's
// parameters, generated from its variant in the schema; labels and tooltips from the sampler's own
// descriptor, src/curriculum/<kind>.ts) and online difficulty filtering. Choosing a
// kind starts from that kind's defaults; a mixture starts with equal weights on the task's arms.
import type { z } from 'zod';
import { CURRICULUM_DESCRIPTORS, CURRICULUM_KINDS, type CurriculumKind, type NumberParam } from '../../curriculum/curriculum';
import { curriculumSchema, defaultCurriculum, filterSchema } from '../../experiment/schema';
import { useConfigStore } from '../../state/configStore';
import { getTask } from '../../tasks/registry';
import { FieldRow, SchemaField, proposeField } from './Field';
import { fieldInfo } from './fieldInfo';

type Shape = Record<string, z.ZodType>;

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
  const descriptor = CURRICULUM_DESCRIPTORS[curriculum.kind];
  const info = (k: string): Pick<NumberParam, 'label' | 'help'> & { integer?: boolean } | undefined =>
    (descriptor.params as Record<string, NumberParam>)[k] ?? ('choices' in descriptor ? (descriptor.choices as Record<string, { label: string; help: string }>)[k] : undefined);

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
      <FieldRow path={['curriculum', 'kind']} name="curriculum-kind" label="Curriculum" help="Which arm each prompt of a step is drawn from (docs/rl-reference.md, Curricula).">
        <select data-testid="config-field-curriculum-kind" aria-label="Curriculum" value={curriculum.kind} onChange={(e) => chooseKind(e.target.value as CurriculumKind)}>
          {CURRICULUM_KINDS.map((k) => (
            <option key={k} value={k}>
              {CURRICULUM_DESCRIPTORS[k].label}
            </option>
          ))}
        </select>
      </FieldRow>
      <p className="muted small" data-testid="curriculum-about">
        {descriptor.about}
      </p>
      {params.map((k) => (
        <SchemaField
          key={`${curriculum.kind}.${k}`}
          path={['curriculum', k]}
          name={`curriculum-${k}`}
          schema={shape[k]}
          label={info(k)?.label}
          help={info(k)?.help}
          step={info(k)?.integer === false ? 'any' : undefined}
        />
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
