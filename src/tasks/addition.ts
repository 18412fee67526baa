// a+b with both operands of the same number of digits: `12+47=` → `59`.
// More digits means more carries to propagate: the classic length-generalisation ladder.
import { defineTask, digitMatch, scoreExact, type TaskArm } from './task';
import type { Rng } from './random';

interface AdditionArm extends TaskArm {
  digits: number;
}

const ARMS: AdditionArm[] = [1, 2, 3, 4].map((digits) => ({
  id: `d${digits}`,
  label: `${digits}-digit + ${digits}-digit`,
  level: digits,
  digits,
}));

/** A number with exactly `digits` digits (1 digit: 0-9). */
export function randomWithDigits(rng: Rng, digits: number): number {
  return digits === 1 ? rng.nextInt(0, 9) : rng.nextInt(10 ** (digits - 1), 10 ** digits - 1);
}

const PROMPT = /^(0|[1-9][0-9]{0,3})\+(0|[1-9][0-9]{0,3})=$/;

export const additionTask = defineTask<AdditionArm>({
  id: 'addition',
  title: 'Addition',
  description: 'Add two non-negative integers: `12+47=` → `59`. Arms set the number of digits of each operand.',
  arms: ARMS,
  maxPromptLength: 4 + 1 + 4 + 1,
  maxCompletionLength: 5,
  sample(arm, rng) {
    const a = randomWithDigits(rng, arm.digits);
    const b = randomWithDigits(rng, arm.digits);
    return { prompt: `${a}+${b}=`, answer: String(a + b) };
  },
  score: (problem, completion) => scoreExact(completion, problem.answer, { partial: digitMatch }),
  fromPrompt(prompt) {
    const m = PROMPT.exec(prompt);
    return m ? { prompt, answer: String(Number(m[1]) + Number(m[2])) } : null;
  },
  armOf(problem) {
    const [a, b] = problem.prompt.slice(0, -1).split('+');
    return a.length === b.length ? `d${a.length}` : undefined;
  },
});
