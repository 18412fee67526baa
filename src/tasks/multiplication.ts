// a*b of small numbers: `23*7=` → `161`. Arms set the digits of each factor.
import { randomWithDigits } from './addition';
import { defineTask, digitMatch, scoreExact, type TaskArm } from './task';

interface MultiplicationArm extends TaskArm {
  digitsA: number;
  digitsB: number;
}

const ARMS: MultiplicationArm[] = [
  [1, 1],
  [2, 1],
  [2, 2],
  [3, 2],
].map(([digitsA, digitsB], i) => ({
  id: `${digitsA}x${digitsB}`,
  label: `${digitsA}-digit × ${digitsB}-digit`,
  level: i + 1,
  digitsA,
  digitsB,
}));

const PROMPT = /^(0|[1-9][0-9]{0,2})\*(0|[1-9][0-9]{0,2})=$/;

export const multiplicationTask = defineTask<MultiplicationArm>({
  id: 'multiplication',
  title: 'Multiplication',
  description: 'Multiply two small integers: `23*7=` → `161`. Arms set the number of digits of each factor.',
  arms: ARMS,
  maxPromptLength: 3 + 1 + 3 + 1,
  maxCompletionLength: 6,
  sample(arm, rng) {
    const a = randomWithDigits(rng, arm.digitsA);
    const b = randomWithDigits(rng, arm.digitsB);
    return { prompt: `${a}*${b}=`, answer: String(a * b) };
  },
  score: (problem, completion) => scoreExact(completion, problem.answer, { partial: digitMatch }),
  fromPrompt(prompt) {
    const m = PROMPT.exec(prompt);
    return m ? { prompt, answer: String(Number(m[1]) * Number(m[2])) } : null;
  },
  armOf(problem) {
    const [a, b] = problem.prompt.slice(0, -1).split('*');
    const id = `${a.length}x${b.length}`;
    return ARMS.some((arm) => arm.id === id) ? id : undefined;
  },
});
