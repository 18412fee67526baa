// The reward: the task's verifier, or code the reader writes in Monaco. "Test on 5 samples" runs the
// code in the reward sandbox (its own worker) on samples from the task and shows each reward or error.
import { lazy, Suspense, useRef, useState } from 'react';
import { RewardSandbox, type RewardOutcome } from '../../rewards';
import { useConfigStore } from '../../state/configStore';
import { useSessionStore } from '../../state/sessionStore';
import { REWARD_TEMPLATES } from '../editor/rewardTemplates';
import { rewardTestSamples, type RewardTestSample } from '../editor/rewardTestSamples';
import type { z } from 'zod';
import { rewardWeightsSchema, type RewardWeights } from '../../experiment/schema';
import { FieldRow, SchemaField, proposeField } from './Field';
import { isLocked } from '../../state/classroom';
import { ControlGroupGate } from '../teaching/ControlGroupGate';

const RewardEditor = lazy(() => import('../editor/RewardEditor'));

type RewardKind = 'verifier' | 'weighted' | 'code';

const KIND_LABELS = { verifier: 'Task verifier', weighted: 'Weighted terms', code: 'Your code' } as const;

const weightsShape = rewardWeightsSchema.shape as unknown as Record<keyof RewardWeights, z.ZodType>;

const WEIGHT_FIELDS: { key: keyof RewardWeights; label: string; help: string }[] = [
  { key: 'correctness', label: 'Correctness', help: '1 when the answer is right (the task\'s verifier).' },
  { key: 'format', label: 'Format', help: '1 when the completion has the expected shape (e.g. a well-formed integer), right or wrong.' },
  { key: 'partial', label: 'Partial credit', help: 'Partial credit in [0, 1] where the task has one (addition: the fraction of digits right); full credit iff right otherwise.' },
  { key: 'lengthPenalty', label: 'Length penalty per token', help: 'Times −(completion tokens, EOS included): 0.01 costs 0.01 a token; a negative weight pays for length (a gameable bonus).' },
  { key: 'coin', label: 'Coin flip (random reward)', help: 'A 0/1 coin fixed by a hash of the prompt and the completion, unrelated to being right (the spurious-rewards study, which reports gains on some bases and not others). The same string always gets the same coin. The gallery\'s model–task alignment card shows what it did here.' },
];

let sandbox: RewardSandbox | null = null;
function getSandbox(): RewardSandbox {
  sandbox ??= new RewardSandbox();
  return sandbox;
}

interface TestResult {
  samples: RewardTestSample[];
  outcome: RewardOutcome;
  ms: number;
}

export default function RewardSection() {
  const kind = useConfigStore((s) => s.config.reward.kind);
  const code = useConfigStore((s) => s.config.reward.code);
  const approval = useConfigStore((s) => s.rewardApproval);
  const sessionState = useSessionStore((s) => s.state);
  const [result, setResult] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const testId = useRef(0);
  const runActive = sessionState === 'running' || sessionState === 'paused';

  const setCode = (next: string) => {
    proposeField(['reward', 'code'], next.slice(0, 20000));
  };

  // Choosing "Your code" with no code yet opens on the first template, so there is something to read and
  // "Test" works at once (issue 19: the editor used to open empty with "Test" disabled).
  const chooseKind = (next: RewardKind) => {
    const config = useConfigStore.getState().config;
    if (next !== 'code' || config.reward.code.trim() !== '') return void proposeField(['reward', 'kind'], next);
    useSessionStore.getState().proposeConfig({ ...config, reward: { ...config.reward, kind: 'code', code: REWARD_TEMPLATES[0].code } });
  };

  const test = async () => {
    const config = useConfigStore.getState().config;
    const id = ++testId.current;
    setTesting(true);
    const samples = rewardTestSamples(config);
    const t0 = performance.now();
    const outcome = await getSandbox().evaluate(config.reward.code, samples.map((s) => s.input));
    if (id !== testId.current) return;
    setResult({ samples, outcome, ms: performance.now() - t0 });
    setTesting(false);
  };

  return (
    <div className="reward-section">
      <FieldRow
        path={['reward', 'kind']}
        name="reward-kind"
        label="Reward"
        help="verifier: the task's own verifier, 1 for a right answer, 0 otherwise. weighted: a weighted sum of built-in terms (correctness, format, partial credit, length) — shaping, or a gameable proxy. code: your JavaScript reward({prompt, completion, answer, task, arm}), run in a sandboxed worker."
      >
        <div className="radio-row" role="radiogroup" aria-label="Reward kind">
          {(['verifier', 'weighted', 'code'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="reward-kind" data-testid={`config-field-reward-${k}`} checked={kind === k} onChange={() => chooseKind(k)} />
              {KIND_LABELS[k]}
            </label>
          ))}
        </div>
      </FieldRow>

      {kind === 'weighted' && (
        <fieldset className="field-group" data-testid="reward-weights">
          <legend>Reward = Σ weight · term</legend>
          {WEIGHT_FIELDS.map((w) => (
            <SchemaField key={w.key} path={['reward', 'weights', w.key]} name={`weight-${w.key}`} schema={weightsShape[w.key]} label={w.label} help={w.help} step="any" />
          ))}
          <p className="muted small">The correctness component is plotted beside the reward whatever its weight, so a proxy that drifts from the verifier shows.</p>
        </fieldset>
      )}

      {kind === 'code' && (
        <ControlGroupGate group="editor">
          <div className="template-row">
            <span className="muted small">Start from:</span>
            {REWARD_TEMPLATES.map((t) => (
              <button key={t.id} type="button" className="small-button" data-testid={`reward-template-${t.id}`} onClick={() => setCode(t.code)}>
                {t.title}
              </button>
            ))}
          </div>
          {approval === 'pending' ? (
            <p className="warn-text small">This code came with the link and has not been approved yet; it is shown read-only until you review it.</p>
          ) : null}
          <Suspense fallback={<div className="reward-editor" data-testid="reward-editor-loading">Loading the editor…</div>}>
            {/* A locked editor or reward section: Monaco is no form control, so the fieldset cannot disable it. */}
            <RewardEditor value={code} onChange={setCode} readOnly={approval === 'pending' || isLocked('editor') || isLocked('reward')} />
          </Suspense>
          <div className="button-row">
            <button type="button" data-testid="test-reward" onClick={() => void test()} disabled={testing || approval === 'pending' || code.trim() === ''}>
              {testing ? 'Testing…' : 'Test on 5 samples'}
            </button>
            {runActive && (
              <button type="button" data-testid="send-reward-code" onClick={() => useSessionStore.getState().sendRewardCode()} title="The running run keeps its code until you send it (half-typed code would fail the reward and pause the run).">
                Use this code in the running run
              </button>
            )}
          </div>
          {code.trim() === '' && <p className="muted small">Write a reward function, or start from a template.</p>}
          <TestOutput result={result} />
        </ControlGroupGate>
      )}
    </div>
  );
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function TestOutput({ result }: { result: TestResult | null }) {
  if (!result) return null;
  const { samples, outcome } = result;
  const failedAt = !outcome.ok ? outcome.error.sampleIndex : undefined;
  return (
    <div className="test-output" data-testid="test-reward-output" data-ok={String(outcome.ok)}>
      {!outcome.ok && (
        <p className="error-text" data-testid="test-reward-error">
          {outcome.error.kind}: {outcome.error.message}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Prompt</th>
            <th scope="col">Completion</th>
            <th scope="col">Answer</th>
            <th scope="col" title="The task verifier's reward, for comparison">Verifier</th>
            <th scope="col">Your reward</th>
          </tr>
        </thead>
        <tbody>
          {samples.map((s, i) => (
            <tr key={i} data-testid="test-reward-row" className={failedAt === i ? 'row-failed' : undefined}>
              <td className="mono">{s.input.prompt}</td>
              <td className="mono">{s.input.completion === '' ? <span className="muted">(empty)</span> : s.input.completion}</td>
              <td className="mono">{s.input.answer}</td>
              <td>{fmt(s.verifier)}</td>
              <td data-testid="test-reward-value">
                {outcome.ok ? (
                  <>
                    {fmt(outcome.rewards[i])}
                    {Object.keys(outcome.components[i] ?? {}).length > 0 && (
                      <span className="muted small">
                        {' '}
                        ({Object.entries(outcome.components[i]).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')})
                      </span>
                    )}
                  </>
                ) : failedAt === i ? (
                  'failed'
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Ran in the reward sandbox in {Math.round(result.ms)} ms.</p>
    </div>
  );
}
