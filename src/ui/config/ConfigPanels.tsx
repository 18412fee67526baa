// The left column: the experiment's config in collapsible sections. Inputs are generated from the zod
// schema (SchemaField); sections add what the schema cannot say (task descriptions, the base
// checkpoint's scores, the reward editor).
import { useState, type ReactNode } from 'react';
import type { z } from 'zod';
import { algorithmSchema, experimentSchema } from '../../experiment/schema';
import { useConfigStore } from '../../state/configStore';
import { isWarmingUp, useSessionStore } from '../../state/sessionStore';
import { TASKS, getTask } from '../../tasks/registry';
import { AnswerBudgetField } from './AnswerBudgetField';
import { BASIC_ALGORITHM_FIELDS, initialConfigView, readStoredView, storeView, type ConfigView } from './configView';
import { klEstimatorWarning } from './klEstimatorNote';
import { ALGORITHM_GROUPS } from './fieldInfo';
import { FieldRow, SchemaField, proposeField } from './Field';
import { useManifest } from './useManifest';
import { ControlGroupGate } from '../teaching/ControlGroupGate';

import CurriculumSection from './CurriculumSection';
import RewardSection from './RewardSection';
import SelfplaySection from './SelfplaySection';

type Shape = Record<string, z.ZodType>;

function innerShape(schema: z.ZodType): Shape {
  let t = schema as unknown as { def: { type: string; innerType?: unknown }; shape?: Shape };
  while (t.def.type === 'default' && t.def.innerType) t = t.def.innerType as typeof t;
  return t.shape ?? {};
}

const experimentShape = experimentSchema.shape as unknown as Shape;
const algorithmShape = algorithmSchema.shape as unknown as Shape;
const runShape = innerShape(experimentShape.run);
const modelShape = innerShape(experimentShape.model);
const taskShape = innerShape(experimentShape.task);

export function Section({ id, title, children, defaultOpen = false, note }: { id: string; title: string; children: ReactNode; defaultOpen?: boolean; note?: string }) {
  return (
    <details className="config-section" data-testid={`section-${id}`} open={defaultOpen}>
      <summary>
        <span className="section-title">{title}</span>
        {note && <span className="section-note">{note}</span>}
      </summary>
      <div className="section-body">{children}</div>
    </details>
  );
}

export function ConfigPanels() {
  const [view, setView] = useState<ConfigView>(() => initialConfigView(location.search, readStoredView()));
  const choose = (next: ConfigView) => {
    setView(next);
    storeView(next);
  };
  return (
    <div className="config-panels" aria-label="Experiment configuration" data-testid="config-panels" data-view={view}>
      <ViewSwitch view={view} onChange={choose} />
      {/* Each group can be hidden or locked by a classroom link (?hide= / ?lock=). */}
      <ControlGroupGate group="task">
        <TaskSection />
      </ControlGroupGate>
      {view === 'basic' ? (
        <ControlGroupGate group="algorithm">
          <Section id="basics" title="Algorithm (the main knobs)" defaultOpen>
            {BASIC_ALGORITHM_FIELDS.map((f) => (
              <SchemaField key={f} path={['algorithm', f]} name={f} schema={algorithmShape[f]} />
            ))}
            <KlEstimatorWarning />
          </Section>
        </ControlGroupGate>
      ) : (
        <>
          <ControlGroupGate group="model">
            <ModelSection />
          </ControlGroupGate>
          <ControlGroupGate group="algorithm">
            <AlgorithmSection />
          </ControlGroupGate>
        </>
      )}
      <ControlGroupGate group="reward">
        <Section id="reward" title="Reward" defaultOpen>
          <RewardSection />
        </Section>
      </ControlGroupGate>
      {view === 'advanced' && (
        <ControlGroupGate group="run">
          <RunSection />
        </ControlGroupGate>
      )}
      <ControlGroupGate group="curriculum">
        <Section id="curriculum" title="Curriculum" defaultOpen>
          <CurriculumSection />
        </Section>
      </ControlGroupGate>
      {view === 'advanced' && (
        <ControlGroupGate group="selfplay">
          <Section id="selfplay" title="Self-play" defaultOpen>
            <SelfplaySection />
          </Section>
        </ControlGroupGate>
      )}
    </div>
  );
}

/** Basic: the settings a first experiment turns; Advanced: every setting of the schema. */
function ViewSwitch({ view, onChange }: { view: ConfigView; onChange: (view: ConfigView) => void }) {
  return (
    <div className="view-switch" role="radiogroup" aria-label="Configuration view">
      {(['basic', 'advanced'] as const).map((v) => (
        <label key={v} className={`view-option${view === v ? ' active' : ''}`}>
          <input type="radio" name="config-view" data-testid={`config-view-${v}`} checked={view === v} onChange={() => onChange(v)} />
          {v === 'basic' ? 'Basic' : 'Advanced'}
        </label>
      ))}
      <span className="muted small">{view === 'basic' ? 'The main settings; Advanced shows all of them.' : 'Every setting.'}</span>
    </div>
  );
}

function TaskSection() {
  const taskId = useConfigStore((s) => s.config.task.id);
  const arms = useConfigStore((s) => s.config.task.arms);
  const trainPool = useConfigStore((s) => s.config.task.trainPool);
  const init = useConfigStore((s) => s.config.model.init);
  const runArms = useSessionStore((s) => s.runArms);
  const manifest = useManifest();
  const task = getTask(taskId);
  const rlArms = manifest?.[taskId]?.rlArms ?? [];
  const toggleArm = (arm: string, on: boolean) => {
    const next = on ? [...arms, arm] : arms.filter((a) => a !== arm);
    proposeField(['task', 'arms'], task.arms.map((a) => a.id).filter((a) => next.includes(a)));
  };
  const emptyMeans = init === 'base' && rlArms.length > 0 ? `the base checkpoint's RL arms (${rlArms.join(', ')})` : 'every arm';
  return (
    <Section id="task" title="Task & arms" defaultOpen>
      <FieldRow path={['task', 'id']} name="task" label="Task" help="The verifiable task: a generator of prompts and a verifier of answers.">
        <select
          data-testid="config-field-task"
          aria-label="Task"
          value={taskId}
          onChange={(e) => proposeField(['task'], { id: e.target.value, arms: [], ...(trainPool ? { trainPool } : {}) })}
        >
          {TASKS.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </select>
      </FieldRow>
      <p className="task-description">{task.description}</p>
      <FieldRow path={['task', 'arms']} name="arms" label="Arms (difficulty levels)" help="The arms training draws prompts from, as the curriculum (below) chooses.">
        <div className="arm-list" data-testid="config-field-arms">
          {task.arms.map((arm) => (
            <label key={arm.id} className="arm">
              <input type="checkbox" data-testid={`config-field-arm-${arm.id}`} checked={arms.includes(arm.id)} onChange={(e) => toggleArm(arm.id, e.target.checked)} />
              {arm.label}
            </label>
          ))}
        </div>
      </FieldRow>
      <p className="muted small">
        {arms.length === 0 ? `None ticked: training uses ${emptyMeans}.` : `Training draws from ${arms.length} arm${arms.length === 1 ? '' : 's'}.`}
        {runArms.length > 0 && ` The current run trains on: ${runArms.join(', ')}.`}
      </p>
      <SchemaField
        path={['task', 'trainPool']}
        name="trainPool"
        schema={taskShape.trainPool}
        label="Training problems per arm"
        help="One-shot / few-shot RL (Wang et al. 2025): training draws only from this many fixed problems per arm, drawn once from the seed. 0 = a fresh problem at every draw. Held-out evaluation is unchanged, so it shows what carries over."
      />
    </Section>
  );
}

function fmtPass(v: number | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : '—';
}

const SFT_FIELDS = ['sftSteps', 'sftLr', 'sftBatch'] as const;

function ModelSection() {
  const taskId = useConfigStore((s) => s.config.task.id);
  const init = useConfigStore((s) => s.config.model.init);
  const manifest = useManifest();
  const entry = manifest?.[taskId];
  const withBase = manifest ? Object.keys(manifest) : [];
  return (
    <Section id="model" title="Model & base checkpoint" defaultOpen>
      <SchemaField
        path={['model', 'init']}
        name="init"
        schema={modelShape.init}
        label="Initialisation"
        help="base: the shipped checkpoint of the task (pre-trained by supervised learning, public/checkpoints). random: a fresh seeded init — RL from scratch rarely finds a reward. sft: a fresh seeded init warmed up here by supervised fine-tuning on the task's problems, then RL — your own base."
      />
      {init === 'sft' && (
        <fieldset className="field-group" data-testid="sft-fields">
          <legend>SFT warm-up</legend>
          {SFT_FIELDS.map((f) => (
            <SchemaField key={f} path={['model', f]} name={f} schema={modelShape[f]} />
          ))}
        </fieldset>
      )}
      <WarmupProgressBar />
      {manifest === undefined && <p className="muted small">Reading the checkpoint manifest…</p>}
      {manifest === null && <p className="muted small">No checkpoint manifest was found: only random or SFT initialisation can run.</p>}
      {manifest && !entry && (
        <p className="warn-text small" data-testid="no-base-checkpoint">
          No base checkpoint ships for this task yet{init === 'base' ? ', so a run cannot start with base initialisation' : ''}. Choose sft (warm up your
          own base here) or random initialisation{withBase.length > 0 ? `, or a task that has one (${withBase.join(', ')})` : ''}.
        </p>
      )}
      {entry && init === 'sft' && <p className="muted small">For comparison, the shipped base checkpoint of this task:</p>}
      {entry && (
        <table className="base-scores" data-testid="base-scores">
          <caption>Base checkpoint on held-out prompts{entry.steps ? ` (after ${entry.steps} supervised steps)` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col" title="Unbiased pass@k (openai/human-eval) with k = 1">pass@1</th>
              <th scope="col" title="Unbiased pass@k with k = 16">pass@16</th>
              <th scope="col" title="Arms with headroom: the default RL arms">RL arm</th>
            </tr>
          </thead>
          <tbody>
            {entry.arms.map((a) => (
              <tr key={a.arm}>
                <th scope="row">{a.arm}</th>
                <td>{fmtPass(a.passAtK['1'])}</td>
                <td>{fmtPass(a.passAtK['16'])}</td>
                <td>{entry.rlArms.includes(a.arm) ? '✓' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

/** The active run's SFT warm-up: a progress bar while it runs, "done" once RL has taken over. */
function WarmupProgressBar() {
  const warmup = useSessionStore((s) => s.warmup);
  const activeRunId = useSessionStore((s) => s.activeRunId);
  const warming = useSessionStore(isWarmingUp);
  if (!warmup || warmup.runId !== activeRunId) return null;
  const loss = warmup.loss === null ? '—' : Number.isFinite(warmup.loss) ? warmup.loss.toFixed(3) : String(warmup.loss);
  const done = warmup.step >= warmup.total;
  return (
    <div className="sft-progress" data-testid="sft-progress" data-step={warmup.step} data-total={warmup.total} data-done={String(done)}>
      <progress aria-label="SFT warm-up progress" max={warmup.total} value={warmup.step} />
      <span className="sft-progress-text small">
        {done ? 'SFT warm-up done · ' : warming ? 'Warming up · ' : 'SFT warm-up stopped · '}step {warmup.step} / {warmup.total} · loss {loss}
      </span>
    </div>
  );
}

/** Shown under the KL fields when k1 is put in the loss: a penalty with zero expected gradient. */
function KlEstimatorWarning() {
  const warning = useConfigStore((s) => klEstimatorWarning(s.config.algorithm));
  return warning ? (
    <p className="warn-text small" data-testid="kl-estimator-warning">
      {warning}
    </p>
  ) : null;
}

function AlgorithmSection() {
  const listed = new Set(ALGORITHM_GROUPS.flatMap((g) => g.fields));
  const others = Object.keys(algorithmShape).filter((k) => !listed.has(k));
  const groups = others.length > 0 ? [...ALGORITHM_GROUPS, { title: 'Other', fields: others }] : ALGORITHM_GROUPS;
  return (
    <Section id="algorithm" title="Algorithm" defaultOpen>
      {groups.map((group) => (
        <fieldset key={group.title} className="field-group">
          <legend>{group.title}</legend>
          {group.fields
            .filter((f) => f in algorithmShape)
            .map((f) => (f === 'maxNewTokens' ? <AnswerBudgetField key={f} /> : <SchemaField key={f} path={['algorithm', f]} name={f} schema={algorithmShape[f]} />))}
          {group.fields.includes('klEstimator') && <KlEstimatorWarning />}
        </fieldset>
      ))}
    </Section>
  );
}

function RunSection() {
  return (
    <Section id="run" title="Run length, seeds & evaluation">
      <SchemaField path={['seeds']} name="seeds" schema={experimentShape.seeds} />
      {Object.keys(runShape).map((f) => (
        <SchemaField key={f} path={['run', f]} name={f} schema={runShape[f]} />
      ))}
    </Section>
  );
}
