// The executor of the propose/solve loop: turns a proposer's tokens into a checked problem of the
// task, or says why it is malformed. It is the only thing between model output and the task code, so
// it never throws and never runs unbounded:
//   - the proposal must stop with EOS within the token budget and contain no other special token;
//   - its text is bounded by the task's longest prompt before anything parses it;
//   - a program (the `program` task's expression language) runs under a step limit far below the
//     language's default, so `while 1{…}` or `rep 999999{…}` is rejected after `maxSteps` steps;
//   - the task's own fromPrompt validates the grammar and computes the reference answer;
//   - the answer must fit in the solver's completion budget (task.maxCompletionLength).
import { runProgram } from '../tasks/exprLang';
import type { Problem, Task } from '../tasks/task';
import { EOS_ID, NUM_SPECIAL, SPECIAL_TOKENS, VOCAB, VOCAB_SIZE } from '../tasks/tokenizer';

/** Default step limit for proposed programs: the task's own programs take < 100 steps. */
export const DEFAULT_PROPOSAL_MAX_STEPS = 256;

export interface ExecutorLimits {
  /** Steps a proposed program may run (exprLang counts statements, nodes and loop iterations). */
  maxSteps: number;
}

export type ProposalResult =
  | { ok: true; text: string; problem: Problem; steps?: number }
  | { ok: false; text: string; reason: string };

/** The proposal's text from its completion ids (EOS included when it stopped), or why it is malformed. */
export function proposalText(ids: readonly number[]): { ok: true; text: string } | { ok: false; text: string; reason: string } {
  let text = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= VOCAB_SIZE) return { ok: false, text, reason: `token id ${String(id)} outside the vocabulary` };
    if (id === EOS_ID) {
      if (i !== ids.length - 1) return { ok: false, text, reason: 'tokens after EOS' };
      return { ok: true, text };
    }
    if (id < NUM_SPECIAL) return { ok: false, text, reason: `special token ${SPECIAL_TOKENS[id]} inside the proposal` };
    text += VOCAB[id];
  }
  return { ok: false, text, reason: 'no EOS: the proposal ran out of tokens' };
}

/** Checks a proposal's text against the task grammar and computes its answer. Never throws. */
export function executeProposalText(task: Task, text: string, limits: ExecutorLimits = { maxSteps: DEFAULT_PROPOSAL_MAX_STEPS }): ProposalResult {
  try {
    if (typeof text !== 'string' || text.length === 0) return { ok: false, text: String(text ?? ''), reason: 'empty proposal' };
    if (text.length > task.maxPromptLength) return { ok: false, text: text.slice(0, 64), reason: `longer than the task's ${task.maxPromptLength}-character prompts` };
    let steps: number | undefined;
    if (task.id === 'program') {
      // Run it ourselves first, under the (small) step limit: fromPrompt would allow the language's 10 000.
      if (!text.endsWith('=')) return { ok: false, text, reason: "a program prompt ends with '='" };
      const run = runProgram(text.slice(0, -1), { maxSteps: limits.maxSteps });
      if (!run.ok) return { ok: false, text, reason: `${run.kind}: ${run.error}` };
      steps = run.steps;
    }
    const problem = task.fromPrompt(text);
    if (!problem) return { ok: false, text, reason: `not a ${task.id} prompt` };
    if (problem.answer.length > task.maxCompletionLength) return { ok: false, text, reason: `answer ${problem.answer.slice(0, 12)} is longer than ${task.maxCompletionLength} characters` };
    return { ok: true, text, problem, ...(steps !== undefined ? { steps } : {}) };
  } catch (error) {
    // A task bug must not take the loop down: the proposal is scored as malformed.
    return { ok: false, text: String(text).slice(0, 64), reason: `executor error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** proposalText then executeProposalText. Never throws. */
export function executeProposal(task: Task, ids: readonly number[], limits?: ExecutorLimits): ProposalResult {
  const t = proposalText(ids);
  if (!t.ok) return t;
  return executeProposalText(task, t.text, limits);
}
