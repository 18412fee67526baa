// Program output prediction: run a tiny program in your head. `a=3;b=a*2;b+1=` → `7`.
// The prompt is the program followed by '=' (which cannot end a valid program, so it is unambiguous).
// Arms add statements, then a conditional, then a loop. The verifier runs the program itself.
import { runProgram } from './exprLang';
import { defineTask, makeReward, type TaskArm } from './task';
import type { Rng } from './random';

type Shape = 'one' | 'two' | 'cond' | 'loop';

interface ProgramArm extends TaskArm {
  shape: Shape;
}

const ARMS: ProgramArm[] = [
  { id: 'p1', label: 'one assignment', level: 1, shape: 'one' },
  { id: 'p2', label: 'two assignments', level: 2, shape: 'two' },
  { id: 'p3', label: 'conditional', level: 3, shape: 'cond' },
  { id: 'p4', label: 'loop', level: 4, shape: 'loop' },
];

const MAX_PROMPT = 24;
const MAX_ANSWER = 999; // generated programs print at most 3 digits (and a sign)
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];

function operand(rng: Rng, op: string, variables: string[]): string {
  // Divisors are literals ≥ 1 so generated programs never divide by zero.
  if (op === '/' || op === '%') return String(rng.nextInt(2, 9));
  return rng.nextFloat() < 0.3 && variables.length > 0 ? rng.pick(variables) : String(rng.nextInt(0, 9));
}

function sampleSource(shape: Shape, rng: Rng): string {
  const [x, y] = rng.shuffle(LETTERS).slice(0, 2);
  const ops = shape === 'one' ? ['+', '-', '*'] : ['+', '-', '*', '/', '%'];
  const binary = (left: string, vars: string[]) => {
    const op = rng.pick(ops);
    return `${left}${op}${operand(rng, op, vars)}`;
  };
  switch (shape) {
    case 'one':
      return `${x}=${rng.nextInt(0, 9)};${binary(x, [x])}`;
    case 'two':
      return `${x}=${rng.nextInt(0, 9)};${y}=${binary(x, [x])};${binary(y, [x, y])}`;
    case 'cond': {
      const cmp = rng.pick(['<', '>', '==']);
      return `${x}=${rng.nextInt(0, 9)};${y}=${x}${cmp}${rng.nextInt(0, 9)}?${binary(x, [x])}:${rng.nextInt(0, 9)};${binary(y, [x, y])}`;
    }
    case 'loop': {
      const op = rng.pick(['+', '-', '*']);
      const step = op === '*' ? rng.nextInt(2, 3) : rng.nextInt(1, 9);
      const tail = rng.nextFloat() < 0.5 ? x : binary(x, [x]);
      return `${x}=${rng.nextInt(0, 9)};rep ${rng.nextInt(2, 4)}{${x}=${x}${op}${step}};${tail}`;
    }
  }
}

export const programTask = defineTask<ProgramArm>({
  id: 'program',
  title: 'Program output',
  description:
    'Predict what a tiny program prints: `a=3;b=a*2;b+1=` → `7`. Single-letter variables, + - * / % ' +
    '(floor division), comparisons, `c?x:y`, and `rep n{…}` loops. Arms add statements, a conditional, a loop.',
  arms: ARMS,
  maxPromptLength: MAX_PROMPT,
  maxCompletionLength: 7, // '-999999': any value the language can hold
  sample(arm, rng) {
    for (;;) {
      const source = sampleSource(arm.shape, rng);
      if (source.length + 1 > MAX_PROMPT) continue;
      const result = runProgram(source);
      if (!result.ok || Math.abs(result.value) > MAX_ANSWER) continue;
      return { prompt: `${source}=`, answer: String(result.value), meta: { steps: result.steps } };
    }
  },
  score(problem, completion) {
    const format = /^(0|-?[1-9][0-9]*)$/.test(completion);
    const result = runProgram(problem.prompt.replace(/=$/, ''));
    if (!result.ok) return makeReward(format, false, {}, `the program itself fails: ${result.error}`);
    const want = String(result.value);
    const correct = completion === want;
    const detail = completion.length === 0 ? 'empty completion' : !format ? 'not an integer' : correct ? undefined : `expected ${want}`;
    return makeReward(format, correct, {}, detail);
  },
  fromPrompt(prompt) {
    if (!prompt.endsWith('=')) return null;
    const result = runProgram(prompt.slice(0, -1));
    return result.ok ? { prompt, answer: String(result.value), meta: { steps: result.steps } } : null;
  },
  armOf: (problem) => {
    const source = problem.prompt;
    if (source.includes('{')) return 'p4';
    if (source.includes('?')) return 'p3';
    const statements = source.split(';').length;
    return statements === 2 ? 'p1' : statements === 3 ? 'p2' : undefined;
  },
});
