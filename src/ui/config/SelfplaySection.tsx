// The Self-play section: which loop of src/selfplay the run drives instead of the RL trainer (none =
// plain RL), the run's length in loop iterations, and that loop's knobs, generated from the schema.
// Each loop's label, description, plots note and knob words come from its registry entry
// (src/selfplay/registry.ts).
import type { z } from 'zod';
import { SELFPLAY_LOOPS, selfplaySchema, type SelfplayLoopKind } from '../../experiment/schema';
import type { LoopParam } from '../../selfplay/params';
import { SELFPLAY_REGISTRY } from '../../selfplay/registry';
import { useConfigStore } from '../../state/configStore';
import { FieldRow, SchemaField, proposeField } from './Field';
import type { FieldInfo } from './fieldInfo';

type Shape = Record<string, z.ZodType>;

function innerShape(schema: z.ZodType): Shape {
  let t = schema as unknown as { def: { type: string; innerType?: unknown }; shape?: Shape };
  while (t.def.type === 'default' && t.def.innerType) t = t.def.innerType as typeof t;
  return t.shape ?? {};
}

const selfplayShape = selfplaySchema.shape as unknown as Shape;

/** The 'none' choice, then each registered loop (src/selfplay/registry.ts) with its own words. */
const NONE = { label: 'none (RL as configured)', about: 'No self-play: the run is RL with the algorithm, reward and curriculum above.' };

export const SELFPLAY_LABELS = Object.fromEntries(SELFPLAY_LOOPS.map((k) => [k, k === 'none' ? NONE.label : SELFPLAY_REGISTRY[k].label])) as Record<SelfplayLoopKind, string>;

/** Labels and tooltips of the fields every loop shares (SchemaField name → words); a loop's own knobs
 *  carry theirs in its descriptor. */
const COMMON_INFO: Record<string, FieldInfo> = {
  iterations: { label: 'Iterations', help: 'The run stops after this many loop iterations (propose/solve rounds, SPIN iterations, creator/solver batches, generations).' },
  evalEvery: { label: 'Evaluate every (iterations)', help: 'Held-out evaluation of the real task every N iterations, and of the starting policy; 0 = never. Self-consuming evaluates every generation. Prompts per arm: the Run section\'s eval prompts.' },
};

function knobInfo(param: LoopParam | undefined, key: string): FieldInfo {
  if (!param) return { label: key, help: '' };
  return { label: param.label, help: param.help, step: param.kind === 'number' && !param.integer ? 'any' : undefined };
}

export default function SelfplaySection() {
  const settings = useConfigStore((s) => s.config.selfplay);
  const loop = settings.loop;
  const entry = loop === 'none' ? null : SELFPLAY_REGISTRY[loop];
  const knobsKey = entry?.configKey ?? null;
  const knobsShape = knobsKey ? innerShape(selfplayShape[knobsKey]) : {};
  const field = (path: string[], key: string, schema: z.ZodType, info: FieldInfo) => <SchemaField key={path.join('.')} path={path} name={`selfplay-${key}`} schema={schema} label={info.label} help={info.help} step={info.step} />;
  return (
    <>
      <FieldRow path={['selfplay', 'loop']} name="selfplay-loop" label="Self-play loop" help="A self-play loop of src/selfplay replaces the RL trainer: one loop iteration per step of the run (docs/rl-reference.md, Self-play).">
        <select data-testid="config-field-selfplay-loop" aria-label="Self-play loop" value={loop} onChange={(e) => proposeField(['selfplay', 'loop'], e.target.value)}>
          {SELFPLAY_LOOPS.map((k) => (
            <option key={k} value={k}>
              {SELFPLAY_LABELS[k]}
            </option>
          ))}
        </select>
      </FieldRow>
      <p className="muted small" data-testid="selfplay-about">
        {entry ? entry.about : NONE.about}
      </p>
      {loop !== 'none' && (
        <>
          <p className="muted small" data-testid="selfplay-plots-about">
            {entry?.plotsAbout}
          </p>
          {field(['selfplay', 'iterations'], 'iterations', selfplayShape.iterations, COMMON_INFO.iterations)}
          {loop !== 'self-consuming' && field(['selfplay', 'evalEvery'], 'evalEvery', selfplayShape.evalEvery, COMMON_INFO.evalEvery)}
          <fieldset className="field-group" data-testid={`selfplay-knobs-${loop}`}>
            <legend>{SELFPLAY_LABELS[loop]}</legend>
            {Object.keys(knobsShape).map((k) => field(['selfplay', knobsKey!, k], k, knobsShape[k], knobInfo((entry?.params as Record<string, LoopParam> | undefined)?.[k], k)))}
          </fieldset>
          <p className="muted small">
            The loop starts from the model above (base checkpoint, random or SFT init) on the task&apos;s arms (ticked, else the loop&apos;s defaults) and rewards with the task&apos;s
            verifier: the Reward and Curriculum sections do not apply{loop === 'creator-solver' ? '; its solver takes the Algorithm section' : ', nor does the Algorithm section'}.
          </p>
        </>
      )}
    </>
  );
}
