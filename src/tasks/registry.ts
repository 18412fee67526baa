// Every built-in task, by id. The order is the order the UI lists them in.
import { additionTask } from './addition';
import { countdownTask } from './countdown';
import { modularTask } from './modular';
import { multiplicationTask } from './multiplication';
import { parityTask } from './parity';
import { programTask } from './program';
import { reversalTask } from './reversal';
import { sortingTask } from './sorting';
import type { Task } from './task';

export const TASKS: readonly Task[] = [
  additionTask,
  multiplicationTask,
  modularTask,
  sortingTask,
  reversalTask,
  parityTask,
  countdownTask,
  programTask,
];

export type TaskId = 'addition' | 'multiplication' | 'modular' | 'sorting' | 'reversal' | 'parity' | 'countdown' | 'program';
export const TASK_IDS = TASKS.map((t) => t.id) as readonly TaskId[];

const BY_ID = new Map(TASKS.map((t) => [t.id, t]));

/** The task with this id; throws with the list of known ids otherwise. */
export function getTask(id: string): Task {
  const task = BY_ID.get(id);
  if (!task) throw new Error(`unknown task ${JSON.stringify(id)} (tasks: ${TASK_IDS.join(', ')})`);
  return task;
}

export function hasTask(id: string): id is TaskId {
  return BY_ID.has(id);
}

/** Longest prompt and completion over all tasks: what a shared model's context must hold. */
export const MAX_PROMPT_LENGTH = Math.max(...TASKS.map((t) => t.maxPromptLength));
export const MAX_COMPLETION_LENGTH = Math.max(...TASKS.map((t) => t.maxCompletionLength));
