// The answer budget (algorithm.maxNewTokens): unset, it follows the task (the task's own budget,
// shown with "task"), so changing the task changes it; a number typed here is the user's and stays
// (and goes into the link). Warns when the budget cannot hold the task's longest answer and its EOS:
// right answers would be cut off and scored as overlong.
import { useEffect, useId, useState } from 'react';
import { MAX_ANSWER_BUDGET } from '../../experiment/schema';
import { useConfigStore } from '../../state/configStore';
import { getTask } from '../../tasks/registry';
import { FieldRow, proposeField } from './Field';
import { fieldInfo } from './fieldInfo';

const PATH = ['algorithm', 'maxNewTokens'] as const;

export function AnswerBudgetField() {
  const value = useConfigStore((s) => s.config.algorithm.maxNewTokens);
  const taskId = useConfigStore((s) => s.config.task.id);
  const task = getTask(taskId);
  const effective = value ?? task.answerBudget;
  const need = task.maxCompletionLength + 1;
  const [draft, setDraft] = useState(String(effective));
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const info = fieldInfo('maxNewTokens');
  useEffect(() => {
    setDraft(String(effective));
    setProblem(null);
  }, [effective]);

  const commit = () => {
    const n = Number(draft.trim());
    if (!Number.isInteger(n)) return setProblem('A whole number, please.');
    if (n < 1 || n > MAX_ANSWER_BUDGET) return setProblem(`Between 1 and ${MAX_ANSWER_BUDGET}.`);
    setProblem(null);
    if (n !== effective || value === null) {
      // Typing the task's own budget keeps following the task.
      const problems = proposeField(PATH, n === task.answerBudget && value === null ? null : n);
      if (problems) setProblem(problems.join('; '));
    }
  };

  return (
    <FieldRow path={PATH} name="maxNewTokens" label={info.label} help={info.help}>
      <label htmlFor={id} className="visually-hidden">
        {info.label}
      </label>
      <span className="number-input">
        <input
          id={id}
          type="number"
          data-testid="config-field-maxNewTokens"
          value={draft}
          min={1}
          max={MAX_ANSWER_BUDGET}
          step={1}
          aria-invalid={problem !== null}
          aria-describedby={`${id}-note`}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(String(effective));
          }}
        />
        {value === null ? (
          <span className="small muted" data-testid="answer-budget-follows-task">
            task's
          </span>
        ) : (
          <button type="button" className="link-button small" data-testid="answer-budget-follow-task" onClick={() => proposeField(PATH, null)} title={`Follow the task's budget (${task.answerBudget})`}>
            use task's ({task.answerBudget})
          </button>
        )}
      </span>
      <span id={`${id}-note`} className="small muted">
        {task.title}: longest answer {task.maxCompletionLength} + EOS = {need} tokens
      </span>
      {effective < need && (
        <span className="field-problem" role="alert" data-testid="answer-budget-warning">
          Below {need}: the task's longest answers cannot finish and will be scored as overlong (wrong).
        </span>
      )}
      {problem && (
        <span className="field-problem" role="alert">
          {problem}
        </span>
      )}
    </FieldRow>
  );
}
