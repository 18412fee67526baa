// The Self-play section: which loop of src/selfplay the run drives instead of the RL trainer (none =
// plain RL), the run's length in loop iterations, and that loop's knobs, generated from the schema.
// Each loop gets one line on what it does and one on what its plots should show.
import type { z } from 'zod';
import { SELFPLAY_LOOPS, selfplaySchema, type SelfplayLoopKind } from '../../experiment/schema';
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

/** The config key of each loop's knobs. */
const KNOBS_KEY = { 'propose-solve': 'proposeSolve', spin: 'spin', 'creator-solver': 'creatorSolver', 'self-consuming': 'selfConsuming' } as const;

export const SELFPLAY_LABELS: Record<SelfplayLoopKind, string> = {
  none: 'none (RL as configured)',
  'propose-solve': 'propose/solve (Absolute Zero)',
  spin: 'SPIN (self-play fine-tuning)',
  'creator-solver': 'creator/solver (eva)',
  'self-consuming': 'self-consuming generations',
};

export const SELFPLAY_ABOUT: Record<SelfplayLoopKind, string> = {
  none: 'No self-play: the run is RL with the algorithm, reward and curriculum above.',
  'propose-solve':
    'One policy, two roles told apart by a role token: after <propose> it writes a problem in the task\'s grammar, an executor checks it and computes the answer, after <solve> it answers G times. Solver reward: the verifier; proposer reward: learnability 1 − acc (0 < acc < 1, else extremeReward), −1 for a malformed proposal. A short SFT warm-up on seed problems teaches the roles first.',
  spin: 'Each iteration the current model answers the prompts of a fixed SFT dataset; the next model is trained (−log σ(u), or hinge) to prefer the real answers to its own, against the frozen previous iterate: u = β[(log p_θ − log p_opp)(y_real) − (log p_θ − log p_opp)(y_gen)].',
  'creator-solver':
    'A creator keeps a buffer of prompts scored by regret (max − mean reward of the solver\'s group) and evolves children of the most informative ones by digit mutations; the solver is the RL trainer (Algorithm section) on a batch of fresh, evolved and replayed prompts.',
  'self-consuming':
    'Generation k is trained by SFT on answers sampled from generation k − 1 (model collapse); a fraction of real answers, or verifier curation of the samples (= rejection-sampling fine-tuning), are the two known remedies.',
};

export const SELFPLAY_PLOTS_ABOUT: Record<SelfplayLoopKind, string> = {
  none: '',
  'propose-solve':
    'Plots: valid proposals should rise; the proposer should drift to problems the solver sometimes solves (learnability up, operand digits toward the solver\'s frontier) while diversity stays near 1; held-out accuracy is read from iteration 0 (after the warm-up).',
  spin: 'Plots: rewards/real above rewards/generated (margin > 0), discrimination accuracy at the end of an iteration high; as the opponent\'s answers match the real ones (ties) the signal runs out. Held-out accuracy may gain a little.',
  'creator-solver': 'Plots: the batch\'s informativeness (groups with reward spread) should sit above what fresh prompts give, the buffer\'s difficulty near the solver\'s frontier; held-out accuracy need not follow.',
  'self-consuming':
    'Plots: with no fresh data and no curation held-out accuracy should fall generation by generation (collapse); fresh data bounds the fall; curation raises accuracy and narrows diversity.',
};

/** Labels and tooltips of the self-play fields (SchemaField name → words). */
const INFO: Record<string, FieldInfo> = {
  iterations: { label: 'Iterations', help: 'The run stops after this many loop iterations (propose/solve rounds, SPIN iterations, creator/solver batches, generations).' },
  evalEvery: { label: 'Evaluate every (iterations)', help: 'Held-out evaluation of the real task every N iterations, and of the starting policy; 0 = never. Self-consuming evaluates every generation. Prompts per arm: the Run section\'s eval prompts.' },
  proposals: { label: 'Proposals per iteration', help: 'Problems the proposer writes per iteration (its GRPO group).' },
  solverSamples: { label: 'Solver samples (G)', help: 'Answers per valid proposal; acc is their mean.' },
  extremeReward: { label: 'Extreme-value reward', help: 'Proposer reward when the solver always or never solves a proposal: 0 in the Absolute Zero paper, −0.5 in its official code.', step: 'any' },
  warmupSteps: { label: 'Warm-up SFT steps', help: 'Supervised steps on seed problems before self-play: half proposer examples (<propose> → problem), half solver examples (<solve> problem → answer).' },
  beta: { label: 'β', help: 'SPIN\'s β (0.1 in the paper), scaling the log-ratio margin u.', step: 'any' },
  loss: { label: 'Loss', help: 'sigmoid: −log σ(u) (the paper); hinge: max(0, 1 − u).' },
  datasetSize: { label: 'Dataset size (pairs)', help: '(prompt, real answer) pairs from the training split, drawn once and answered anew by the opponent every iteration.' },
  lr: { label: 'Learning rate', help: 'AdamW learning rate of SPIN. 1e-4 is stable on the addition checkpoint; 5e-4 wrecked d1 in one iteration in the recorded run.', step: 'any' },
  bufferSize: { label: 'Buffer size', help: 'Most prompts the creator keeps; the least informative (then the oldest) are evicted.' },
  freshFraction: { label: 'Fresh fraction', help: 'creator/solver: share of each batch drawn fresh from the task. self-consuming: share of the prompts trained on their real answer instead of a sampled one.', step: 'any' },
  evolveFraction: { label: 'Evolved fraction', help: 'Share of each batch that is newly evolved children of informative buffer prompts (the rest replays buffer prompts).', step: 'any' },
  prompts: { label: 'Prompts per generation', help: 'Training prompts of each generation (new ones every generation; the answers are what is synthetic).' },
  curate: { label: 'Verifier curation', help: 'Keep only the sampled answers the verifier accepts: rejection-sampling fine-tuning (STaR / RFT).' },
  sftSteps: { label: 'SFT steps per generation', help: 'Supervised steps (batches of 32) that train each generation on its data.' },
};

export default function SelfplaySection() {
  const settings = useConfigStore((s) => s.config.selfplay);
  const loop = settings.loop;
  const knobsKey = loop === 'none' ? null : KNOBS_KEY[loop];
  const knobsShape = knobsKey ? innerShape(selfplayShape[knobsKey]) : {};
  const field = (path: string[], key: string, schema: z.ZodType) => <SchemaField key={path.join('.')} path={path} name={`selfplay-${key}`} schema={schema} label={INFO[key]?.label ?? key} help={INFO[key]?.help ?? ''} step={INFO[key]?.step} />;
  return (
    <>
      <FieldRow path={['selfplay', 'loop']} name="selfplay-loop" label="Self-play loop" help="A self-play loop of src/selfplay replaces the RL trainer: one loop iteration per step of the run (RL_REFERENCE.md, Self-play).">
        <select data-testid="config-field-selfplay-loop" aria-label="Self-play loop" value={loop} onChange={(e) => proposeField(['selfplay', 'loop'], e.target.value)}>
          {SELFPLAY_LOOPS.map((k) => (
            <option key={k} value={k}>
              {SELFPLAY_LABELS[k]}
            </option>
          ))}
        </select>
      </FieldRow>
      <p className="muted small" data-testid="selfplay-about">
        {SELFPLAY_ABOUT[loop]}
      </p>
      {loop !== 'none' && (
        <>
          <p className="muted small" data-testid="selfplay-plots-about">
            {SELFPLAY_PLOTS_ABOUT[loop]}
          </p>
          {field(['selfplay', 'iterations'], 'iterations', selfplayShape.iterations)}
          {loop !== 'self-consuming' && field(['selfplay', 'evalEvery'], 'evalEvery', selfplayShape.evalEvery)}
          <fieldset className="field-group" data-testid={`selfplay-knobs-${loop}`}>
            <legend>{SELFPLAY_LABELS[loop]}</legend>
            {Object.keys(knobsShape).map((k) => field(['selfplay', knobsKey!, k], k, knobsShape[k]))}
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
